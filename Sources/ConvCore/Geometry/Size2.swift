// MARK: - Size2

/// A pair of sizes along height and width: a kernel, stride, padding or dilation.
public struct Size2: Sendable, Hashable, CustomStringConvertible {
  /// Along the height (rows).
  public var h: Int
  /// Along the width (columns).
  public var w: Int

  /// A pair with its two sizes.
  public init(_ h: Int, _ w: Int) {
    self.h = h
    self.w = w
  }

  /// A square pair: the same size along both axes.
  public init(_ n: Int) {
    self.init(n, n)
  }

  /// `h` when both are equal, `h,w` otherwise (the command-line spelling).
  public var description: String { h == w ? "\(h)" : "\(h),\(w)" }

  /// Whether both sizes are equal.
  public var isSquare: Bool { h == w }
}

extension Size2 {
  /// Parses the spelling users type: `n` (square), `h,w`, `hxw` or `h×w` (spaces allowed).
  public init?(text: String) {
    let parts = text.split(whereSeparator: { $0 == "," || $0 == "x" || $0 == "×" })
      .map { Int($0.filter { !$0.isWhitespace }) }
    switch parts.count {
    case 1:
      guard let n = parts[0] else { return nil }
      self.init(n)
    case 2:
      guard let h = parts[0], let w = parts[1] else { return nil }
      self.init(h, w)
    default:
      return nil
    }
  }
}

extension Size2: ExpressibleByIntegerLiteral {
  /// A square pair from an integer literal: `let s: Size2 = 2`.
  public init(integerLiteral value: Int) {
    self.init(value)
  }
}
