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
  /// Content rows in total (the tallest column).
  public var contentLines: Int
  /// Content rows shown.
  public var visibleLines: Int
  /// The scroll offset used (clamped).
  public var scroll: Int
  /// The largest useful scroll offset.
  public var maxScroll: Int
  /// The columns of sections as drawn: one rectangle per column, as tall as the rows shown.
  public var columns: [Rect] = []
}

// MARK: - HelpOverlay

/// A centred box over the screen listing key bindings by section, with a title on the top
/// border and a footer hint ("Esc closes") on the bottom one.
///
/// Sections are laid out in as many columns as the width allows (each section whole, columns
/// of balanced height, a dim rule between them); descriptions wrap beside their keys, at word
/// boundaries. When the content is taller than the screen the rows scroll together (`scroll`,
/// clamped) and the border shows `more ↑` / `more ↓`; on a tiny screen only the hint is written.
public struct HelpOverlay: Sendable {
  /// The title.
  public var title: String
  /// The sections.
  public var sections: [HelpSection]
  /// The footer hint.
  public var footer: String
  /// The footer hint shown instead while the content scrolls (nil: `footer`).
  public var scrollingFooter: String?
  /// The first content line shown.
  public var scroll: Int
  /// What the output can show.
  public var capabilities: Capabilities
  /// Styles.
  public var theme: Theme

  /// A help overlay.
  public init(
    title: String = "Keys", sections: [HelpSection], footer: String = "Esc closes",
    scrollingFooter: String? = nil, scroll: Int = 0, capabilities: Capabilities,
    theme: Theme? = nil
  ) {
    self.title = title
    self.sections = sections
    self.footer = footer
    self.scrollingFooter = scrollingFooter
    self.scroll = scroll
    self.capabilities = capabilities
    self.theme = theme ?? .standard(for: capabilities)
  }

  /// One styled line of content.
  typealias Line = [(String, Style)]

  /// One column: its lines and the width they need.
  struct Column {
    var lines: [Line]
    var width: Int
  }

  /// Columns between two columns of sections (a dim rule in the middle).
  static let columnGap = 3
  /// A column is only added while every column keeps this many columns for descriptions.
  static let minimumDescriptionWidth = 16

