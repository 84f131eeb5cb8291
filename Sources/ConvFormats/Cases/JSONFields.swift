import ConvCore

// MARK: - JSONFields

/// Typed access to one object of a JSON document read by ``JSONScanner``, whose errors name the
/// field (`shapes.x`, `params.stride`) in one line.
///
/// Its errors carry no source: the caller puts the file's name in front. Numbers are `Double`s
/// (then `Float` for tensors), and `true`/`false` are never numbers.
struct JSONFields {
  let members: [String: JSONValue]
  let path: String

  init(_ members: [String: JSONValue], path: String = "") {
    self.members = members
    self.path = path
  }

  func fieldName(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  func error(_ key: String, _ what: String) -> InputError {
    InputError("field \"\(fieldName(key))\": \(what)")
  }

  /// Whether the key is there at all, `null` included.
  func contains(_ key: String) -> Bool { members[key] != nil }

  /// Whether the key is there with a value other than `null`.
  func has(_ key: String) -> Bool {
    switch members[key] {
    case .none, .null?: return false
    default: return true
    }
  }

  /// Throws "missing field" unless ``has(_:)``.
  func require(_ key: String) throws {
    guard has(key) else { throw InputError("missing field \"\(fieldName(key))\"") }
  }

  func string(_ key: String) throws -> String {
    try require(key)
    guard let s = optionalString(key) else { throw error(key, "expected a string") }
    return s
  }

  /// The value when it is a string, else nil (for fields that fall back to a default).
  func optionalString(_ key: String) -> String? {
    if case .string(let s)? = members[key] { return s }
    return nil
  }

  /// The value when it is a boolean, else nil.
  func optionalBool(_ key: String) -> Bool? {
    if case .bool(let v)? = members[key] { return v }
    return nil
  }

  func object(_ key: String) throws -> JSONFields {
    try require(key)
    guard case .object(let o)? = members[key] else { throw error(key, "expected an object") }
    return JSONFields(o, path: fieldName(key))
  }

  /// The value when it is a number that a `Double` holds (not ±∞), else nil.
  func optionalNumber(_ key: String) -> Double? {
    if case .number(let d)? = members[key], d.isFinite { return d }
    return nil
  }

  func number(_ key: String) throws -> Double {
    try require(key)
    guard let d = optionalNumber(key) else { throw error(key, "expected a finite number") }
    return d
  }

  /// A flat array of numbers as `Float`s (a number too large for `Float` becomes ±∞).
  func floats(_ key: String) throws -> [Float] {
    try require(key)
    let array = try numbers(key, notAnArray: "expected a flat array of numbers")
    if let other = array.firstOther { throw error(key, "element \(other) is not a number") }
    return array.floats
  }

  func ints(_ key: String) throws -> [Int] {
    let array = try numbers(key, notAnArray: "expected an array")
    var result: [Int] = []
    result.reserveCapacity(array.count)
    for i in 0..<array.count {
      let d = array.double(i)
      guard d == d.rounded(), abs(d) < 1e15 else {
        throw error(key, "element \(i) is not an integer")
      }
      result.append(Int(d))
    }
    if let other = array.firstOther { throw error(key, "element \(other) is not an integer") }
    return result
  }

  /// An array of objects (a network's `layers`), each read with its path (`layers[2]`).
  func objects(_ key: String) throws -> [JSONFields] {
    try require(key)
    let array = try numbers(key, notAnArray: "expected an array of objects")
    guard array.objects.count == array.elementCount else {
      if array.objects.count == JSONArray.maxObjects {
        throw error(key, "more than \(JSONArray.maxObjects) elements")
      }
      throw error(key, "element \(array.objects.count) is not an object")
    }
    return array.objects.enumerated().map {
      JSONFields($0.element, path: "\(fieldName(key))[\($0.offset)]")
    }
  }

  /// The array `key`, or the error `notAnArray`.
  func numbers(_ key: String, notAnArray: String) throws -> JSONArray {
    guard case .array(let array)? = members[key] else { throw error(key, notAnArray) }
    return array
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
    if let d = optionalNumber(key), d == d.rounded(), abs(d) < 1e9 {
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
}
