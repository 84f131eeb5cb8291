import ConvCore

// MARK: - SafeTensors

/// The safetensors format (Hugging Face's, <https://github.com/huggingface/safetensors>): an
/// 8-byte little-endian header length `N`, `N` bytes of UTF-8 JSON, then the tensors' raw
/// little-endian bytes.
///
/// The header is an object mapping each tensor's name to `{"dtype", "shape", "data_offsets":
/// [begin, end]}` (offsets into the data after the header), plus an optional `"__metadata__"`
/// object of strings. ``encode(_:metadata:)`` writes float32 (`F32`) in the order given, with
/// a header padded with spaces so the data starts at a multiple of 8, as the reference writer
/// does. ``decode(_:source:)`` enforces the spec's rules before anything is allocated: a header
/// of at most ``maxHeaderSize`` bytes that lies inside the file and starts with `{`, valid JSON
/// without repeated names, and tensors that cover the data exactly (no hole, no overlap, each
/// one's bytes matching its shape and dtype, nothing past the end). It reads `F32`, `F64`,
/// `F16` and `BF16` (converted to `Float`); any other dtype is a one-line error naming it.
public enum SafeTensors {
  /// The largest header read (100 MB, the reference implementation's limit).
  public static let maxHeaderSize = 100_000_000
  /// The most dimensions a tensor may have here.
  public static let maxRank = 64

  /// A tensor's element type, as the header names it.
  enum DType: String {
    case f32 = "F32"
    case f64 = "F64"
    case f16 = "F16"
    case bf16 = "BF16"

    /// Bytes per element.
    var size: Int {
      switch self {
      case .f32: 4
      case .f64: 8
      case .f16, .bf16: 2
      }
    }

    /// The dtypes the spec defines that convscope does not read.
    static let others: Set<String> = [
      "BOOL", "U8", "I8", "I16", "U16", "I32", "U32", "I64", "U64", "C64", "F8_E5M2", "F8_E4M3",
      "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2",
    ]
  }

  /// One tensor's header entry.
  struct Entry {
    var name: String
    var dtype: DType
    var shape: [Int]
    var count: Int
    var begin: Int
    var end: Int
  }

  // MARK: Writing

