// MARK: - GridCell

/// A cell of a matrix: row and column.
public struct GridCell: Sendable, Hashable, CustomStringConvertible {
  /// The row.
  public var row: Int
  /// The column.
  public var col: Int

  /// A cell.
  public init(row: Int, col: Int) {
    self.row = row
    self.col = col
  }

  /// `(row, col)`.
  public var description: String { "(\(row), \(col))" }
}

// MARK: - GridRegion

/// A set of matrix cells laid out on a lattice: `rows × cols` members starting at
/// `(row, col)`, `rowStep`/`colStep` apart (steps above 1 model dilated windows).
public struct GridRegion: Sendable, Hashable {
  /// First member's row.
  public var row: Int
  /// First member's column.
  public var col: Int
  /// Number of member rows.
  public var rows: Int
  /// Number of member columns.
  public var cols: Int
  /// Distance between member rows (≥ 1).
  public var rowStep: Int
  /// Distance between member columns (≥ 1).
  public var colStep: Int

  /// A region; sizes below 0 become 0 and steps below 1 become 1.
  public init(row: Int, col: Int, rows: Int, cols: Int, rowStep: Int = 1, colStep: Int = 1) {
    self.row = row
    self.col = col
    self.rows = max(0, rows)
    self.cols = max(0, cols)
    self.rowStep = max(1, rowStep)
    self.colStep = max(1, colStep)
  }

  /// The one-cell region at `cell`.
  public init(_ cell: GridCell) { self.init(row: cell.row, col: cell.col, rows: 1, cols: 1) }

  /// Whether the region has no member.
  public var isEmpty: Bool { rows == 0 || cols == 0 }

  /// The rows spanned, from the first member row to the last.
  public var rowSpan: Range<Int> { isEmpty ? row..<row : row..<(row + (rows - 1) * rowStep + 1) }

  /// The columns spanned, from the first member column to the last.
  public var colSpan: Range<Int> { isEmpty ? col..<col : col..<(col + (cols - 1) * colStep + 1) }

  /// Whether row `r` holds members.
  public func containsRow(_ r: Int) -> Bool {
    rowSpan.contains(r) && (r - row) % rowStep == 0
  }

  /// Whether column `c` holds members.
  public func containsColumn(_ c: Int) -> Bool {
    colSpan.contains(c) && (c - col) % colStep == 0
  }

  /// Whether `(r, c)` is a member.
  public func contains(row r: Int, col c: Int) -> Bool { containsRow(r) && containsColumn(c) }
}
