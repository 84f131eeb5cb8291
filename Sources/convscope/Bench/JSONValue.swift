import ConvCore

// MARK: - JSONValue

/// A JSON document with ordered object keys, printed without Foundation (so that `bench` adds
/// nothing to the start-up it may one day measure).
enum JSONValue: Equatable {
  case null
  case bool(Bool)
  case int(Int)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  static func == (a: JSONValue, b: JSONValue) -> Bool {
    a.rendered() == b.rendered()
  }

  /// The value in JSON text; objects and arrays are indented by two spaces per level.
  func rendered(indent: Int = 0) -> String {
    let pad = String(repeating: " ", count: indent + 2)
    let close = String(repeating: " ", count: indent)
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .int(let i): return String(i)
    case .number(let d): return d.isFinite ? String(d) : "null"
    case .string(let s): return JSONValue.quoted(s)
    case .array(let items):
      if items.isEmpty { return "[]" }
      let body = items.map { pad + $0.rendered(indent: indent + 2) }.joined(separator: ",\n")
      return "[\n" + body + "\n" + close + "]"
    case .object(let members):
      if members.isEmpty { return "{}" }
      let body = members.map { key, value in
        pad + JSONValue.quoted(key) + ": " + value.rendered(indent: indent + 2)
      }.joined(separator: ",\n")
      return "{\n" + body + "\n" + close + "}"
    }
  }

  /// A JSON string literal.
  static func quoted(_ s: String) -> String { JSONText.quote(s) }
}
