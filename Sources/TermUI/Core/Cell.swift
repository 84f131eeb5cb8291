// MARK: - Cell

/// One character cell of the screen: a glyph and its style.
///
/// The glyph is one `Character` that occupies one column. convscope only draws single-width
/// glyphs (ASCII, box drawing, block elements), so a cell never spans two columns.
public struct Cell: Sendable, Hashable {
  /// What is drawn.
  public var glyph: Character
  /// How it is drawn.
  public var style: Style

  /// A cell; a blank in the default style unless told otherwise.
  public init(_ glyph: Character = " ", style: Style = .plain) {
    self.glyph = glyph
    self.style = style
  }

  /// A blank cell in the default style.
  public static let blank = Cell()
}
