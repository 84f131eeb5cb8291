import NumberText

// MARK: - PlotSeries

/// One curve of a ``LinePlot``: points joined by straight lines, in one style.
public struct PlotSeries: Sendable, Hashable {
  /// The legend's name of the curve.
  public var name: String
  /// The x values, one per point (increasing, as a curve over time has them).
  public var xs: [Double]
  /// The y values, one per x. A point whose x or y is not finite (NaN, ±∞) is skipped, and
  /// the line breaks there.
  public var ys: [Double]
  /// The style of the curve's glyphs (its colour).
  public var style: Style
  /// Whether the line is drawn dashed (two dots on, two off), so curves differ without colour.
  public var dashed: Bool
  /// The glyph of the curve's cells in the ASCII fallback (`*`, `o`, …).
  public var asciiMark: Character
  /// A glyph drawn on the cell of each point over the braille (`•`), so a curve of few points
  /// reads without colour; nil for none. Left out when the points are denser than one in three
  /// columns, and in ASCII (where ``asciiMark`` marks every cell of the line).
  public var marker: Character?

  /// A curve through `(xs[i], ys[i])`; extra values of the longer array are ignored.
  public init(
    _ name: String, xs: [Double], ys: [Double], style: Style = .plain, dashed: Bool = false,
    asciiMark: Character = "*", marker: Character? = nil
  ) {
    self.name = name
    self.xs = xs
    self.ys = ys
    self.style = style
    self.dashed = dashed
    self.asciiMark = asciiMark
    self.marker = marker
  }

  /// The finite points, in order; nil where a point was skipped (a break in the line).
  var points: [(x: Double, y: Double)?] {
    zip(xs, ys).map { x, y in x.isFinite && y.isFinite ? (x, y) : nil }
  }
}

// MARK: - LinePlot

/// A line plot of one or more curves with axes and a legend: Unicode braille (2×4 dots a cell)
/// when the terminal draws Unicode, else one ASCII mark a cell.
///
/// From the top of its area: a legend row (each curve's sample and name, and the ``title``;
/// only when the area has 5 rows or more), the plot rows with the y axis at their left (the top
/// and bottom of the y range labelled, the middle too on 7 rows or more), the x axis, and a
/// row with the first and last x labelled and ``xTitle`` between them. Values outside the y
/// range are clipped: their lines run to the plot's edge and stop. Where curves share a cell,
/// the later curve's style wins (the dots of both are kept in braille).
public struct LinePlot: Sendable {
  /// The curves, drawn in order.
  public var series: [PlotSeries]
  /// The y range shown (nil: the finite values' minimum to maximum).
  public var yRange: ClosedRange<Double>?
  /// The x range shown (nil: the finite points' first to last x).
  public var xRange: ClosedRange<Double>?
  /// A word before the legend (`loss`), empty for none.
  public var title: String
  /// What x counts (`steps`), written under the axis between its labels.
  public var xTitle: String
  /// x values marked on the x axis (`┴`, `+` in ASCII), e.g. where each epoch ends; those
  /// outside the range are left out.
  public var xMarks: [Double] = []
  /// How a y tick reads (`0.25`, `93%`).
  public var yLabel: @Sendable (Double) -> String
  /// How an x tick reads (`450`).
  public var xLabel: @Sendable (Double) -> String
  /// What the output can show.
  public var capabilities: Capabilities
  /// Styles of the axes, labels and title.
  public var theme: Theme

  /// A plot of `series`; by default the ranges come from the data and ticks read as
  /// ``LinePlot/shortNumber(_:)``.
  public init(
    series: [PlotSeries], yRange: ClosedRange<Double>? = nil,
    xRange: ClosedRange<Double>? = nil, title: String = "", xTitle: String = "",
    yLabel: @escaping @Sendable (Double) -> String = LinePlot.shortNumber,
    xLabel: @escaping @Sendable (Double) -> String = LinePlot.shortNumber,
    capabilities: Capabilities, theme: Theme? = nil
  ) {
    self.series = series
    self.yRange = yRange
    self.xRange = xRange
    self.title = title
    self.xTitle = xTitle
    self.yLabel = yLabel
    self.xLabel = xLabel
    self.capabilities = capabilities
    self.theme = theme ?? .standard(for: capabilities)
  }

