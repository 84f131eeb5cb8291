// MARK: - JSONValue

/// A JSON document as the case reader needs it, read by ``JSONScanner``.
///
/// An array of numbers is kept as `[Float]` (4 bytes a value), not as a tree of boxed numbers:
/// reading a case takes memory proportional to its values, where `JSONDecoder` took about 36
/// times the file's size.
indirect enum JSONValue {
  case null
  case bool(Bool)
  /// A number; ±∞ when it is too large for a `Double` (which `JSONDecoder` refused).
  case number(Double)
  case string(String)
  case array(JSONArray)
  case object([String: JSONValue])
  /// Well-formed JSON that `JSONDecoder` could not decode: a string with a lone UTF-16
  /// surrogate or bytes that are not UTF-8, or an object with such a key. It reads as neither a
  /// string nor an object, as it did.
  case undecodable
}

// MARK: - JSONArray

/// An array, as far as the case reader can use it: the numbers it starts with and, when another
/// kind of element follows, that element's index (the elements after it are checked for syntax
/// but not kept, since every reader of numbers stops at the first element that is not a
/// number); or, for an array of objects (a network's `layers`), its leading objects.
struct JSONArray {
  /// How many leading numbers keep their exact `Double` (enough for shapes and pairs).
  static let exactCount = 64
  /// How many leading objects are kept (a network of more layers is refused).
  static let maxObjects = 1024

  /// The leading objects, up to ``maxObjects`` (empty when the array starts with a number).
  var objects: [[String: JSONValue]] = []
  /// The number of elements, of every kind.
  var elementCount = 0

  /// The leading numbers as `Float`s (a number too large for `Float` is ±∞).
  var floats: [Float] = []
  /// The first ``exactCount`` leading numbers as read.
  var exact: [Double] = []
  /// The index of the first element that is not a finite-in-`Double` number, if any.
  var firstOther: Int?

  /// The number of leading numbers.
  var count: Int { floats.count }

  /// Element `i` (below ``count``) as a `Double`: exact for the first ``exactCount``.
  func double(_ i: Int) -> Double { i < exact.count ? exact[i] : Double(floats[i]) }
}

// MARK: - JSONScanner

/// A small JSON reader (RFC 8259): objects, arrays, strings with escapes, numbers, `true`,
/// `false`, `null`; a leading UTF-8 byte-order mark is skipped. Numbers are read by
/// ``DecimalScanner``, with the same values as `JSONDecoder`. Errors are one line with the
/// line and column.
struct JSONScanner {
  /// The deepest nesting of arrays and objects accepted.
  static let maxDepth = 100

  let b: UnsafeBufferPointer<UInt8>
  var i = 0
  var depth = 0
  /// The first key met twice in one object (the first of the two wins), for readers that must
  /// refuse repeated keys (safetensors' tensor names).
  var duplicateKey: String?