  /// The content of `sections` as styled lines for a column `width` columns wide.
  func contentLines(_ sections: [HelpSection], width: Int) -> [Line] {
    guard width > 0 else { return [] }
    let ellipsis = capabilities.symbols.ellipsis
    let keyWidth = min(max(4, width / 3), sections.flatMap(\.entries).map(\.keys.count).max() ?? 0)
    let descWidth = width - keyWidth - 4
    var lines: [Line] = []
    for (i, section) in sections.enumerated() {
      if i > 0 { lines.append([]) }
      if !section.title.isEmpty {
        lines.append([
          (TextFit.truncate(section.title, width: width, ellipsis: ellipsis), theme.accent)
        ])
      }
      for entry in section.entries {
        if descWidth < 4 {
          lines.append([
            (
              "  " + TextFit.truncate(entry.keys, width: width - 2, ellipsis: ellipsis),
              theme.emphasis
            )
          ])
          for l in TextFit.wrap(entry.description, width: width - 4).map(TextFit.singleLine) {
            lines.append([("    " + l, theme.text)])
          }
          continue
        }
        let keys = TextFit.pad(
          TextFit.truncate(entry.keys, width: keyWidth, ellipsis: ellipsis), width: keyWidth)
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

  /// What goes where: the box, the columns and the rows shown.
  struct Plan {
    var box: Rect
    var columns: [Column]
    var rows: Int
    var visible: Int
    var scroll: Int
    var maxScroll: Int
    var title: String
    var footer: String

    /// The rectangle of column `i` inside the box (as tall as the rows shown).
    func columnRect(_ i: Int) -> Rect {
      let x = box.x + 2 + columns[..<i].reduce(0) { $0 + $1.width + HelpOverlay.columnGap }
      return Rect(x: x, y: box.y + 1, width: columns[i].width, height: visible)
    }

    var layout: HelpOverlayLayout {
      HelpOverlayLayout(
        box: box, contentLines: rows, visibleLines: visible, scroll: scroll, maxScroll: maxScroll,
        columns: columns.indices.map(columnRect))
    }
  }

  /// Where everything goes in `area`; nil when the area is too small for a box.
  func plan(in area: Rect) -> Plan? {
    guard area.width >= Self.minimumBox.width, area.height >= Self.minimumBox.height else {
      return nil
    }
    let title = capabilities.drawable(self.title)
    let footers = [footer, scrollingFooter ?? footer].map(capabilities.drawable)
    let margin = area.width >= Self.roomyArea.width ? 2 : 0
    let maxInner = max(1, area.width - 2 * margin - 4)
    let columns = arrange(drawableSections, width: maxInner)
    let rows = columns.map(\.lines.count).max() ?? 0
    let natural = columns.reduce(0) { $0 + $1.width } + Self.columnGap * (columns.count - 1)
    let frameNeeds = max(title.count + 4, (footers.map(\.count).max() ?? 0) + 4)
    let inner = max(1, min(maxInner, max(natural, frameNeeds)))
    let maxBoxHeight = area.height - (area.height >= Self.roomyArea.height ? 2 : 0)
    let visible = max(0, min(rows, maxBoxHeight - 2))
    let maxScroll = max(0, rows - visible)
    return Plan(
      box: area.centered(width: inner + 4, height: visible + 2), columns: columns, rows: rows,
      visible: visible, scroll: min(maxScroll, max(0, scroll)), maxScroll: maxScroll,
      title: title, footer: maxScroll > 0 ? footers[1] : footers[0])
  }

  /// Sections in columns within `width`: the number of columns (each at least wide enough for
  /// the keys and ``minimumDescriptionWidth``) whose tallest column is shortest, fewer on a tie;
  /// sections stay whole and in order, split where the columns come out most even.
  func arrange(_ sections: [HelpSection], width: Int) -> [Column] {
    let keyWidth = sections.flatMap(\.entries).map(\.keys.count).max() ?? 0
    var best = [column(sections, width: width)]
    var bestHeight = best[0].lines.count
    guard sections.count > 1 else { return best }
    for n in 2...sections.count {
      let w = (width - Self.columnGap * (n - 1)) / n
      guard w >= keyWidth + 4 + Self.minimumDescriptionWidth else { break }
      let columns = split(sections, into: n, width: w).map { column($0, width: w) }
      let height = columns.map(\.lines.count).max() ?? 0
      if height < bestHeight {
        best = columns
        bestHeight = height
      }
    }
    return best
  }

  /// `sections` in one column at most `width` wide, as narrow as its lines allow.
  private func column(_ sections: [HelpSection], width: Int) -> Column {
    let lines = contentLines(sections, width: width)
    let used = lines.map { line in line.reduce(0) { $0 + $1.0.count } }.max() ?? 0
    return Column(lines: lines, width: max(1, min(width, used)))
  }

  /// `sections` cut into `n` runs, in order, so that the tallest run (in lines at `width`) is
  /// as short as it can be.
  private func split(_ sections: [HelpSection], into n: Int, width: Int) -> [[HelpSection]] {
    let k = sections.count
    var heights = [[Int]](repeating: [Int](repeating: 0, count: k + 1), count: k + 1)
    for a in 0..<k {
      for b in (a + 1)...k {
        heights[a][b] = contentLines(Array(sections[a..<b]), width: width).count
      }
    }
    // tallest[j][i]: the shortest tallest column putting the first i sections in j columns;
    // cut[j][i]: where the last of those columns starts.
    let never = Int.max
    var tallest = [[Int]](repeating: [Int](repeating: never, count: k + 1), count: n + 1)
    var cut = [[Int]](repeating: [Int](repeating: 0, count: k + 1), count: n + 1)
    tallest[0][0] = 0
    for j in 1...n {
      for i in j...k {
        for p in (j - 1)..<i where tallest[j - 1][p] != never {
          let h = max(tallest[j - 1][p], heights[p][i])
          if h < tallest[j][i] {
            tallest[j][i] = h
            cut[j][i] = p
          }
        }
      }
    }
    var runs: [[HelpSection]] = []
    var end = k
    for j in stride(from: n, to: 0, by: -1) {
      let start = cut[j][end]
      runs.insert(Array(sections[start..<end]), at: 0)
      end = start
    }
    return runs
  }

  /// Where the overlay would go in `area` and how far it can scroll, without drawing it.
  public func layout(in area: Rect) -> HelpOverlayLayout {
    plan(in: area)?.layout
      ?? HelpOverlayLayout(box: .zero, contentLines: 0, visibleLines: 0, scroll: 0, maxScroll: 0)
  }

  /// Draws the overlay centred in `area`.
  @discardableResult
  public func render(into buffer: inout CellBuffer, area: Rect) -> HelpOverlayLayout {
    let clip = area.intersection(buffer.area)
    let none = HelpOverlayLayout(
      box: .zero, contentLines: 0, visibleLines: 0, scroll: 0, maxScroll: 0)
    guard !clip.isEmpty else { return none }
    let sym = capabilities.roundedSymbols
    guard let plan = plan(in: area) else {
      buffer.fill(clip, with: Cell(" ", style: theme.overlay))
      buffer.write(
        capabilities.drawable(footer), x: area.x, y: area.y, width: area.width,
        style: theme.overlay, ellipsis: sym.ellipsis, clip: clip)
      return none
    }
    let box = plan.box
    drawFrame(box, title: plan.title, footer: plan.footer, symbols: sym, into: &buffer, clip: clip)
    let inner = box.inset(dx: 2, dy: 1).intersection(clip)
    var rule = theme.dim
    rule.bg = theme.overlay.bg
    for (c, column) in plan.columns.enumerated() {
      let rect = plan.columnRect(c).intersection(inner)
      if c > 0 {
        buffer.vline(
          sym.vertical, x: rect.x - 1 - Self.columnGap / 2, y: box.y + 1, length: plan.visible,
          style: rule, clip: inner)
      }
      for i in 0..<plan.visible where plan.scroll + i < column.lines.count {
        var x = rect.x
        for (text, style) in column.lines[plan.scroll + i] {
          var s = style
          if s.bg == .default { s.bg = theme.overlay.bg }
          x = buffer.write(text, x: x, y: box.y + 1 + i, style: s, clip: rect)
        }
      }
    }
    drawScrollMarks(plan, symbols: sym, into: &buffer, clip: clip)
    return plan.layout
  }

  /// `more ↑` on the top border and `more ↓` on the bottom one while there is more that way
  /// (a lone arrow when the border has no room for the words).
  private func drawScrollMarks(
    _ plan: Plan, symbols sym: Symbols, into buffer: inout CellBuffer, clip: Rect
  ) {
    var arrows = theme.scrollIndicator
    arrows.bg = theme.overlay.bg
    let box = plan.box
    if plan.scroll > 0 {
      let mark = capabilities.drawable(" more ↑ ")
      if box.width >= plan.title.count + 6 + mark.count {
        buffer.write(mark, x: box.maxX - 2 - mark.count, y: box.y, style: arrows, clip: clip)
      } else {
        buffer.put(sym.moreUp, x: box.maxX - 2, y: box.y, style: arrows, clip: clip)
      }
    }
    if plan.scroll < plan.maxScroll {
      let mark = capabilities.drawable(" more ↓ ")
      if box.width >= plan.footer.count + 6 + mark.count {
        buffer.write(mark, x: box.x + 2, y: box.maxY - 1, style: arrows, clip: clip)
      } else {
        buffer.put(sym.moreDown, x: box.maxX - 2, y: box.maxY - 1, style: arrows, clip: clip)
      }
    }
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