  /// `12`, `0.25`, `1.2e5`: a tick label in few characters.
  @Sendable public static func shortNumber(_ v: Double) -> String {
    guard v.isFinite else { return "\(v)" }
    if v == v.rounded(), abs(v) < 1e6 { return String(Int(v)) }
    let a = abs(v)
    if a >= 1e5 || a < 1e-3 { return NumberFormat.short(Float(v), ascii: true) }
    var s = NumberFormat.decimals(v, a >= 10 ? 1 : a >= 1 ? 2 : 3)
    while s.contains("."), s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
  }

  // MARK: Ranges

  /// The x and y ranges drawn: the given ones, else the data's; an empty range widened (a
  /// single value sits in the middle of its axis); nil when there is no finite point and no
  /// range was given.
  public var ranges: (x: ClosedRange<Double>, y: ClosedRange<Double>)? {
    let points = series.flatMap { $0.points.compactMap { $0 } }
    func span(_ given: ClosedRange<Double>?, _ values: [Double]) -> ClosedRange<Double>? {
      if let given, given.lowerBound.isFinite, given.upperBound.isFinite {
        return Self.widened(given)
      }
      guard let lo = values.min(), let hi = values.max() else { return nil }
      return Self.widened(lo...hi)
    }
    guard let x = span(xRange, points.map(\.x)), let y = span(yRange, points.map(\.y)) else {
      return nil
    }
    return (x, y)
  }

  /// `r`, or around its one value when it is empty (±0.5, or ±10 % of a large value).
  static func widened(_ r: ClosedRange<Double>) -> ClosedRange<Double> {
    guard r.lowerBound == r.upperBound else { return r }
    let half = max(0.5, abs(r.lowerBound) * 0.1)
    return (r.lowerBound - half)...(r.upperBound + half)
  }

  // MARK: Rendering

  /// Draws the plot into `area`; an area under 3 rows or too narrow for the y labels and four
  /// plot columns stays blank.
  public func render(into buffer: inout CellBuffer, area: Rect) {
    guard area.height >= 3 else { return }
    let legendRows = area.height >= 5 ? 1 : 0
    let plotRows = area.height - 2 - legendRows
    let ranges = self.ranges
    let yTicks = ranges.map { tickRows(plotRows: plotRows, y: $0.y) } ?? []
    let labelWidth = yTicks.map(\.label.count).max() ?? 0
    let plotX = area.x + labelWidth + 1
    let plotWidth = area.maxX - plotX
    guard plotWidth >= 4 else { return }
    let plot = Rect(x: plotX, y: area.y + legendRows, width: plotWidth, height: plotRows)
    if legendRows > 0 {
      drawLegend(
        into: &buffer, area: Rect(x: area.x, y: area.y, width: area.width, height: 1),
        plotWidth: plotWidth)
    }
    drawAxes(into: &buffer, plot: plot, ticks: yTicks)
    guard let ranges else { return }
    drawXLabels(into: &buffer, plot: plot, x: ranges.x, labelY: plot.maxY + 1)
    for mark in xMarks where ranges.x.contains(mark) {
      let f = (mark - ranges.x.lowerBound) / (ranges.x.upperBound - ranges.x.lowerBound)
      let column = Int((f * Double(plot.width - 1)).rounded())
      buffer.put(
        capabilities.unicode ? "┴" : "+", x: plot.x + column, y: plot.maxY, style: theme.border)
    }
    var canvas = DotCanvas(width: plot.width, height: plot.height, unicode: capabilities.unicode)
    for (index, s) in series.enumerated() {
      canvas.draw(s, index: index, x: ranges.x, y: ranges.y)
    }
    canvas.paint(into: &buffer, origin: (plot.x, plot.y), series: series)
    for s in series { drawMarkers(s, into: &buffer, plot: plot, ranges: ranges) }
  }

