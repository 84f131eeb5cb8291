// MARK: - Rect

/// A rectangle of cells: origin (`x` column, `y` row) and size. Sizes are never negative.
public struct Rect: Sendable, Hashable, CustomStringConvertible {
  /// Left column.
  public var x: Int
  /// Top row.
  public var y: Int
  /// Width in columns (≥ 0).
  public var width: Int
  /// Height in rows (≥ 0).
  public var height: Int

  /// A rectangle; negative sizes are clamped to zero.
  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = max(0, width)
    self.height = max(0, height)
  }

  /// The empty rectangle at the origin.
  public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

  /// One past the right column.
  public var maxX: Int { x + width }
  /// One past the bottom row.
  public var maxY: Int { y + height }
  /// Whether the rectangle holds no cell.
  public var isEmpty: Bool { width == 0 || height == 0 }
  /// Number of cells.
  public var area: Int { width * height }

  /// Whether `(col, row)` lies inside.
  public func contains(x col: Int, y row: Int) -> Bool {
    col >= x && col < maxX && row >= y && row < maxY
  }

  /// The overlap of two rectangles (empty when they do not meet).
  public func intersection(_ other: Rect) -> Rect {
    let nx = max(x, other.x)
    let ny = max(y, other.y)
    return Rect(x: nx, y: ny, width: min(maxX, other.maxX) - nx, height: min(maxY, other.maxY) - ny)
  }

  /// The rectangle shrunk by `dx` columns on the left and right and `dy` rows top and bottom.
  public func inset(dx: Int, dy: Int) -> Rect {
    Rect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy)
  }

  /// `x,y wxh`.
  public var description: String { "\(x),\(y) \(width)x\(height)" }
}
