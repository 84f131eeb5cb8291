// MARK: - Writing fitted text

extension CellBuffer {
  /// Writes `text` at `(x, y)` in at most `width` columns, ending with `ellipsis` when cut.
  /// Returns the column after the last character written.
  @discardableResult
  public mutating func write(
    _ text: String, x: Int, y: Int, width: Int, style: Style = .plain, ellipsis: Character = "…",
    clip: Rect? = nil
  ) -> Int {
    guard width > 0 else { return x }
    return write(
      TextFit.truncate(text, width: width, ellipsis: ellipsis), x: x, y: y, style: style,
      clip: clip)
  }

  /// Writes one glyph at `(x, y)` if it lies inside `clip` (default: the whole buffer).
  public mutating func put(_ glyph: Character, x: Int, y: Int, style: Style, clip: Rect? = nil) {
    if let clip, !clip.contains(x: x, y: y) { return }
    self[x, y] = Cell(glyph, style: style)
  }

  /// Draws a horizontal line of `glyph` from `(x, y)` over `length` columns, clipped.
  public mutating func hline(
    _ glyph: Character, x: Int, y: Int, length: Int, style: Style, clip: Rect? = nil
  ) {
    fill(
      Rect(x: x, y: y, width: length, height: 1).intersection(clip ?? area),
      with: Cell(glyph, style: style))
  }

  /// Draws a vertical line of `glyph` from `(x, y)` over `length` rows, clipped.
  public mutating func vline(
    _ glyph: Character, x: Int, y: Int, length: Int, style: Style, clip: Rect? = nil
  ) {
    fill(
      Rect(x: x, y: y, width: 1, height: length).intersection(clip ?? area),
      with: Cell(glyph, style: style))
  }
}