  /// `s`'s marker on the cell of each of its points inside the plot, when
  /// ``showsMarkers(_:plotWidth:)``.
  private func drawMarkers(
    _ s: PlotSeries, into buffer: inout CellBuffer, plot: Rect,
    ranges: (x: ClosedRange<Double>, y: ClosedRange<Double>)
  ) {
    let points = s.points.compactMap { $0 }
    guard let marker = s.marker, showsMarkers(s, plotWidth: plot.width) else { return }
    for p in points {
      let fx = (p.x - ranges.x.lowerBound) / (ranges.x.upperBound - ranges.x.lowerBound)
      let fy = (p.y - ranges.y.lowerBound) / (ranges.y.upperBound - ranges.y.lowerBound)
      guard (0...1).contains(fx), (0...1).contains(fy) else { continue }
      // The cell of the point's dot, as the canvas places it.
      let px = Int((fx * Double(plot.width * 2 - 1)).rounded()) / 2
      let py = Int(((1 - fy) * Double(plot.height * 4 - 1)).rounded()) / 4
      buffer.put(marker, x: plot.x + px, y: plot.y + py, style: s.style)
    }
  }

  /// The y labels and the plot rows they mark: the top and the bottom of the range, and its
  /// middle (on the row a point of that value is drawn on) when there are 7 rows or more.
  func tickRows(plotRows: Int, y: ClosedRange<Double>) -> [(row: Int, label: String)] {
    var ticks = [(0, yLabel(y.upperBound))]
    if plotRows >= 7 {
      // The middle of the range, on the row where a point of that value is drawn.
      let dots = capabilities.unicode ? plotRows * 4 : plotRows
      let dot = Int((0.5 * Double(dots - 1)).rounded())
      let row = capabilities.unicode ? dot / 4 : dot
      ticks.append((row, yLabel((y.lowerBound + y.upperBound) / 2)))
    }
    if plotRows >= 2 { ticks.append((plotRows - 1, yLabel(y.lowerBound))) }
    return ticks.map { (row: $0.0, label: capabilities.drawable($0.1)) }
  }

  private func drawLegend(into buffer: inout CellBuffer, area: Rect, plotWidth: Int) {
    var x = area.x
    if !title.isEmpty {
      x = buffer.write(
        capabilities.drawable(title), x: x, y: area.y, style: theme.title, clip: area)
      x += 2
    }
    for s in series {
      let sample = legendSample(s, markers: showsMarkers(s, plotWidth: plotWidth))
      let name = capabilities.drawable(s.name)
      guard x + sample.count + 1 + name.count <= area.maxX else { return }
      x = buffer.write(sample, x: x, y: area.y, style: s.style, clip: area)
      x = buffer.write(" " + name, x: x, y: area.y, style: theme.text, clip: area) + 2
    }
  }

  /// Three cells of the curve's line: braille dots (the marker in the middle when the plot
  /// shows it), or its ASCII mark.
  func legendSample(_ s: PlotSeries, markers: Bool) -> String {
    guard capabilities.unicode else { return String(repeating: s.asciiMark, count: 3) }
    let middle = markers ? s.marker ?? " " : s.dashed ? " " : "\u{2824}"
    return "\u{2824}\(middle)\u{2824}"
  }

  /// Whether `s`'s markers are drawn on a plot `plotWidth` columns wide: Unicode, a marker,
  /// and no more than one point in three columns.
  func showsMarkers(_ s: PlotSeries, plotWidth: Int) -> Bool {
    capabilities.unicode && s.marker != nil
      && s.points.compactMap { $0 }.count * 3 <= plotWidth
  }

