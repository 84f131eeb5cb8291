// MARK: - StatusSegment

/// One piece of a status bar.
public struct StatusSegment: Sendable, Hashable {
  /// The text.
  public var text: String
  /// Its style (`nil`: the bar's style).
  public var style: Style?
  /// Higher survives longer when the bar is too narrow.
  public var priority: Int
  /// The shortest it may be cut to (with `…`) before it is dropped; 0 means never cut, only
  /// dropped.
  public var minWidth: Int

  /// A segment.
  public init(_ text: String, style: Style? = nil, priority: Int = 0, minWidth: Int = 0) {
    self.text = text
    self.style = style
    self.priority = priority
    self.minWidth = minWidth
  }
}

// MARK: - StatusBar

/// A one-line bar with segments on the left and on the right.
///
/// When the segments do not fit, the lowest-priority segment is first cut (down to its
/// `minWidth`, with `…`) and then dropped, and so on; among equal priorities the right side and
/// later segments go first. A single remaining segment is cut to the width.
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

  /// The segments that fit in `width`, possibly cut: (left, right).
  public func fitted(width: Int) -> (left: [StatusSegment], right: [StatusSegment]) {
    let sep = " " + capabilities.drawable(separator ?? String(capabilities.symbols.separator)) + " "
    // Every segment with its side and position.
    var items: [(side: Int, index: Int, seg: StatusSegment)] =
      left.enumerated().map { (0, $0.offset, $0.element) }
      + right.enumerated().map { (1, $0.offset, $0.element) }
    items.removeAll { $0.seg.text.isEmpty }
    for i in items.indices { items[i].seg.text = capabilities.drawable(items[i].seg.text) }
    func total() -> Int {
      let l = items.filter { $0.side == 0 }
      let r = items.filter { $0.side == 1 }
      func sideWidth(_ s: [(side: Int, index: Int, seg: StatusSegment)]) -> Int {
        s.isEmpty ? 0 : s.reduce(0) { $0 + $1.seg.text.count } + (s.count - 1) * sep.count
      }
      // One space of padding at each end, two between the sides.
      return 2 + sideWidth(l) + sideWidth(r) + (!l.isEmpty && !r.isEmpty ? 2 : 0)
    }
    while total() > width, !items.isEmpty {
      if items.count == 1 {
        items[0].seg.text = TextFit.truncate(
          items[0].seg.text, width: max(0, width - 2), ellipsis: capabilities.symbols.ellipsis)
        if items[0].seg.text.isEmpty { items.removeAll() }
        break
      }
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
      let excess = total() - width
      let seg = items[v].seg
      let target = seg.text.count - excess
      if seg.minWidth > 0 && target >= seg.minWidth && target < seg.text.count {
        items[v].seg.text = TextFit.truncate(
          seg.text, width: target, ellipsis: capabilities.symbols.ellipsis)
      } else {
        items.remove(at: v)
      }
    }
    return (items.filter { $0.side == 0 }.map(\.seg), items.filter { $0.side == 1 }.map(\.seg))
  }

  /// Draws the bar on the first row of `area`.
  public func render(into buffer: inout CellBuffer, area: Rect) {
    let clip = area.intersection(buffer.area)
    guard !clip.isEmpty else { return }
    let row = Rect(x: area.x, y: area.y, width: area.width, height: 1).intersection(clip)
    buffer.fill(row, with: Cell(" ", style: theme.statusBar))
    let (l, r) = fitted(width: area.width)
    let sep = " " + capabilities.drawable(separator ?? String(capabilities.symbols.separator)) + " "
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
