// MARK: - Theme

/// The styles widgets draw their chrome with, already reduced to what the capabilities show.
///
/// Colours are chosen for a dark terminal background and stay legible on a light one. Without
/// colour, attributes (bold, dim, reverse, underline) carry the distinctions.
public struct Theme: Sendable, Hashable {
  /// The capabilities the styles were made for.
  public var capabilities: Capabilities
  /// Panel borders.
  public var border: Style
  /// The border of the focused panel.
  public var borderFocused: Style
  /// Panel titles.
  public var title: Style
  /// The focused panel's title.
  public var titleFocused: Style
  /// Ordinary text.
  public var text: Style
  /// Secondary text (hints, labels).
  public var dim: Style
  /// Emphasised text.
  public var emphasis: Style
  /// Accent (keys in help, the current term of a formula).
  public var accent: Style
  /// Informational message.
  public var info: Style
  /// Warning message.
  public var warning: Style
  /// Error message.
  public var error: Style
  /// Success message.
  public var success: Style
  /// The status bar's base.
  public var statusBar: Style
  /// Highlighted status-bar text (a mode, a key).
  public var statusKey: Style
  /// Background of overlays (help).
  public var overlay: Style
  /// Grid index labels.
  public var label: Style
  /// Labels of rows/columns inside the current window.
  public var labelWindow: Style
  /// Labels of the current cell's row and column.
  public var labelCurrent: Style
  /// Labels of rows/columns dropped by the output-size floor.
  public var labelDropped: Style
  /// Marks drawn around the current cell (`[ ]`).
  public var currentMark: Style
  /// Marks drawn around the highlighted tap (`< >`).
  public var tapMark: Style
  /// Scroll indicators.
  public var scrollIndicator: Style
  /// The window tint colour (blended into cell backgrounds).
  public var windowTint: RGB
  /// The secondary region's tint colour.
  public var secondaryTint: RGB
  /// How strongly tints are blended (0–1).
  public var tintAmount: Float
  /// The half-block colour of the current cell.
  public var currentFill: RGB
  /// The half-block colour of the highlighted tap.
  public var tapFill: RGB

  /// The standard dark theme for `capabilities`.
  ///
  /// With 256 colours or more the chrome is coloured (chosen for a dark background, legible on
  /// a light one). With 8 colours or none it uses the terminal's own foreground with attributes
  /// (bold, dim, reverse, underline): the 8 basic hues do not read on both backgrounds (dark
  /// blue on black, yellow and cyan on white), except red, kept for dropped labels.
  public static func standard(for capabilities: Capabilities) -> Theme {
    let level = capabilities.color
    // Chrome by attributes alone: no colour, or eight colours.
    let plain = level <= .ansi8
    func s(_ fg: RGB?, _ bg: RGB? = nil, _ attributes: Attributes = []) -> Style {
      Style(
        fg: fg.map { Color($0).downgraded(to: level) } ?? .default,
        bg: bg.map { Color($0).downgraded(to: level) } ?? .default, attributes: attributes)
    }
    /// `rgb` on a colour terminal, else the attributes `plainAttributes`.
    func c(
      _ fg: RGB?, _ bg: RGB? = nil, _ attributes: Attributes, plain plainAttributes: Attributes
    )
      -> Style
    {
      plain ? Style(attributes: plainAttributes) : s(fg, bg, attributes)
    }
    let amber = RGB(255, 190, 60)
    let blue = RGB(110, 180, 255)
    let red = RGB(215, 95, 95)
    return Theme(
      capabilities: capabilities,
      border: c(RGB(108, 108, 128), nil, [], plain: level == .none ? .dim : []),
      borderFocused: c(blue, nil, .bold, plain: .bold),
      title: c(RGB(215, 215, 225), nil, .bold, plain: .bold),
      titleFocused: c(blue, nil, .bold, plain: [.bold, .reverse]),
      text: .plain,
      dim: c(RGB(140, 140, 150), nil, [], plain: .dim),
      emphasis: c(RGB(240, 240, 245), nil, .bold, plain: .bold),
      accent: c(amber, nil, .bold, plain: .bold),
      info: c(blue, nil, [], plain: []),
      warning: c(amber, nil, .bold, plain: .bold),
      error: c(RGB(255, 105, 105), nil, .bold, plain: [.bold, .reverse]),
      success: c(RGB(120, 220, 130), nil, [], plain: []),
      statusBar: c(RGB(215, 215, 225), RGB(40, 40, 52), [], plain: .reverse),
      statusKey: c(amber, RGB(40, 40, 52), .bold, plain: [.reverse, .bold]),
      overlay: c(RGB(225, 225, 232), RGB(28, 28, 36), [], plain: []),
      label: c(RGB(130, 130, 145), nil, [], plain: .dim),
      labelWindow: c(amber, nil, .bold, plain: [.bold, .underline]),
      labelCurrent: c(RGB(20, 20, 20), amber, .bold, plain: .reverse),
      labelDropped: level == .ansi8 ? s(red) : c(red, nil, [], plain: .dim),
      currentMark: c(RGB(255, 225, 0), nil, .bold, plain: .bold),
      tapMark: c(RGB(0, 225, 255), nil, .bold, plain: .bold),
      scrollIndicator: c(amber, nil, .bold, plain: .bold),
      windowTint: amber,
      secondaryTint: RGB(0, 200, 210),
      tintAmount: 0.5,
      currentFill: RGB(255, 235, 0),
      tapFill: RGB(0, 229, 255))
  }
}