  private func drawAxes(
    into buffer: inout CellBuffer, plot: Rect, ticks: [(row: Int, label: String)]
  ) {
    let uni = capabilities.unicode
    let axisX = plot.x - 1
    buffer.vline(
      uni ? "│" : "|", x: axisX, y: plot.y, length: plot.height, style: theme.border)
    for tick in ticks {
      let y = plot.y + tick.row
      buffer.write(
        tick.label, x: axisX - tick.label.count, y: y, style: theme.label)
      buffer.put(uni ? "┤" : "+", x: axisX, y: y, style: theme.border)
    }
    buffer.put(uni ? "└" : "+", x: axisX, y: plot.maxY, style: theme.border)
    buffer.hline(
      uni ? "─" : "-", x: plot.x, y: plot.maxY, length: plot.width, style: theme.border)
  }

  private func drawXLabels(
    into buffer: inout CellBuffer, plot: Rect, x: ClosedRange<Double>, labelY: Int
  ) {
    let first = capabilities.drawable(xLabel(x.lowerBound))
    let last = capabilities.drawable(xLabel(x.upperBound))
    let row = Rect(x: plot.x, y: labelY, width: plot.width, height: 1)
    buffer.write(first, x: plot.x, y: labelY, style: theme.label, clip: row)
    let lastX = plot.maxX - last.count
    if lastX > plot.x + first.count {
      buffer.write(last, x: lastX, y: labelY, style: theme.label, clip: row)
    }
    // The title centred, when it keeps a space from both labels.
    let name = capabilities.drawable(xTitle)
    let start = plot.x + (plot.width - name.count) / 2
    if !name.isEmpty, start > plot.x + first.count, start + name.count < lastX {
      buffer.write(name, x: start, y: labelY, style: theme.dim)
    }
  }
}

// MARK: - DotCanvas

/// The dots of a plot: `2 × 4` a cell in braille, one a cell in ASCII, with the curve that
/// last drew in each cell.
struct DotCanvas {
  let width: Int
  let height: Int
  let unicode: Bool
  /// The braille dot bits of each cell (ASCII: non-zero when drawn).
  private(set) var bits: [UInt8]
  /// The index of the curve that last drew in each cell.
  private(set) var owner: [Int]

  init(width: Int, height: Int, unicode: Bool) {
    self.width = max(0, width)
    self.height = max(0, height)
    self.unicode = unicode
    bits = Array(repeating: 0, count: self.width * self.height)
    owner = Array(repeating: -1, count: self.width * self.height)
  }

  /// Dots across and down.
  var dotsWide: Int { unicode ? width * 2 : width }
  var dotsHigh: Int { unicode ? height * 4 : height }

  /// The braille bit of dot `(dx, dy)` within its cell (U+2800's numbering: dots 1–3 and 7
  /// down the left column, 4–6 and 8 down the right).
  static func bit(dx: Int, dy: Int) -> UInt8 {
    let left: [UInt8] = [0x01, 0x02, 0x04, 0x40]
    let right: [UInt8] = [0x08, 0x10, 0x20, 0x80]
    return dx == 0 ? left[dy] : right[dy]
  }

  /// Sets dot `(px, py)` (0, 0 at the top left) for curve `index`; dots outside are ignored.
  mutating func set(_ px: Int, _ py: Int, index: Int) {
    guard px >= 0, py >= 0, px < dotsWide, py < dotsHigh else { return }
    let (cx, cy) = unicode ? (px / 2, py / 4) : (px, py)
    let cell = cy * width + cx
    bits[cell] |= unicode ? Self.bit(dx: px % 2, dy: py % 4) : 1
    owner[cell] = index
  }