  /// The document in `bytes`.
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
    try parseReportingDuplicates(bytes).value
  }

  /// The document in `bytes` and the first key that appears twice in one of its objects.
  static func parseReportingDuplicates(_ bytes: UnsafeBufferPointer<UInt8>)
    throws(JSONSyntaxError) -> (value: JSONValue, duplicateKey: String?)
  {
    var scanner = JSONScanner(b: bytes)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { scanner.i = 3 }
    scanner.skipSpace()
    let value = try scanner.value()
    scanner.skipSpace()
    guard scanner.i == bytes.count else { throw scanner.error("unexpected text after the end") }
    return (value, scanner.duplicateKey)
  }

  func error(_ what: String) -> JSONSyntaxError {
    var line = 1
    var column = 1
    for k in 0..<min(i, b.count) {
      if b[k] == 0x0A {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return JSONSyntaxError(reason: "\(what) at line \(line), column \(column)")
  }

  /// What the next byte is, for messages: `'x'`, `byte 0xff` or `the end of the file`.
  func found() -> String {
    guard i < b.count else { return "the end of the file" }
    let c = b[i]
    return (0x21..<0x7F).contains(c) ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x" + hex(c)
  }

  func hex(_ c: UInt8) -> String {
    let h = String(c, radix: 16)
    return h.count == 1 ? "0" + h : h
  }

  mutating func skipSpace() {
    while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
  }

  mutating func value() throws(JSONSyntaxError) -> JSONValue {
    guard i < b.count else { throw error("expected a value, found the end of the file") }
    switch b[i] {
    case UInt8(ascii: "{"): return try object()
    case UInt8(ascii: "["): return .array(try array())
    case UInt8(ascii: "\""): return try string().map { .string($0) } ?? .undecodable
    case UInt8(ascii: "t"): return try word("true", .bool(true))
    case UInt8(ascii: "f"): return try word("false", .bool(false))
    case UInt8(ascii: "n"): return try word("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
    default: throw error("expected a value, found \(found())")
    }
  }

  mutating func word(_ text: StaticString, _ result: JSONValue) throws(JSONSyntaxError)
    -> JSONValue
  {
    let n = text.utf8CodeUnitCount
    guard i + n <= b.count,
      (0..<n).allSatisfy({ b[i + $0] == text.utf8Start[$0] })
    else { throw error("expected a value, found \(found())") }
    i += n
    return result
  }

  /// A number token, checked against JSON's grammar, read by ``DecimalScanner``.
  mutating func number() throws(JSONSyntaxError) -> Double {
    let start = i
    if b[i] == UInt8(ascii: "-") { i += 1 }
    guard i < b.count, DecimalScanner.isDigit(b[i]) else {
      throw error("expected a digit, found \(found())")
    }
    if b[i] == UInt8(ascii: "0") {
      i += 1
      if i < b.count, DecimalScanner.isDigit(b[i]) { throw error("a number with a leading zero") }
    } else {
      while i < b.count, DecimalScanner.isDigit(b[i]) { i += 1 }
    }
    if i < b.count, b[i] == UInt8(ascii: ".") {
      i += 1
      guard i < b.count, DecimalScanner.isDigit(b[i]) else {
        throw error("expected a digit after '.', found \(found())")
      }
      while i < b.count, DecimalScanner.isDigit(b[i]) { i += 1 }
    }
    if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
      i += 1
      if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
      guard i < b.count, DecimalScanner.isDigit(b[i]) else {
        throw error("expected a digit in the exponent, found \(found())")
      }
      while i < b.count, DecimalScanner.isDigit(b[i]) { i += 1 }
    }
    guard let d = DecimalScanner.double(b, start, i) else { throw error("a malformed number") }
    return d
  }

  mutating func enter() throws(JSONSyntaxError) {
    depth += 1
    guard depth <= Self.maxDepth else {
      throw error("arrays and objects nested more than \(Self.maxDepth) deep")
    }
    i += 1
    skipSpace()
  }

  /// An array: leading numbers into `floats`, the rest checked and dropped after the first
  /// element of another kind.
  mutating func array() throws(JSONSyntaxError) -> JSONArray {
    try enter()
    var result = JSONArray()
    if i < b.count, b[i] == UInt8(ascii: "]") {
      i += 1
      depth -= 1
      return result
    }
    var index = 0
    while true {
      if result.firstOther == nil, i < b.count,
        b[i] == UInt8(ascii: "-") || DecimalScanner.isDigit(b[i])
      {
        let d = try number()
        if d.isFinite {
          result.floats.append(Float(d))
          if result.exact.count < JSONArray.exactCount { result.exact.append(d) }
        } else {
          result.firstOther = index
        }
      } else {
        let element = try value()
        if result.firstOther == nil { result.firstOther = index }
        if case .object(let members) = element, result.objects.count == index,
          index < JSONArray.maxObjects
        {
          result.objects.append(members)
        }
      }
      index += 1
      result.elementCount = index
      skipSpace()
      guard i < b.count else { throw error("expected ',' or ']', found the end of the file") }
      if b[i] == UInt8(ascii: "]") { break }
      guard b[i] == UInt8(ascii: ",") else { throw error("expected ',' or ']', found \(found())") }
      i += 1
      skipSpace()
    }
    i += 1
    depth -= 1
    return result
  }

  mutating func object() throws(JSONSyntaxError) -> JSONValue {
    try enter()
    var members: [String: JSONValue] = [:]
    var decodable = true
    if i < b.count, b[i] == UInt8(ascii: "}") {
      i += 1
      depth -= 1
      return .object(members)
    }
    while true {
      guard i < b.count, b[i] == UInt8(ascii: "\"") else {
        throw error("expected a key in double quotes, found \(found())")
      }
      let key = try string()
      skipSpace()
      guard i < b.count, b[i] == UInt8(ascii: ":") else {
        throw error("expected ':' after a key, found \(found())")
      }
      i += 1
      skipSpace()
      let member = try value()
      // The first of two equal keys wins, as with JSONDecoder.
      if let key {
        if members[key] == nil {
          members[key] = member
        } else if duplicateKey == nil {
          duplicateKey = key
        }
      } else {
        decodable = false
      }
      skipSpace()
      guard i < b.count else { throw error("expected ',' or '}', found the end of the file") }
      if b[i] == UInt8(ascii: "}") { break }
      guard b[i] == UInt8(ascii: ",") else { throw error("expected ',' or '}', found \(found())") }
      i += 1
      skipSpace()
    }
    i += 1
    depth -= 1
    return decodable ? .object(members) : .undecodable
  }

  /// A string (`i` at its opening quote); nil when it holds a lone UTF-16 surrogate or bytes
  /// that are not UTF-8.
  mutating func string() throws(JSONSyntaxError) -> String? {
    i += 1
    var bytes: [UInt8] = []
    var decodable = true
    while true {
      guard i < b.count else { throw error("a string without its closing quote") }
      let c = b[i]
      if c == UInt8(ascii: "\"") { break }
      guard c >= 0x20 else { throw error("a control character (byte 0x\(hex(c))) in a string") }
      if c == UInt8(ascii: "\\") {
        if !(try escape(into: &bytes)) { decodable = false }
      } else {
        bytes.append(c)
        i += 1
      }
    }
    i += 1
    return decodable ? String(validating: bytes, as: UTF8.self) : nil
  }

  /// One escape sequence (`i` at its backslash), appended as UTF-8; false for a lone UTF-16
  /// surrogate (well-formed JSON, but no text).
  mutating func escape(into bytes: inout [UInt8]) throws(JSONSyntaxError) -> Bool {
    i += 1
    guard i < b.count else { throw error("a string without its closing quote") }
    let simple: [UInt8: UInt8] = [
      0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D,
      0x74: 0x09,
    ]
    if let s = simple[b[i]] {
      bytes.append(s)
      i += 1
      return true
    }
    guard b[i] == UInt8(ascii: "u") else { throw error("an unknown escape \\\(found())") }
    var scalar = try hex4()
    if (0xD800..<0xDC00).contains(scalar) {
      guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else {
        return false
      }
      i += 1
      let low = try hex4()
      guard (0xDC00..<0xE000).contains(low) else { return false }
      scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
    }
    guard let u = Unicode.Scalar(scalar) else { return false }
    bytes.append(contentsOf: String(Character(u)).utf8)
    return true
  }

  /// `uXXXX` (`i` at the `u`): the four hex digits' value.
  mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
    i += 1
    guard i + 4 <= b.count else { throw error("a \\u escape without four hex digits") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      guard let d = Character(Unicode.Scalar(b[i])).hexDigitValue else {
        throw error("a \\u escape without four hex digits")
      }
      v = v << 4 | UInt32(d)
      i += 1
    }
    return v
  }
}

// MARK: - JSONSyntaxError

/// Text that is not JSON: why and where, in one line.
struct JSONSyntaxError: Error {
  var reason: String
}
