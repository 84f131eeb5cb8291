// MARK: - HelpSection

/// A titled group of key bindings.
public struct HelpSection: Sendable, Hashable {
  /// One binding: the keys and what they do.
  public struct Entry: Sendable, Hashable {
    /// The keys, e.g. `←/h`.
    public var keys: String
    /// What they do.
    public var description: String

    /// An entry.
    public init(_ keys: String, _ description: String) {
      self.keys = keys
      self.description = description
    }
  }

  /// The section title.
  public var title: String
  /// The bindings.
  public var entries: [Entry]

  /// A section.
  public init(_ title: String, _ entries: [Entry]) {
    self.title = title
    self.entries = entries
  }
}

// MARK: - HelpOverlayLayout

/// Where a help overlay went and how far it can scroll.
public struct HelpOverlayLayout: Sendable, Hashable {
  /// The box (border included); empty when nothing was drawn.
  public var box: Rect
  /// Content lines in total.
  public var contentLines: Int
  /// Content lines shown.
  public var visibleLines: Int
  /// The scroll offset used (clamped).
  public var scroll: Int
  /// The largest useful scroll offset.
  public var maxScroll: Int
}

// MARK: - HelpOverlay

/// A centred box over the screen listing key bindings by section, with a title on the top
/// border and a footer hint ("Esc closes") on the bottom one.
///
/// Descriptions wrap beside their keys. When the content is taller than the screen the box
/// scrolls (`scroll`, clamped) and shows `▲`/`▼` on its border; on a tiny screen only the hint is
/// written.
public struct HelpOverlay: Sendable {
  /// The title.
  public var title: String
  /// The sections.
  public var sections: [HelpSection]
  /// The footer hint.
  public var footer: String
  /// The first content line shown.
  public var scroll: Int
  /// What the output can show.
  public var capabilities: Capabilities
  /// Styles.
  public var theme: Theme

  /// A help overlay.
  public init(
    title: String = "Keys", sections: [HelpSection], footer: String = "Esc closes",
    scroll: Int = 0, capabilities: Capabilities, theme: Theme? = nil
  ) {
    self.title = title
    self.sections = sections
    self.footer = footer
    self.scroll = scroll
    self.capabilities = capabilities
    self.theme = theme ?? .standard(for: capabilities)
  }

  /// The content as styled lines for an inside `width` columns wide.
  func contentLines(width: Int) -> [[(String, Style)]] {
    guard width > 0 else { return [] }
    let sections = drawableSections
    let keyWidth = min(
      max(4, width / 3),
      sections.flatMap(\.entries).map(\.keys.count).max() ?? 0)
    let descWidth = width - keyWidth - 4
    var lines: [[(String, Style)]] = []
    for (i, section) in sections.enumerated() {
      if i > 0 { lines.append([]) }
      if !section.title.isEmpty {
        lines.append([
          (
            TextFit.truncate(section.title, width: width, ellipsis: capabilities.symbols.ellipsis),
            theme.accent
          )
        ])
      }
      for entry in section.entries {
        let keys = TextFit.pad(
          TextFit.truncate(entry.keys, width: keyWidth, ellipsis: capabilities.symbols.ellipsis),
          width: keyWidth)
        if descWidth < 4 {
          lines.append([
            (
              "  "
                + TextFit.truncate(
                  entry.keys, width: width - 2, ellipsis: capabilities.symbols.ellipsis),
              theme.emphasis
            )
          ])
          for l in TextFit.wrap(entry.description, width: width - 4).map(TextFit.singleLine) {
            lines.append([("    " + l, theme.text)])
          }
          continue
        }
        let wrapped = TextFit.wrap(entry.description, width: descWidth).map(TextFit.singleLine)
        for (j, l) in (wrapped.isEmpty ? [""] : wrapped).enumerated() {
          if j == 0 {
            lines.append([("  " + keys + "  ", theme.emphasis), (l, theme.text)])
          } else {
            lines.append([(String(repeating: " ", count: keyWidth + 4) + l, theme.text)])
          }
        }
      }
    }
    return lines
  }

  /// The sections as the capabilities can draw them.
  private var drawableSections: [HelpSection] {
    sections.map { s in
      HelpSection(
        capabilities.drawable(s.title),
        s.entries.map {
          HelpSection.Entry(
            capabilities.drawable($0.keys),
            capabilities.unicode ? $0.description : TextFit.ascii($0.description))
        })
    }
  }

  /// The smallest area that gets a box (smaller ones show the footer alone).
  static let minimumBox = (width: 8, height: 3)
  /// From this size on, the box keeps a margin of 2 columns and 1 row to the area's edges.
  static let roomyArea = (width: 24, height: 12)

