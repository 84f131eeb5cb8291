// MARK: - Panel

/// A bordered box with a title: box drawing with Unicode, `+-|` in ASCII.
///
/// ```
/// ┌ Input 1×1×9×9 ──────── rows 0–8 ┐
/// │                                  │
/// └──────────────────────────────────┘
/// ```
/// Areas smaller than 2×2 get no border and an empty inner rectangle.
public struct Panel: Sendable {
  /// The title, drawn on the top border after the corner (truncated with `…`).
  public var title: String
  /// An optional note at the right of the top border (e.g. a viewport position), shown only
  /// when it fits whole beside the title.
  public var note: String
  /// An optional text on the bottom border after the corner (e.g. a kernel's bias), shown only
  /// when it fits whole.
  public var footer: String
  /// Whether the panel has the focus (heavier border, highlighted title).
  public var focused: Bool
  /// Whether to clear the inside.
  public var clearsInside: Bool
  /// What the output can show.
  public var capabilities: Capabilities
  /// Styles.
  public var theme: Theme

  /// A panel.
  public init(
    title: String = "", note: String = "", footer: String = "", focused: Bool = false,
    clearsInside: Bool = true, capabilities: Capabilities, theme: Theme? = nil
  ) {
    self.title = title
    self.note = note
    self.footer = footer
    self.focused = focused
    self.clearsInside = clearsInside
    self.capabilities = capabilities
    self.theme = theme ?? .standard(for: capabilities)
  }

  /// The inside of a panel drawn in `area`.
  public static func inner(_ area: Rect) -> Rect {
    area.width < 2 || area.height < 2
      ? Rect(x: area.x, y: area.y, width: 0, height: 0)
      : area.inset(dx: 1, dy: 1)
  }

  /// Draws the border and title; returns the inside.
  @discardableResult
  public func render(into buffer: inout CellBuffer, area: Rect) -> Rect {
    let inner = Panel.inner(area)
    let clip = area.intersection(buffer.area)
    guard area.width >= 2, area.height >= 2, !clip.isEmpty else { return inner }
    let sym: Symbols =
      capabilities.unicode ? (focused ? .heavy : .unicode) : .ascii
    let style = focused ? theme.borderFocused : theme.border
    if clearsInside { buffer.fill(inner.intersection(clip), with: .blank) }
    buffer.hline(sym.horizontal, x: area.x, y: area.y, length: area.width, style: style, clip: clip)
    buffer.hline(
      sym.horizontal, x: area.x, y: area.maxY - 1, length: area.width, style: style, clip: clip)
    buffer.vline(sym.vertical, x: area.x, y: area.y, length: area.height, style: style, clip: clip)
    buffer.vline(
      sym.vertical, x: area.maxX - 1, y: area.y, length: area.height, style: style, clip: clip)
    buffer.put(sym.topLeft, x: area.x, y: area.y, style: style, clip: clip)
    buffer.put(sym.topRight, x: area.maxX - 1, y: area.y, style: style, clip: clip)
    buffer.put(sym.bottomLeft, x: area.x, y: area.maxY - 1, style: style, clip: clip)
    buffer.put(sym.bottomRight, x: area.maxX - 1, y: area.maxY - 1, style: style, clip: clip)

    // Title " Title " after the corner, note " note " before the other corner; the title wins.
    let room = area.width - 4  // corner + space … space + corner
    guard room > 0 else { return inner }
    let title = capabilities.drawable(self.title)
    let note = capabilities.drawable(self.note)
    var titleText =
      title.isEmpty ? "" : TextFit.truncate(title, width: room, ellipsis: sym.ellipsis)
    var noteText = ""
    if !note.isEmpty {
      // The note is shown whole or not at all (a cut note reads as noise).
      let left = room - (titleText.isEmpty ? 0 : titleText.count + 3)
      if note.count <= left { noteText = note }
    }
    if !titleText.isEmpty {
      titleText = " " + titleText + " "
      buffer.write(
        titleText, x: area.x + 1, y: area.y, style: focused ? theme.titleFocused : theme.title,
        clip: clip)
    }
    if !noteText.isEmpty {
      buffer.write(
        " " + noteText + " ", x: area.maxX - 3 - noteText.count, y: area.y, style: theme.dim,
        clip: clip)
    }
    let footer = capabilities.drawable(self.footer)
    if !footer.isEmpty && footer.count <= room && area.height >= 2 {
      buffer.write(
        " " + footer + " ", x: area.x + 1, y: area.maxY - 1, style: theme.dim, clip: clip)
    }
    return inner
  }
}
