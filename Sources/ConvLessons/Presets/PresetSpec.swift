import ConvFormats
import Foundation

// MARK: - PresetSpec

/// A preset named on the command line: `gaussian5`, `digit:3`, `checkerboard:8`,
/// `checkerboard:8x12`, `random:4x3x3`.
public struct PresetSpec: Sendable, Equatable, CustomStringConvertible {
  /// The preset's name, lower-cased.
  public var name: String
  /// The text after the first `:`, if any.
  public var parameter: String?

  /// Splits `text` at the first `:`; the name is trimmed and lower-cased.
  public init(_ text: String) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if let colon = trimmed.firstIndex(of: ":") {
      name = trimmed[..<colon].lowercased()
      parameter = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(
        in: .whitespaces)
    } else {
      name = trimmed.lowercased()
      parameter = nil
    }
  }

  /// `name` or `name:parameter`.
  public var description: String {
    Printable.escape(parameter.map { "\(name):\($0)" } ?? name)
  }

  /// The parameter as sizes separated by `x` (`8`, `8x12`, `4x3x3`), each in `range`; nil
  /// without a parameter. Throws an ``InputError`` naming the preset otherwise.
  func sizes(count allowed: ClosedRange<Int>, range: ClosedRange<Int>, usage: String) throws
    -> [Int]?
  {
    guard let parameter else { return nil }
    let parts = parameter.lowercased().split(separator: "x", omittingEmptySubsequences: false)
    let values = parts.map { Int($0) }
    guard allowed.contains(parts.count), values.allSatisfy({ $0.map(range.contains) ?? false })
    else {
      throw InputError(
        source: "preset \(description)",
        "expected \(usage), with sizes from \(range.lowerBound) to \(range.upperBound)")
    }
    return values.compactMap { $0 }
  }
}
