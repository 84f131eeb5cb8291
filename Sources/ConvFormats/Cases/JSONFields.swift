import ConvCore
import Foundation

// MARK: - JSONFields

/// Typed access to one object of a JSON document being decoded by `JSONDecoder`, whose errors
/// name the field (`shapes.x`, `params.stride`) in one line.
///
/// It wraps a decoding container, so it is used only inside an `init(from:)`. Its errors carry no
/// source: the caller puts the file's name in front. Numbers are read as `Double` (then `Float`
/// for tensors), and `true`/`false` are never numbers.
struct JSONFields {
  let container: KeyedDecodingContainer<JSONKey>
  let path: String

  init(_ container: KeyedDecodingContainer<JSONKey>, path: String = "") {
    self.container = container
    self.path = path
  }

  func fieldName(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  func error(_ key: String, _ what: String) -> InputError {
    InputError("field \"\(fieldName(key))\": \(what)")
  }

  /// Whether the key is there at all, `null` included.
  func contains(_ key: String) -> Bool { container.contains(JSONKey(key)) }

  /// Whether the key is there with a value other than `null`.
  func has(_ key: String) -> Bool {
    contains(key) && !((try? container.decodeNil(forKey: JSONKey(key))) ?? true)
  }

  /// Throws "missing field" unless ``has(_:)``.
  func require(_ key: String) throws {
    guard has(key) else { throw InputError("missing field \"\(fieldName(key))\"") }
  }

  func string(_ key: String) throws -> String {
    try require(key)
    guard let s = try? container.decode(String.self, forKey: JSONKey(key)) else {
      throw error(key, "expected a string")
    }
    return s
  }

  /// The value when it is a string, else nil (for fields that fall back to a default).
  func optionalString(_ key: String) -> String? {
    try? container.decode(String.self, forKey: JSONKey(key))
  }

  /// The value when it is a boolean, else nil.
  func optionalBool(_ key: String) -> Bool? {
    try? container.decode(Bool.self, forKey: JSONKey(key))
  }

  func object(_ key: String) throws -> JSONFields {
    try require(key)
    guard let o = try? container.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey(key))
    else { throw error(key, "expected an object") }
    return JSONFields(o, path: fieldName(key))
  }

  func number(_ key: String) throws -> Double {
    try require(key)
    guard let d = try? container.decode(Double.self, forKey: JSONKey(key)), d.isFinite else {
      throw error(key, "expected a finite number")
    }
    return d
  }

  /// A flat array of numbers as `Float`s (a number too large for `Float` becomes ±∞).
  func floats(_ key: String) throws -> [Float] {
    try require(key)
    if let all = try? container.decode([Double].self, forKey: JSONKey(key)) {
      return all.map { Float($0) }
    }
    return try numbers(key, notAnArray: "expected a flat array of numbers") { i, d in
      guard let d else { throw error(key, "element \(i) is not a number") }
      return Float(d)
    }
  }

  func ints(_ key: String) throws -> [Int] {
    try numbers(key, notAnArray: "expected an array") { i, d in
      guard let d, d == d.rounded(), abs(d) < 1e15 else {
        throw error(key, "element \(i) is not an integer")
      }
      return Int(d)
    }
  }

  /// The elements of the array `key`, each passed to `element` with its index as a `Double`
  /// (nil when it is not a number).
  func numbers<T>(
    _ key: String, notAnArray: String, _ element: (Int, Double?) throws -> T
  ) throws -> [T] {
    guard var array = try? container.nestedUnkeyedContainer(forKey: JSONKey(key)) else {
      throw error(key, notAnArray)
    }
    var result: [T] = []
    result.reserveCapacity(array.count ?? 0)
    while !array.isAtEnd {
      let i = array.currentIndex
      let d = try? array.decode(Double.self)
      result.append(try element(i, d))
      if d == nil { break }
    }
    return result
  }

  func shape(_ key: String) throws -> [Int] {
    try require(key)
    let dims = try ints(key)
    guard dims.allSatisfy({ $0 >= 0 }) else { throw error(key, "negative dimension") }
    return dims
  }

  /// `[h, w]` (or a single integer for both).
  func pair(_ key: String) throws -> Size2 {
    try require(key)
    if let d = try? container.decode(Double.self, forKey: JSONKey(key)), d == d.rounded(),
      abs(d) < 1e9
    {
      return Size2(Int(d))
    }
    let values = try ints(key)
    guard values.count == 2, values.allSatisfy({ abs($0) < 1_000_000_000 }) else {
      throw error(key, "expected [h, w]")
    }
    return Size2(values[0], values[1])
  }

  func optionalPair(_ key: String) throws -> Size2? {
    has(key) ? try pair(key) : nil
  }

  /// A short, one-line reason from a `JSONDecoder` error about the text itself.
  static func reason(_ error: any Error) -> String {
    var text = "\(error)"
    if case .dataCorrupted(let context) = error as? DecodingError {
      text = context.debugDescription
      if let underlying = context.underlyingError as NSError?,
        let detail = underlying.userInfo[NSDebugDescriptionErrorKey] as? String
      {
        text = detail
      }
    }
    return text.split(whereSeparator: \.isNewline).joined(separator: " ")
  }
}