  /// Draws curve `s` scaled from `x`/`y` to the dots: segments between neighbouring finite
  /// points, clipped to the canvas; a lone point as one dot.
  mutating func draw(
    _ s: PlotSeries, index: Int, x: ClosedRange<Double>, y: ClosedRange<Double>
  ) {
    guard dotsWide > 0, dotsHigh > 0 else { return }
    let maxX = Double(dotsWide - 1)
    let maxY = Double(dotsHigh - 1)
    func dot(_ p: (x: Double, y: Double)) -> (Double, Double) {
      let fx = (p.x - x.lowerBound) / (x.upperBound - x.lowerBound)
      let fy = (p.y - y.lowerBound) / (y.upperBound - y.lowerBound)
      return (fx * maxX, (1 - fy) * maxY)
    }
    let points = s.points
    var pen = Pen()
    for (k, point) in points.enumerated() {
      guard let point else { continue }
      let a = dot(point)
      let previous = k > 0 ? points[k - 1] : nil
      let next = k + 1 < points.count ? points[k + 1] : nil
      if let previous {
        line(from: dot(previous), to: a, index: index, dashed: s.dashed, pen: &pen)
      } else if next == nil {
        // A lone point (no neighbour on either side): one dot, when inside.
        if (0...maxX).contains(a.0.rounded()), (0...maxY).contains(a.1.rounded()) {
          set(Int(a.0.rounded()), Int(a.1.rounded()), index: index)
        }
      }
    }
  }

  /// Where a curve's line is: the last dot it reached, and how many dots it has gone (for
  /// dashes).
  struct Pen {
    var last: (x: Int, y: Int)?
    var phase = 0
  }

  /// The dots of the segment `a`–`b` inside the canvas (clipped first, so far-off values cost
  /// nothing), one per step along its longer axis.
  private mutating func line(
    from a: (Double, Double), to b: (Double, Double), index: Int, dashed: Bool, pen: inout Pen
  ) {
    let box = (0.0, 0.0, Double(dotsWide - 1), Double(dotsHigh - 1))
    guard let (p, q) = Self.clip(a, b, to: box) else { return }
    let (x0, y0) = (Int(p.0.rounded()), Int(p.1.rounded()))
    let (x1, y1) = (Int(q.0.rounded()), Int(q.1.rounded()))
    let steps = max(abs(x1 - x0), abs(y1 - y0))
    for k in 0...steps {
      let t = steps == 0 ? 0 : Double(k) / Double(steps)
      let px = Int((Double(x0) + t * Double(x1 - x0)).rounded())
      let py = Int((Double(y0) + t * Double(y1 - y0)).rounded())
      // A segment's first dot is often the previous one's last: not counted twice.
      if let last = pen.last, last == (px, py) { continue }
      if !dashed || pen.phase % 4 < 2 { set(px, py, index: index) }
      pen.phase += 1
      pen.last = (px, py)
    }
  }

  /// The part of segment `a`–`b` inside `box` (Liang–Barsky), nil when none is.
  static func clip(
    _ a: (Double, Double), _ b: (Double, Double), to box: (Double, Double, Double, Double)
  ) -> ((Double, Double), (Double, Double))? {
    let dx = b.0 - a.0
    let dy = b.1 - a.1
    var t0 = 0.0
    var t1 = 1.0
    let edges = [(-dx, a.0 - box.0), (dx, box.2 - a.0), (-dy, a.1 - box.1), (dy, box.3 - a.1)]
    for (p, q) in edges {
      if p == 0 {
        if q < 0 { return nil }
        continue
      }
      let r = q / p
      if p < 0 { t0 = max(t0, r) } else { t1 = min(t1, r) }
      if t0 > t1 { return nil }
    }
    return ((a.0 + t0 * dx, a.1 + t0 * dy), (a.0 + t1 * dx, a.1 + t1 * dy))
  }

  /// Writes the drawn cells at `origin`, each in its curve's style.
  func paint(into buffer: inout CellBuffer, origin: (x: Int, y: Int), series: [PlotSeries]) {
    for cy in 0..<height {
      for cx in 0..<width {
        let cell = cy * width + cx
        guard bits[cell] != 0, series.indices.contains(owner[cell]) else { continue }
        let s = series[owner[cell]]
        let glyph =
          unicode
          ? Character(Unicode.Scalar(0x2800 + UInt32(bits[cell])) ?? " ") : s.asciiMark
        buffer.put(glyph, x: origin.x + cx, y: origin.y + cy, style: s.style)
      }
    }
  }
}
