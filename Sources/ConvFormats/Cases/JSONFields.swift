import ConvCore
import Foundation

// MARK: - JSONFields

/// Typed access to a decoded JSON object whose errors name the field (`shapes.x`, `params.stride`).
struct JSONFields {
  let object: [String: Any]
  let source: String
  let path: String

  init(_ object: [String: Any], source: String, path: String = "") {
    self.object = object
    self.source = source
    self.path = path
  }

  func fieldName(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  func error(_ key: String, _ what: String) -> InputError {
    InputError(source: source, "field \"\(fieldName(key))\": \(what)")
  }

  func has(_ key: String) -> Bool { object[key] != nil && !(object[key] is NSNull) }

  func value(_ key: String) throws -> Any {
    guard let v = object[key], !(v is NSNull) else {
      throw InputError(source: source, "missing field \"\(fieldName(key))\"")
    }
    return v
  }

  func string(_ key: String) throws -> String {
    guard let s = try value(key) as? String else { throw error(key, "expected a string") }
    return s
  }

  func object(_ key: String) throws -> JSONFields {
    guard let o = try value(key) as? [String: Any] else { throw error(key, "expected an object") }
    return JSONFields(o, source: source, path: fieldName(key))
  }

  /// A JSON number (not a boolean).
  static func number(_ v: Any) -> Double? {
    guard let n = v as? NSNumber else { return nil }
    // JSONSerialization decodes true/false as NSNumber too; refuse them.
    if isJSONBoolean(n) { return nil }
    return n.doubleValue
  }

  func number(_ key: String) throws -> Double {
    guard let d = JSONFields.number(try value(key)), d.isFinite else {
      throw error(key, "expected a finite number")
    }
    return d
  }

  func floats(_ key: String) throws -> [Float] {
    guard let array = try value(key) as? [Any] else {
      throw error(key, "expected a flat array of numbers")
    }
    var result = [Float]()
    result.reserveCapacity(array.count)
    for (i, v) in array.enumerated() {
      guard let d = JSONFields.number(v) else {
        throw error(key, "element \(i) is not a number")
      }
      result.append(Float(d))
    }
    return result
  }

  func ints(_ key: String) throws -> [Int] {
    guard let array = try value(key) as? [Any] else { throw error(key, "expected an array") }
    return try array.enumerated().map { i, v in
      guard let d = JSONFields.number(v), d == d.rounded(), abs(d) < 1e15 else {
        throw error(key, "element \(i) is not an integer")
      }
      return Int(d)
    }
  }

  func shape(_ key: String) throws -> [Int] {
    guard has(key) else {
      throw InputError(source: source, "missing field \"\(fieldName(key))\"")
    }
    let dims = try ints(key)
    guard dims.allSatisfy({ $0 >= 0 }) else { throw error(key, "negative dimension") }
    return dims
  }

  /// `[h, w]` (or a single integer for both).
  func pair(_ key: String) throws -> Size2 {
    let v = try value(key)
    if let d = JSONFields.number(v), d == d.rounded(), abs(d) < 1e9 { return Size2(Int(d)) }
    let values = try ints(key)
    guard values.count == 2, values.allSatisfy({ abs($0) < 1_000_000_000 }) else {
      throw error(key, "expected [h, w]")
    }
    return Size2(values[0], values[1])
  }

  func optionalPair(_ key: String) throws -> Size2? {
    has(key) ? try pair(key) : nil
  }

  /// A short reason from a JSONSerialization error.
  static func reason(_ error: Error) -> String {
    let ns = error as NSError
    if let detail = ns.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
    return ns.localizedDescription
  }
}

/// Whether an `NSNumber` holds a boolean (JSON `true`/`false`): JSONSerialization stores those
/// with the Objective-C type code `c`, numbers as `q`/`i`/`d`.
func isJSONBoolean(_ n: NSNumber) -> Bool {
  String(cString: n.objCType) == "c"
}