  /// The file's bytes: 8-byte little-endian header length, the JSON header (padded with spaces
  /// to a multiple of 8), the raw little-endian float32 data, in the order of `tensors`.
  ///
  /// Names must be unique and not `__metadata__`: a repeated name's later tensors and a tensor
  /// of that name are left out, so the file is always valid. `metadata` is written sorted by key
  /// (PyTorch's `save_file` writes `["format": "pt"]`).
  public static func encode(
    _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]
  ) -> [UInt8] {
    var seen: Set<String> = ["__metadata__"]
    let kept = tensors.filter { seen.insert($0.name).inserted }
    var parts: [String] = []
    if !metadata.isEmpty {
      let pairs = metadata.sorted { $0.key < $1.key }.map {
        quoted($0.key) + ":" + quoted($0.value)
      }
      parts.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
    }
    var offset = 0
    for (name, tensor) in kept {
      let end = offset + tensor.count * 4
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      parts.append(
        quoted(name)
          + ":{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
      offset = end
    }
    var header = Array(("{" + parts.joined(separator: ",") + "}").utf8)
    header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + header.count + offset)
    withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
    bytes += header
    for (_, tensor) in kept {
      for v in tensor.data {
        withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 }
      }
    }
    return bytes
  }

  /// `text` as a JSON string: quotes, backslashes and control characters escaped.
  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  // MARK: Reading

  /// Every tensor, in the file's data order; a one-line ``InputError`` naming `source` on
  /// anything the spec forbids, or a dtype convscope does not read.
  public static func decode(_ bytes: [UInt8], source: String) throws(InputError) -> [(
    name: String, tensor: Tensor
  )] {
    try read(bytes, source: source).tensors
  }

  /// The tensors (in data order) and the `__metadata__` strings of the file in `bytes`.
  public static func read(_ bytes: [UInt8], source: String) throws(InputError) -> (
    tensors: [(name: String, tensor: Tensor)], metadata: [String: String]
  ) {
    let (header, metadata, dataStart) = try parseHeader(bytes, source: source)
    let entries = try entries(header, source: source)
    try checkCoverage(entries, dataCount: bytes.count - dataStart, source: source)
    let tensors = bytes.withUnsafeBytes { raw in
      entries.map { entry in
        (entry.name, tensor(entry, raw: UnsafeRawBufferPointer(rebasing: raw[dataStart...])))
      }
    }
    return (tensors, metadata)
  }

  /// The header's object without `__metadata__`, the metadata, and where the data starts.
  static func parseHeader(_ bytes: [UInt8], source: String) throws(InputError) -> (
    [String: JSONValue], [String: String], Int
  ) {
    func fail(_ m: String) -> InputError { InputError(source: source, m) }
    guard bytes.count >= 8 else {
      throw fail(
        "\(bytes.count) bytes, too short for a safetensors file (it starts with an 8-byte "
          + "header length)")
    }
    var size: UInt64 = 0
    for k in (0..<8).reversed() { size = size << 8 | UInt64(bytes[k]) }
    guard size <= UInt64(maxHeaderSize) else {
      throw fail(
        "a safetensors header of \(size) bytes, over the limit of \(maxHeaderSize); refused "
          + "before reading it")
    }
    let n = Int(size)
    guard n <= bytes.count - 8 else {
      throw fail(
        "truncated: the safetensors header says \(n) bytes, but only \(bytes.count - 8) follow")
    }
    guard n > 0, bytes[8] == UInt8(ascii: "{") else {
      throw fail("the safetensors header does not start with '{' (it must be a JSON object)")
    }
    let parsed: (value: JSONValue, duplicateKey: String?)
    do {
      parsed = try bytes.withUnsafeBufferPointer { all throws(JSONSyntaxError) in
        try JSONScanner.parseReportingDuplicates(UnsafeBufferPointer(rebasing: all[8..<(8 + n)]))
      }
    } catch {
      throw fail("the safetensors header is not JSON: \(error.reason)")
    }
    if let name = parsed.duplicateKey {
      throw fail("the safetensors header names '\(Printable.escape(name.prefix(60)))' twice")
    }
    guard case .object(var members) = parsed.value else {
      throw fail("the safetensors header is not a JSON object of UTF-8 names")
    }
    let metadata = try metadata(members.removeValue(forKey: "__metadata__"), source: source)
    return (members, metadata, 8 + n)
  }

  /// The `__metadata__` object's strings.
  static func metadata(_ value: JSONValue?, source: String) throws(InputError) -> [String: String] {
    guard let value else { return [:] }
    guard case .object(let members) = value else {
      throw InputError(source: source, "the safetensors __metadata__ is not an object of strings")
    }
    var result: [String: String] = [:]
    for (key, member) in members {
      guard case .string(let text) = member else {
        throw InputError(
          source: source,
          "the safetensors __metadata__ value of '\(Printable.escape(key.prefix(60)))' is not "
            + "a string")
      }
      result[key] = text
    }
    return result
  }

  /// Each tensor's entry, sorted by where its data lies (then by name).
  static func entries(_ header: [String: JSONValue], source: String) throws(InputError)
    -> [Entry]
  {
    var result: [Entry] = []
    for (name, value) in header {
      result.append(try entry(name, value, source: source))
    }
    result.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
    return result
  }

  /// The entry `name: value` of the header, its fields checked.
  static func entry(_ name: String, _ value: JSONValue, source: String) throws(InputError)
    -> Entry
  {
    let label = "tensor '\(Printable.escape(name.prefix(60)))'"
    func fail(_ m: String) -> InputError { InputError(source: source, "\(label): \(m)") }
    guard case .object(let fields) = value else {
      throw fail("not an object {\"dtype\", \"shape\", \"data_offsets\"}")
    }
    guard case .string(let typeName) = fields["dtype"] else { throw fail("no string \"dtype\"") }
    guard let dtype = DType(rawValue: typeName) else {
      let shown = Printable.escape(typeName.prefix(20))
      throw fail(
        DType.others.contains(typeName)
          ? "dtype \(shown) is not read by convscope (it reads F32, F64, F16 and BF16)"
          : "unknown dtype '\(shown)'")
    }
    guard case .array(let dims) = fields["shape"] else { throw fail("no array \"shape\"") }
    guard dims.elementCount <= maxRank else {
      throw fail("\(dims.elementCount) dimensions, over the limit of \(maxRank)")
    }
    guard let shape = integers(dims), shape.count == dims.elementCount else {
      throw fail("\"shape\" is not a list of non-negative integers")
    }
    guard case .array(let offsets) = fields["data_offsets"], offsets.elementCount == 2,
      let pair = integers(offsets), pair.count == 2
    else { throw fail("\"data_offsets\" is not two non-negative integers [begin, end]") }
    var count = 1
    for d in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: d)
      guard !overflow, product <= Tensor.maxElementCount else {
        throw fail(
          "shape \(ConvError.format(shape)) holds over \(Tensor.maxElementCount) values")
      }
      count = product
    }
    return Entry(
      name: name, dtype: dtype, shape: shape, count: count, begin: pair[0], end: pair[1])
  }

  /// The array's numbers when every one is a non-negative integer below 2^53, else nil.
  static func integers(_ array: JSONArray) -> [Int]? {
    var result: [Int] = []
    for k in 0..<array.count {
      let d = array.double(k)
      guard d >= 0, d < 9_007_199_254_740_992, d.rounded() == d else { return nil }
      result.append(Int(d))
    }
    return result
  }

  /// Checks that the tensors, sorted by offset, cover the `dataCount` bytes exactly.
  static func checkCoverage(_ entries: [Entry], dataCount: Int, source: String)
    throws(InputError)
  {
    func fail(_ m: String) -> InputError { InputError(source: source, m) }
    var covered = 0
    var previous: String?
    for e in entries {
      let label = "tensor '\(Printable.escape(e.name.prefix(60)))'"
      if e.begin > covered {
        throw fail(
          "a hole in the safetensors data: bytes \(covered)..<\(e.begin) belong to no tensor "
            + "(the next is \(label))")
      }
      if e.begin < covered {
        let other = previous.map { "'\(Printable.escape($0.prefix(60)))'" } ?? "another"
        throw fail("\(label) overlaps tensor \(other) (its data_offsets start at \(e.begin))")
      }
      guard e.end >= e.begin else {
        throw fail("\(label): data_offsets [\(e.begin), \(e.end)] end before they begin")
      }
      let needed = e.count * e.dtype.size
      guard e.end - e.begin == needed else {
        throw fail(
          "\(label): shape \(ConvError.format(e.shape)) of \(e.dtype.rawValue) needs \(needed) "
            + "bytes, but its data_offsets [\(e.begin), \(e.end)] hold \(e.end - e.begin)")
      }
      covered = e.end
      previous = e.name
    }
    if covered > dataCount {
      throw fail(
        "truncated: the tensors need \(covered) bytes of data after the header, the file holds "
          + "\(dataCount)")
    }
    if covered < dataCount {
      throw fail(
        "\(dataCount - covered) bytes after the last tensor's data belong to no tensor")
    }
  }

  /// The tensor of `entry`, converted to `Float` from the data buffer `raw`.
  static func tensor(_ entry: Entry, raw: UnsafeRawBufferPointer) -> Tensor {
    // The shape was checked (non-negative, within the limit) and `count` is its product.
    var result = Tensor(shape: entry.shape)
    let at = entry.begin
    result.data.withUnsafeMutableBufferPointer { values in
      for k in 0..<entry.count {
        switch entry.dtype {
        case .f32:
          values[k] = Float(bitPattern: UInt32(littleEndian: load(raw, at + 4 * k)))
        case .f64:
          values[k] = Float(Double(bitPattern: UInt64(littleEndian: load(raw, at + 8 * k))))
        case .f16:
          values[k] = Float(Float16(bitPattern: UInt16(littleEndian: load(raw, at + 2 * k))))
        case .bf16:
          values[k] = Float(bitPattern: UInt32(UInt16(littleEndian: load(raw, at + 2 * k))) << 16)
        }
      }
    }
    return result
  }

  /// The unaligned value at byte `offset` of `raw`.
  @inline(__always)
  static func load<T: FixedWidthInteger>(_ raw: UnsafeRawBufferPointer, _ offset: Int) -> T {
    raw.loadUnaligned(fromByteOffset: offset, as: T.self)
  }
}
