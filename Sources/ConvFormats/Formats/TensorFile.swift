import ConvCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - TensorFile

/// The front door for the user's data: reads a file in whichever format it is in.
///
/// The format comes from the first bytes: the PNG signature, `\x93NUMPY`, or `P1`…`P6`
/// (Netpbm). Anything else is read as a text grid when the name ends in `.csv`, `.tsv`, `.txt`,
/// `.dat` or `.text`, or when the bytes look like text. A name that promises a binary format
/// (`.png`, `.npy`, `.pgm`, …) whose bytes disagree is refused ("wrong magic"). Every error is an
/// ``InputError`` of one line naming the file.
///
/// A file may hold several named arrays: a NumPy `.npz` archive (a zip file, stored or deflate)
/// or the lines `NAME D0 … : V0 …` that `convscope code`'s programs print. `FILE:NAME` picks
/// one (``TensorReference``); without a name the only array is taken, or the `preferredMember`
/// when the file has it, else the error lists the names.
public enum TensorFile {
  /// The largest text file (CSV, text grid, named arrays) read: 256 MiB, checked from the
  /// file's size before reading.
  public static let maxTextFileSize = TextGridReader.maxFileSize

  /// Reads the file at `path`, which may name an archive's member (`out.npz:y`).
  /// `preferredMember` is the array taken from an archive of several when none is named (`y`
  /// for `--check-y`, `x` for `--input`).
  ///
  /// The file is mapped, not read: the format is checked from its first bytes, and a binary
  /// format's reader reads only what its header says (a 1 GiB file of the wrong magic costs a
  /// page). Only text is read whole.
  public static func load(
    path: String, options: LoadOptions = LoadOptions(), preferredMember: String? = nil
  ) throws -> LoadedTensor {
    let reference = TensorReference(path)
    return try parse(
      mapped(reference.path), source: reference.path, options: options,
      member: reference.member, preferredMember: preferredMember)
  }

  /// The names of the arrays in the file at `path` when it holds several (an `.npz`, named
  /// lines), nil for a file of one array (`.npy`, an image, a grid).
  public static func members(path: String) throws -> [String]? {
    let reference = TensorReference(path)
    let bytes = try mapped(reference.path)
    return try TensorArchive.open(bytes, source: reference.path)?.members
  }

  /// The file at `path`, mapped (see ``FileBytes``); a text file's size (by its name: `.csv`,
  /// `.txt`, …) is checked against ``maxTextFileSize`` before it is mapped.
  static func mapped(_ path: String) throws -> FileBytes {
    if TensorFileFormat.expected(forPath: path) == .text {
      try FileReading.requireSize(of: path, atMost: maxTextFileSize, kind: "text file")
    }
    return try FileBytes.map(path)
  }

  /// Reads file bytes; `source` (a path or a name) is used for messages and for the extension.
  public static func parse(_ data: Data, source: String, options: LoadOptions = LoadOptions())
    throws -> LoadedTensor
  {
    try parse(Array(data), source: source, options: options)
  }

  /// Reads file bytes; `source` (a path or a name) is used for messages and for the extension.
  /// An archive's array is `member`, or chosen as ``load(path:options:preferredMember:)`` says.
  public static func parse(
    _ bytes: [UInt8], source: String, options: LoadOptions = LoadOptions(),
    member: String? = nil, preferredMember: String? = nil
  ) throws -> LoadedTensor {
    try parse(
      FileBytes(bytes), source: source, options: options, member: member,
      preferredMember: preferredMember)
  }

