// MARK: - NPYHeader

/// The header dictionary of a `.npy` file: `{'descr': '<f4', 'fortran_order': False,
/// 'shape': (3, 4), }`, parsed as the Python literal it is (not by pattern matching).
struct NPYHeader: Equatable {
  /// The dtype string, e.g. `<f4`, `|u1`, `>i8`.
  var descr: String
  /// Whether the data is stored in column-major (Fortran) order.
  var fortranOrder: Bool
  /// The array's shape; `[]` for a 0-d array.
  var shape: [Int]

  /// The longest header convscope parses (NumPy itself refuses more than 10 000 characters).
  static let maxLength = 1 << 20

  // MARK: Python literals

  /// The subset of Python literals a header can hold.
  indirect enum Literal {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case none
    case tuple([Literal])
    case list([Literal])
    case dict([(String, Literal)])
  }

  /// Parses the header text; errors are phrased to follow `file.npy: `.
  static func parse(_ text: [UInt8]) throws(NPYHeaderError) -> NPYHeader {
    var parser = LiteralParser(bytes: text)
    let value = try parser.parseValue(depth: 0)
    parser.skipSpace()
    guard parser.atEnd else {
      throw NPYHeaderError("unexpected text after the header dictionary")
    }
    guard case .dict(let entries) = value else {
      throw NPYHeaderError("the header is not a dictionary")
    }
    func entry(_ key: String) throws(NPYHeaderError) -> Literal {
      guard let found = entries.first(where: { $0.0 == key }) else {
        throw NPYHeaderError("the header has no '\(key)' key")
      }
      return found.1
    }
    let descr: String
    switch try entry("descr") {
    case .string(let s): descr = s
    case .list: throw NPYHeaderError("structured dtypes (record arrays) are not supported")
    default: throw NPYHeaderError("'descr' is not a dtype string")
    }
    guard case .boolean(let fortran) = try entry("fortran_order") else {
      throw NPYHeaderError("'fortran_order' is not True or False")
    }
    guard case .tuple(let dims) = try entry("shape") else {
      throw NPYHeaderError("'shape' is not a tuple")
    }
    var shape: [Int] = []
    for d in dims {
      guard case .integer(let n) = d, n >= 0 else {
        throw NPYHeaderError("'shape' holds something other than non-negative integers")
      }
      shape.append(n)
    }
    return NPYHeader(descr: descr, fortranOrder: fortran, shape: shape)
  }
}

// MARK: - NPYHeaderError

/// A problem with a header's text, without the file name.
struct NPYHeaderError: Error {
  var message: String
  init(_ message: String) { self.message = message }
}

// MARK: - LiteralParser

/// A recursive-descent parser for the Python literals of an `.npy` header.
private struct LiteralParser {
  let bytes: [UInt8]
  var index = 0

  /// The deepest nesting accepted; real headers nest two levels.
  static let maxDepth = 8

  init(bytes: [UInt8]) { self.bytes = bytes }

  var atEnd: Bool { index >= bytes.count }

  mutating func skipSpace() {
    while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
  }

  mutating func expect(_ c: UInt8) throws(NPYHeaderError) {
    skipSpace()
    guard index < bytes.count, bytes[index] == c else {
      throw NPYHeaderError(
        "malformed header: expected '\(Character(Unicode.Scalar(c)))' at character \(index + 1)")
    }
    index += 1
  }

  mutating func parseValue(depth: Int) throws(NPYHeaderError) -> NPYHeader.Literal {
    guard depth <= LiteralParser.maxDepth else {
      throw NPYHeaderError("malformed header: nested too deeply")
    }
    skipSpace()
    guard index < bytes.count else { throw NPYHeaderError("malformed header: it ends early") }
    switch bytes[index] {
    case UInt8(ascii: "'"), UInt8(ascii: "\""):
      return .string(try parseString())
    case UInt8(ascii: "("):
      return .tuple(try parseSequence(close: UInt8(ascii: ")"), depth: depth))
    case UInt8(ascii: "["):
      return .list(try parseSequence(close: UInt8(ascii: "]"), depth: depth))
    case UInt8(ascii: "{"):
      return try parseDict(depth: depth)
    case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return .integer(try parseInteger())
    default:
      let word = parseWord()
      switch word {
      case "True": return .boolean(true)
      case "False": return .boolean(false)
      case "None": return .none
      default:
        throw NPYHeaderError(
          "malformed header: unexpected \(word.isEmpty ? "character" : "'\(word.prefix(20))'") "
            + "at character \(index + 1)")
      }
    }
  }

  mutating func parseWord() -> String {
    let start = index
    while index < bytes.count, isWordByte(bytes[index]) { index += 1 }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  func isWordByte(_ b: UInt8) -> Bool {
    (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || (0x30...0x39).contains(b)
      || b == UInt8(ascii: "_")
  }

  mutating func parseString() throws(NPYHeaderError) -> String {
    let quote = bytes[index]
    index += 1
    var out: [UInt8] = []
    while index < bytes.count {
      let b = bytes[index]
      index += 1
      if b == quote { return String(decoding: out, as: UTF8.self) }
      if b == UInt8(ascii: "\\") {
        guard index < bytes.count else { break }
        out.append(bytes[index])
        index += 1
      } else {
        out.append(b)
      }
    }
    throw NPYHeaderError("malformed header: a string is not closed")
  }

  mutating func parseInteger() throws(NPYHeaderError) -> Int {
    var negative = false
    if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
      negative = bytes[index] == UInt8(ascii: "-")
      index += 1
    }
    var value = 0
    var digits = 0
    while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
      let (times10, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times10.addingReportingOverflow(Int(bytes[index] - 0x30))
      guard !o1, !o2 else { throw NPYHeaderError("a number in the header is too large") }
      value = sum
      digits += 1
      index += 1
    }
    guard digits > 0 else {
      throw NPYHeaderError("malformed header: a sign without digits at character \(index)")
    }
    // Python 2 long integers: `(3L, 4L)`.
    if index < bytes.count, bytes[index] == UInt8(ascii: "L") { index += 1 }
    return negative ? -value : value
  }

  mutating func parseSequence(close: UInt8, depth: Int) throws(NPYHeaderError)
    -> [NPYHeader.Literal]
  {
    index += 1
    var items: [NPYHeader.Literal] = []
    while true {
      skipSpace()
      if index < bytes.count, bytes[index] == close {
        index += 1
        return items
      }
      items.append(try parseValue(depth: depth + 1))
      skipSpace()
      if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
        index += 1
      } else {
        try expect(close)
        return items
      }
    }
  }

  mutating func parseDict(depth: Int) throws(NPYHeaderError) -> NPYHeader.Literal {
    index += 1
    var entries: [(String, NPYHeader.Literal)] = []
    while true {
      skipSpace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .dict(entries)
      }
      guard case .string(let key) = try parseValue(depth: depth + 1) else {
        throw NPYHeaderError("malformed header: a dictionary key is not a string")
      }
      try expect(UInt8(ascii: ":"))
      // NumPy keeps a repeated key's last value, a first-wins reader its first: refused, so the
      // two can never read one file differently ({'descr': '<f4', 'descr': '|O'}).
      guard !entries.contains(where: { $0.0 == key }) else {
        throw NPYHeaderError(
          "malformed header: the key '\(Printable.escape(key.prefix(40)))' appears twice")
      }
      entries.append((key, try parseValue(depth: depth + 1)))
      skipSpace()
      if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
        index += 1
      } else {
        try expect(UInt8(ascii: "}"))
        return .dict(entries)
      }
    }
  }
}
