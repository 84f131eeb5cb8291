// MARK: - StatusSegment

/// One piece of a status bar. A segment is shown whole, in one of its forms, or not at all: it
/// is never cut.
public struct StatusSegment: Sendable, Hashable {
  /// The text.
  public var text: String
  /// Its style (`nil`: the bar's style).
  public var style: Style?
  /// Higher survives longer when the bar is too narrow.
  public var priority: Int
  /// Shorter forms that still say the whole thing (`5/25` for `step 5/25`), longest first; the
  /// bar falls back on them, in order, before it drops the segment.
  public var shorter: [String]

  /// A segment.
  public init(_ text: String, style: Style? = nil, priority: Int = 0, shorter: [String] = []) {
    self.text = text
    self.style = style
    self.priority = priority
    self.shorter = shorter
  }

  /// The same segment with `transform` applied to every form.
  public func mapText(_ transform: (String) -> String) -> StatusSegment {
    StatusSegment(
      transform(text), style: style, priority: priority, shorter: shorter.map(transform))
  }
}

// MARK: - StatusBar

/// A one-line bar with segments on the left and on the right.
///
/// When the segments do not fit, the lowest-priority segment first falls back on its shorter
/// forms and then is dropped whole, and so on; among equal priorities the right side and later
/// segments go first. No segment is ever cut, and the two sides never overlap: a bar too narrow
/// for any segment is blank.
public struct StatusBar: Sendable {
  /// Segments from the left edge.
  public var left: [StatusSegment]
  /// Segments ending at the right edge.
  public var right: [StatusSegment]
  /// The separator between segments (`│` or `|` when `nil`).
  public var separator: String?
  /// What the output can show.
  public var capabilities: Capabilities
  /// Styles.
  public var theme: Theme

  /// A status bar.
  public init(
    left: [StatusSegment], right: [StatusSegment] = [], separator: String? = nil,
    capabilities: Capabilities, theme: Theme? = nil
  ) {
    self.left = left
    self.right = right
    self.separator = separator
    self.capabilities = capabilities
    self.theme = theme ?? .standard(for: capabilities)
  }

  /// The segments that fit in `width`, each whole in one of its forms: (left, right).
  public func fitted(width: Int) -> (left: [StatusSegment], right: [StatusSegment]) {
    let sepWidth = separatorText.count
    // Every segment with its side and position, each in its longest form.
    var items =
      left.enumerated().map { FittedItem(side: 0, index: $0.offset, seg: $0.element) }
      + right.enumerated().map { FittedItem(side: 1, index: $0.offset, seg: $0.element) }
    for i in items.indices {
      items[i].seg = items[i].seg.mapText(capabilities.drawable)
      let full = items[i].seg.text.count
      items[i].seg.shorter.removeAll { $0.isEmpty || $0.count >= full }
    }
    items.removeAll { $0.seg.text.isEmpty }
    func total() -> Int {
      var sides = [0, 0]
      var counts = [0, 0]
      for item in items {
        sides[item.side] += item.text.count
        counts[item.side] += 1
      }
      let separators = (max(0, counts[0] - 1) + max(0, counts[1] - 1)) * sepWidth
      // One space of padding at each end, two between the sides.
      return 2 + sides[0] + sides[1] + separators + (counts[0] > 0 && counts[1] > 0 ? 2 : 0)
    }
    while total() > width, !items.isEmpty {
      // The victim: lowest priority; then right before left; then later before earlier.
      guard
        let v = items.indices.min(by: { a, b in
          let x = items[a]
          let y = items[b]
          if x.seg.priority != y.seg.priority { return x.seg.priority < y.seg.priority }
          if x.side != y.side { return x.side > y.side }
          return x.index > y.index
        })
      else { break }
      if items[v].form < items[v].seg.shorter.count {
        items[v].form += 1
      } else {
        items.remove(at: v)
      }
    }
    func shown(_ side: Int) -> [StatusSegment] {
      items.filter { $0.side == side }.map { item in
        var seg = item.seg
        seg.text = item.text
        seg.shorter = []
        return seg
      }
    }
    return (shown(0), shown(1))
  }

  /// `" │ "`, or the separator given, as drawn.
  private var separatorText: String {
    " " + capabilities.drawable(separator ?? String(capabilities.symbols.separator)) + " "
  }

  /// Draws the bar on the first row of `area`.
  public func render(into buffer: inout CellBuffer, area: Rect) {
    let clip = area.intersection(buffer.area)
    guard !clip.isEmpty else { return }
    let row = Rect(x: area.x, y: area.y, width: area.width, height: 1).intersection(clip)
    buffer.fill(row, with: Cell(" ", style: theme.statusBar))
    let (l, r) = fitted(width: area.width)
    let sep = separatorText
    var sepStyle = theme.statusBar
    sepStyle.attributes.insert(.dim)
    func draw(_ segs: [StatusSegment], from x0: Int) {
      var x = x0
      for (i, s) in segs.enumerated() {
        if i > 0 { x = buffer.write(sep, x: x, y: area.y, style: sepStyle, clip: row) }
        var style = s.style ?? theme.statusBar
        if style.bg == .default { style.bg = theme.statusBar.bg }
        x = buffer.write(s.text, x: x, y: area.y, style: style, clip: row)
      }
    }
    draw(l, from: area.x + 1)
    let rightWidth = r.isEmpty ? 0 : r.reduce(0) { $0 + $1.text.count } + (r.count - 1) * sep.count
    draw(r, from: area.maxX - 1 - rightWidth)
  }
}

/// A segment placed on a side of the bar, in one of its forms.
private struct FittedItem {
  /// 0: left, 1: right.
  var side: Int
  /// The position on its side.
  var index: Int
  /// The segment.
  var seg: StatusSegment
  /// 0: the text; `n`: the `n`th shorter form.
  var form = 0

  /// The form shown.
  var text: String { form == 0 ? seg.text : seg.shorter[form - 1] }
}
