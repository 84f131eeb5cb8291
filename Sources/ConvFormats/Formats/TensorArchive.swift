import ConvCore

// MARK: - TensorReference

/// A file argument that may name one array of an archive: `out.npz:y` is the member `y` of
/// `out.npz`. The split is made only when the whole argument is not a file itself and the part
/// before the last `:` is one.
public struct TensorReference: Sendable, Equatable {
  /// The file.
  public var path: String
  /// The member, when one was named.
  public var member: String?

  /// Splits `argument` into a file and a member (see the type).
  public init(_ argument: String) {
    path = argument
    member = nil
    guard !FileReading.exists(argument), let colon = argument.lastIndex(of: ":") else { return }
    let file = String(argument[..<colon])
    let name = String(argument[argument.index(after: colon)...])
    guard !file.isEmpty, !name.isEmpty, FileReading.exists(file) else { return }
    path = file
    member = name
  }
}

// MARK: - TensorArchive

/// A file holding several named arrays: a NumPy `.npz` (`np.savez`, `np.savez_compressed`), a
/// `.safetensors` file (the weights `convscope train` saves), or the lines `NAME D0 … : V0 …`
/// that the programs of `convscope code` print.
struct TensorArchive {
  enum Content {
    case npz(ZipArchive)
    case safetensors([(name: String, tensor: Tensor)])
    case lines(NamedArraysText)
  }

  let content: Content
  let source: String

  /// The archive in `bytes`, or nil when they hold a single array (any other format). A zip
  /// archive is read where its directory points; only text is copied whole.
  static func open(_ bytes: FileBytes, source: String) throws -> TensorArchive? {
    let head = bytes.prefix(4096)
    if ZipArchive.looksLikeZip(head) {
      return TensorArchive(content: .npz(try ZipArchive(bytes, source: source)), source: source)
    }
    if looksLikeSafeTensors(head, count: bytes.count) {
      let all = Array(bytes.raw)
      AllocationProbe.current?.recordRead(all.count)
      let tensors = try SafeTensors.decode(all, source: source)
      return TensorArchive(content: .safetensors(tensors), source: source)
    }
    guard TensorFileFormat.detect(head) == nil, TensorFileFormat.looksLikeText(head[...]) else {
      return nil
    }
    let all = Array(bytes.raw)
    AllocationProbe.current?.recordRead(all.count)
    if let lines = NamedArraysText(all, source: source) {
      return TensorArchive(content: .lines(lines), source: source)
    }
    return nil
  }

  /// Whether `head` starts a `.safetensors` file of `count` bytes: an 8-byte little-endian
  /// header length that fits the file, then the header's `{`.
  static func looksLikeSafeTensors(_ head: [UInt8], count: Int) -> Bool {
    guard head.count >= 9, head[8] == UInt8(ascii: "{") else { return false }
    let length = head[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    return length >= 2 && length <= UInt64(max(0, count - 8))
  }

  /// What the file is, for messages.
  var kind: String {
    switch content {
    case .npz: return "an .npz archive"
    case .safetensors: return "a .safetensors file"
    case .lines: return "lines of named arrays (NAME shape : values)"
    }
  }

  /// The arrays' names in file order (an .npz member `y.npy` is `y`).
  var members: [String] {
    switch content {
    case .npz(let zip):
      return zip.entries.map {
        $0.name.hasSuffix(".npy") ? String($0.name.dropLast(4)) : $0.name
      }
    case .safetensors(let tensors): return tensors.map(\.name)
    case .lines(let text): return text.lines.map(\.name)
    }
  }

  /// The member to read: `member` when given (it must exist), else the only one, else
  /// `preferred` when the archive has it; otherwise an error listing the members.
  func choose(_ member: String?, preferred: String?) throws -> String {
    let names = members
    let listed =
      names.prefix(12).map { Printable.escape($0.prefix(40)) }.joined(separator: ", ")
      + (names.count > 12 ? ", …" : "")
    if let member {
      let bare = member.hasSuffix(".npy") ? String(member.dropLast(4)) : member
      guard names.contains(bare) else {
        throw InputError(
          source: source,
          "no array named '\(Printable.escape(member.prefix(40)))' in \(kind); it holds "
            + (names.isEmpty ? "none" : listed))
      }
      return bare
    }
    if names.count == 1 { return names[0] }
    if let preferred, names.contains(preferred) { return preferred }
    guard let first = names.first else {
      throw InputError(source: source, "\(kind) that holds no arrays")
    }
    throw InputError(
      source: source,
      "\(kind) holding \(names.count) arrays (\(listed)); name one, e.g. "
        + "\(source):\(Printable.escape(first.prefix(40)))")
  }

  /// The member `name` as a loaded tensor whose source is `file:name`.
  func load(_ name: String, options: LoadOptions) throws -> LoadedTensor {
    let label = "\(source):\(name)"
    switch content {
    case .npz(let zip):
      guard let entry = zip.entries.first(where: { $0.name == name + ".npy" || $0.name == name })
      else { throw InputError(source: label, "no such member") }
      // An .npy header is at most NPYHeader.maxLength bytes, its values at most 8 bytes each.
      let limit = min(
        FileReading.maxFileSize, options.elementLimit * 8 + NPYHeader.maxLength + 16)
      let bytes = try zip.extract(entry, limit: limit)
      var loaded = try TensorFile.npy(bytes, source: label, options: options)
      loaded.format = .npz
      loaded.detail =
        (entry.method == 8 ? "compressed " : "") + "member of an .npz, "
        + loaded.detail
      return loaded
    case .safetensors(let tensors):
      guard let tensor = tensors.first(where: { $0.name == name })?.tensor else {
        throw InputError(source: label, "no such tensor")
      }
      guard tensor.count <= options.elementLimit else {
        throw InputError(
          source: label,
          "\(tensor.count) values, more than the limit of \(options.elementLimit)")
      }
      return LoadedTensor(
        tensor: tensor, source: label, format: .safetensors,
        detail: "tensor of a .safetensors file", storedShape: tensor.shape, isImage: false)
    case .lines(let text):
      guard let line = text.lines.first(where: { $0.name == name }) else {
        throw InputError(source: label, "no such array")
      }
      let tensor = try text.array(line, elementLimit: options.elementLimit)
      return LoadedTensor(
        tensor: tensor, source: label, format: .namedText,
        detail: "line \(line.number) of named arrays", storedShape: tensor.shape, isImage: false)
    }
  }
}