  /// The bytes in the buffer, as ``parse(_:source:options:member:preferredMember:)`` reads
  /// them; binary formats are read where their headers point, text is copied whole.
  static func parse(
    _ bytes: FileBytes, source: String, options: LoadOptions, member: String?,
    preferredMember: String?
  ) throws -> LoadedTensor {
    guard bytes.count > 0 else { throw InputError(source: source, "the file is empty") }
    var options = options
    options.elementLimit = min(max(0, options.elementLimit), Tensor.maxElementCount)
    if let archive = try TensorArchive.open(bytes, source: source) {
      let name = try archive.choose(member, preferred: preferredMember)
      return try archive.load(name, options: options)
    }
    if let member {
      let name = Printable.escape(member.prefix(40))
      throw InputError(
        source: source,
        "holds a single array, not an archive (an .npz), so it has no array '\(name)'; give "
          + "the file without ':\(name)'")
    }
    switch try format(of: bytes.prefix(4096), source: source) {
    case .png:
      var reader = try PNGReader(bytes, options: options, source: source)
      return try image(&reader, format: .png, source: source, options: options)
    case .pnm:
      var reader = try PNMReader.open(bytes, options: options, source: source)
      return try image(&reader, format: .pnm, source: source, options: options)
    case .npy:
      return try npy(bytes, source: source, options: options)
    case .text, .values, .preset, .npz, .safetensors, .namedText:
      try TextGridReader.checkSize(bytes.count, source: source)
      let all = Array(bytes.raw)
      AllocationProbe.current?.recordRead(all.count)
      let grid = try TextGridReader.read(all, source: source, elementLimit: options.elementLimit)
      return LoadedTensor(
        tensor: grid.tensor, source: source, format: .text, detail: grid.detail,
        storedShape: grid.tensor.shape, isImage: false, notes: grid.notes)
    }
  }

  /// The format of a file that starts with `head`: what its magic announces, else text when
  /// its name or bytes say so; a name that promises a binary format the bytes do not hold is
  /// "wrong magic".
  static func format(of head: [UInt8], source: String) throws -> TensorFileFormat {
    let expected = TensorFileFormat.expected(forPath: source)
    let found =
      TensorFileFormat.unsupportedName(head).map { "it is \($0)" }
      ?? "first bytes \(TensorFileFormat.hexPrefix(head))"
    if let detected = TensorFileFormat.detect(head) { return detected }
    if let expected, expected != .text || TensorFileFormat.unsupportedName(head) != nil {
      throw InputError(
        source: source, "wrong magic: not a \(expected.displayName) file (\(found))")
    }
    if expected == .text || TensorFileFormat.looksLikeText(head[...]) { return .text }
    throw InputError(
      source: source,
      "unrecognised format (\(found)); convscope reads PNG, NumPy .npy, PBM/PGM/PPM and CSV "
        + "or whitespace-separated text")
  }

  /// An `.npy` file's array, with its element type (`storedType`).
  static func npy(_ bytes: FileBytes, source: String, options: LoadOptions) throws
    -> LoadedTensor
  {
    let array = try NPYReader.read(
      bytes, source: source, elementLimit: options.elementLimit, role: options.limitRole)
    let order = array.fortranOrder ? "Fortran order" : "C order"
    var loaded = LoadedTensor(
      tensor: array.tensor, source: source, format: .npy,
      detail: "NumPy \(array.descr) (\(array.dtypeName)), \(order)",
      storedShape: array.tensor.shape, isImage: false, notes: array.notes)
    loaded.storedType = array.dtypeName
    return loaded
  }

  /// Numbers given on the command line, e.g. `--bias 0.1,0.2,-0.3` (commas or spaces).
  public static func values(_ text: String, source: String) throws -> LoadedTensor {
    let values = try TextGridReader.values(text, source: source)
    let tensor: Tensor
    do {
      tensor = try Tensor(shape: [values.count], data: values, name: source)
    } catch {
      throw InputError(source: source, "\(error)")
    }
    return LoadedTensor(
      tensor: tensor, source: source, format: .values, detail: "\(values.count) values",
      storedShape: [values.count], isImage: false)
  }

  /// An image read row by row into a `[C, H, W]` tensor, with the options applied.
  static func image<Reader: ImageRowReader>(
    _ reader: inout Reader, format: TensorFileFormat, source: String, options: LoadOptions
  ) throws -> LoadedTensor {
    let (tensor, notes) = try ImageConversion.tensor(
      from: &reader, options: options, source: source)
    let header = reader.header
    return LoadedTensor(
      tensor: tensor, source: source, format: format,
      detail: "\(header.detail) \(header.width)×\(header.height)",
      storedShape: [header.channels, header.height, header.width], isImage: true,
      notes: notes)
  }
}