  /// Draws the overlay centred in `area`.
  @discardableResult
  public func render(into buffer: inout CellBuffer, area: Rect) -> HelpOverlayLayout {
    let clip = area.intersection(buffer.area)
    let title = capabilities.drawable(self.title)
    let footer = capabilities.drawable(self.footer)
    let none = HelpOverlayLayout(
      box: .zero, contentLines: 0, visibleLines: 0, scroll: 0, maxScroll: 0)
    guard !clip.isEmpty else { return none }
    let sym = capabilities.roundedSymbols
    if area.width < Self.minimumBox.width || area.height < Self.minimumBox.height {
      buffer.fill(clip, with: Cell(" ", style: theme.overlay))
      buffer.write(
        footer, x: area.x, y: area.y, width: area.width, style: theme.overlay,
        ellipsis: sym.ellipsis, clip: clip)
      return none
    }
    let width = innerWidth(in: area, title: title, footer: footer)
    let lines = contentLines(width: width)
    let maxBoxHeight = area.height - (area.height >= Self.roomyArea.height ? 2 : 0)
    let visible = max(0, min(lines.count, maxBoxHeight - 2))
    let maxScroll = max(0, lines.count - visible)
    let offset = min(maxScroll, max(0, scroll))
    let box = area.centered(width: width + 4, height: visible + 2)
    drawFrame(box, title: title, footer: footer, symbols: sym, into: &buffer, clip: clip)

    // Content.
    let inner = box.inset(dx: 2, dy: 1).intersection(clip)
    for i in 0..<visible {
      var x = box.x + 2
      for (text, style) in lines[offset + i] {
        var s = style
        if s.bg == .default { s.bg = theme.overlay.bg }
        x = buffer.write(text, x: x, y: box.y + 1 + i, style: s, clip: inner)
      }
    }
    var arrows = theme.scrollIndicator
    arrows.bg = theme.overlay.bg
    if offset > 0 { buffer.put(sym.moreUp, x: box.maxX - 2, y: box.y, style: arrows, clip: clip) }
    if offset < maxScroll {
      buffer.put(sym.moreDown, x: box.maxX - 2, y: box.maxY - 1, style: arrows, clip: clip)
    }
    return HelpOverlayLayout(
      box: box, contentLines: lines.count, visibleLines: visible, scroll: offset,
      maxScroll: maxScroll)
  }

  /// The inside's natural width: the widest entry or title, within `area` less a margin.
  private func innerWidth(in area: Rect, title: String, footer: String) -> Int {
    let sections = drawableSections
    let margin = area.width >= Self.roomyArea.width ? 2 : 0
    let maxInner = area.width - 2 * margin - 4
    let entries = sections.flatMap(\.entries)
    let keyWidth = min(max(4, maxInner / 3), entries.map(\.keys.count).max() ?? 0)
    let natural = max(
      keyWidth + 4 + (entries.map(\.description.count).max() ?? 0),
      sections.map(\.title.count).max() ?? 0, title.count + 4, footer.count + 4)
    return max(1, min(maxInner, natural))
  }

  /// The blank box with its border, the title in the top edge and the footer in the bottom one.
  private func drawFrame(
    _ box: Rect, title: String, footer: String, symbols sym: Symbols,
    into buffer: inout CellBuffer, clip: Rect
  ) {
    buffer.fill(box.intersection(clip), with: Cell(" ", style: theme.overlay))
    var border = theme.borderFocused
    border.bg = theme.overlay.bg
    border.attributes.remove(.bold)
    for (x, y, g) in [
      (box.x, box.y, sym.topLeft), (box.maxX - 1, box.y, sym.topRight),
      (box.x, box.maxY - 1, sym.bottomLeft), (box.maxX - 1, box.maxY - 1, sym.bottomRight),
    ] {
      buffer.put(g, x: x, y: y, style: border, clip: clip)
    }
    buffer.hline(
      sym.horizontal, x: box.x + 1, y: box.y, length: box.width - 2, style: border, clip: clip)
    buffer.hline(
      sym.horizontal, x: box.x + 1, y: box.maxY - 1, length: box.width - 2, style: border,
      clip: clip)
    buffer.vline(
      sym.vertical, x: box.x, y: box.y + 1, length: box.height - 2, style: border, clip: clip)
    buffer.vline(
      sym.vertical, x: box.maxX - 1, y: box.y + 1, length: box.height - 2, style: border, clip: clip
    )
    var titleStyle = theme.titleFocused
    titleStyle.bg = theme.overlay.bg
    let t = TextFit.truncate(title, width: box.width - 4, ellipsis: sym.ellipsis)
    if !t.isEmpty {
      buffer.write(" " + t + " ", x: box.x + 1, y: box.y, style: titleStyle, clip: clip)
    }
    var dim = theme.dim
    dim.bg = theme.overlay.bg
    let f = TextFit.truncate(footer, width: box.width - 6, ellipsis: sym.ellipsis)
    if !f.isEmpty {
      buffer.write(
        " " + f + " ", x: box.maxX - 3 - f.count, y: box.maxY - 1, style: dim, clip: clip)
    }
  }
}
