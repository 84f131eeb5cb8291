// MARK: - CellBuffer

/// A rectangle of cells, row-major: what a frame looks like, independent of any terminal.
///
/// Widgets render into a buffer; backends and exporters read it. Tests compare buffers with `==`
/// or read them as text lines (``lines``) plus style runs (``styleRuns(row:)``).
public struct CellBuffer: Sendable, Equatable {
  /// Width in columns.
  public let width: Int
  /// Height in rows.
  public let height: Int
  /// The cells, row-major: `cells[y * width + x]`.
  public private(set) var cells: [Cell]

  /// A buffer filled with `fill`; negative sizes become 0.
  public init(width: Int, height: Int, fill: Cell = .blank) {
    self.width = max(0, width)
    self.height = max(0, height)
    self.cells = Array(repeating: fill, count: self.width * self.height)
  }

  /// A buffer whose rows are `lines` (padded with blanks to the longest), in one style.
  public init(lines: [String], style: Style = .plain) {
    let w = lines.map(\.count).max() ?? 0
    self.init(width: w, height: lines.count)
    for (row, line) in lines.enumerated() {
      write(line, x: 0, y: row, style: style)
    }
  }

  /// The whole buffer as a rectangle.
  public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

  // MARK: Access

  /// The cell at `(x, y)`; reading outside gives a blank, writing outside is ignored.
  public subscript(x: Int, y: Int) -> Cell {
    get { area.contains(x: x, y: y) ? cells[y * width + x] : .blank }
    set { if area.contains(x: x, y: y) { cells[y * width + x] = newValue } }
  }

  // MARK: Drawing

  /// Writes `text` from `(x, y)` to the right, clipped to `clip` (default: the whole buffer).
  /// Returns the column after the last character written (or that would have been).
  @discardableResult
  public mutating func write(
    _ text: String, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil
  )
    -> Int
  {
    let bounds = (clip ?? area).intersection(area)
    var col = x
    guard y >= bounds.y, y < bounds.maxY else { return x + text.count }
    for ch in text {
      if col >= bounds.x && col < bounds.maxX {
        cells[y * width + col] = Cell(ch, style: style)
      }
      col += 1
    }
    return col
  }

  /// Sets every cell of `rect` (clipped) to `cell`.
  public mutating func fill(_ rect: Rect, with cell: Cell) {
    let r = rect.intersection(area)
    guard !r.isEmpty else { return }
    let w = width
    cells.withUnsafeMutableBufferPointer { p in
      for y in r.y..<r.maxY {
        let start = y * w + r.x
        UnsafeMutableBufferPointer(rebasing: p[start..<(start + r.width)]).update(repeating: cell)
      }
    }
  }

  /// Changes the style of every cell in `rect` (clipped), keeping the glyphs.
  public mutating func restyle(_ rect: Rect, _ change: (inout Style) -> Void) {
    let r = rect.intersection(area)
    for y in r.y..<r.maxY {
      for x in r.x..<r.maxX { change(&cells[y * width + x].style) }
    }
  }

  /// Copies `other` into this buffer with its top-left corner at `(x, y)`, clipped.
  public mutating func blit(_ other: CellBuffer, x: Int, y: Int) {
    for row in 0..<other.height {
      for col in 0..<other.width { self[x + col, y + row] = other[col, row] }
    }
  }

  // MARK: Reading

  /// Row `y` as text (trailing blanks kept, so every line has `width` characters).
  public func line(_ y: Int) -> String {
    guard y >= 0 && y < height else { return "" }
    return String(cells[(y * width)..<(y * width + width)].map(\.glyph))
  }

  /// Every row as text.
  public var lines: [String] { (0..<height).map(line) }

  /// The rows joined with newlines, trailing blanks of each row removed.
  public var plainText: String {
    lines.map { line in
      var s = Substring(line)
      while s.last == " " { s = s.dropLast() }
      return String(s)
    }.joined(separator: "\n")
  }

  /// A run of equally styled cells in one row.
  public struct StyleRun: Sendable, Hashable {
    /// First column.
    public var x: Int
    /// Number of cells.
    public var length: Int
    /// Their style.
    public var style: Style
  }

  /// Row `y` as runs of equal style, left to right.
  public func styleRuns(row y: Int) -> [StyleRun] {
    guard y >= 0 && y < height, width > 0 else { return [] }
    var runs: [StyleRun] = []
    for x in 0..<width {
      let s = cells[y * width + x].style
      if let last = runs.last, last.style == s {
        runs[runs.count - 1].length += 1
      } else {
        runs.append(StyleRun(x: x, length: 1, style: s))
      }
    }
    return runs
  }
}
