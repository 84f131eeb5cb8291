import Foundation

// MARK: - JSONOutput

/// The one way convscope writes JSON: `JSONEncoder` with sorted keys (`JSONEncoder` keeps no
/// insertion order, so sorting is what makes the output the same every run) and `/` unescaped.
///
/// Numbers are the shortest decimal that reads back as the same value; write `Float` tensors as
/// ``ConvCore/JSONFloat`` so that NaN and infinities become `null`.
public enum JSONOutput {
  /// How the text is laid out.
  public enum Layout: Sendable {
    /// One line (`steps --json`, `check --json`).
    case line
    /// Indented, one member a line (`compute`, `bench --json`).
    case pretty
  }

  /// `value` as JSON text ending in a newline; `snakeCase` turns `maxAbsError` into
  /// `max_abs_error`.
  public static func text(
    _ value: some Encodable, layout: Layout = .line, snakeCase: Bool = false
  ) throws -> String {
    let encoder = JSONEncoder()
    var formatting: JSONEncoder.OutputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    if layout == .pretty { formatting.insert(.prettyPrinted) }
    encoder.outputFormatting = formatting
    if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
  }
}
