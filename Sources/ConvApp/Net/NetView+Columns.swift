import ConvCore
import NumberText
import TermUI

// MARK: - Class scores

extension NetPainter {
  /// The bars' length in cells for a screen `width` columns wide.
  static func barWidth(screen width: Int) -> Int { width >= 140 ? 24 : width >= 100 ? 12 : 10 }

  /// The class scores as bars, in ``scoresArea``.
  func drawScores(into buffer: inout CellBuffer, area: Rect) {
    let classes = model.activations.logits.count
    let nameWidth = min(10, (0..<classes).map { model.className($0).count }.max() ?? 1)
    let extra = model.backward == nil ? 0 : 8
    let width = area.width
    buffer.write(text("class scores"), x: area.x, y: area.y, width: width, style: theme.title)
    buffer.write(text("softmax"), x: area.x, y: area.y + 1, width: width, style: theme.dim)
    let p = model.probabilities
    let rows = max(0, area.height - 6)
    var shown = Array(0..<classes)
    if classes > rows {
      shown = Array(shown.sorted { p[$0] > p[$1] }.prefix(max(0, rows - 1)))
    }
    var y = area.y + 3
    for k in shown {
      drawBar(into: &buffer, at: (area.x, y), name: (model.className(k), nameWidth), p: p[k], k)
      y += 1
    }
    drawLogitGradients(into: &buffer, x: area.maxX - extra + 2, y: area.y + 3, classes: shown)
    if shown.count < classes {
      buffer.write(
        "+\(classes - shown.count) more", x: area.x + 2, y: y, width: width - 2, style: theme.dim)
      y += 1
    }
    let right = model.predicted == model.label
    let lines =
      model.canvas != nil
      ? [(verdict, theme.accent)]
      : [
        (verdict, right ? theme.success : theme.error),
        ("true \(model.className(model.label))", theme.text),
      ]
    for (k, (line, style)) in lines.enumerated() where y + 1 + k < area.maxY {
      buffer.write(text(line), x: area.x, y: y + 1 + k, width: width, style: style)
    }
  }

  /// One class's row: `▸ 3 █████▌     0.56` (the mark on the predicted class).
  private func drawBar(
    into buffer: inout CellBuffer, at origin: (x: Int, y: Int), name: (text: String, width: Int),
    p: Double, _ k: Int
  ) {
    let predicted = k == model.predicted
    let style = predicted ? theme.accent : (k == model.label ? theme.success : theme.info)
    var x = origin.x
    if predicted { buffer.write(text("▸"), x: x, y: origin.y, style: theme.accent) }
    x += 2
    let label = String(repeating: " ", count: max(0, name.width - name.text.count)) + name.text
    buffer.write(
      text(label), x: x, y: origin.y, width: name.width,
      style: k == model.label ? theme.success : theme.text)
    x += name.width + 1
    let barWidth = Self.barWidth(screen: model.width)
    let eighths = Int((max(0, min(1, p)) * Double(barWidth * 8)).rounded())
    let partial: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    var bar = String(repeating: caps.unicode ? "█" : "#", count: eighths / 8)
    if caps.unicode, eighths % 8 > 0 { bar.append(partial[eighths % 8 - 1]) }
    if eighths > 0, bar.isEmpty { bar = caps.unicode ? "▏" : "|" }
    buffer.write(bar, x: x, y: origin.y, width: barWidth, style: style)
    x += barWidth + 1
    buffer.write(
      NumberFormat.decimals(p, 2), x: x, y: origin.y,
      style: predicted ? theme.accent : theme.text)
  }
}

// MARK: - Layer columns

extension NetPainter {
  /// The narrowest layer column.
  static let minColumn = 8
  /// Columns between two layer columns.
  static let gap = 2

  /// The width of layer `k`'s column with `cellWidth` columns a value, up to `across` maps side
  /// by side (one column apart) and `rows` rows of maps.
  func columnWidth(_ k: Int, cellWidth: Int, across: Int, rows: Int) -> Int {
    let out = model.activations.values[k + 1]
    if out.rank == 4 {
      let n = min(across, out.shape[1])
      return max(n * out.shape[3] * cellWidth + n - 1, Self.minColumn)
    }
    let sub = (out.count + max(1, rows) - 1) / max(1, rows)
    return max(sub * cellWidth, Self.minColumn)
  }

  /// The columns that fit `width`, the selected one among them.
  static func visible(_ widths: [Int], width: Int, selected: Int) -> ClosedRange<Int> {
    func fits(_ a: Int, _ b: Int) -> Bool {
      widths[a...b].reduce(0, +) + gap * (b - a) <= width
    }
    var start = 0
    while start < selected, !fits(start, selected) { start += 1 }
    var end = max(start, selected)
    while end + 1 < widths.count, fits(start, end + 1) { end += 1 }
    return start...end
  }

  /// The layout that shows the most columns, then two-column cells (square on most fonts),
  /// then the most maps side by side: cell width, maps across, widths and the columns shown.
  static func bestLayout(
    _ width: Int, selected: Int, widths: (_ cellWidth: Int, _ across: Int) -> [Int]
  ) -> (cellWidth: Int, across: Int, widths: [Int], shown: ClosedRange<Int>) {
    var best: (cellWidth: Int, across: Int, widths: [Int], shown: ClosedRange<Int>)?
    for cw in [2, 1] {
      for across in 1...4 {
        let w = widths(cw, across)
        let shown = visible(w, width: width, selected: selected)
        // Ties go to the earlier cell width, then to more maps across.
        if let b = best,
          b.shown.count > shown.count || (b.shown.count == shown.count && b.cellWidth > cw)
        {
          continue
        }
        best = (cw, across, w, shown)
      }
    }
    return best ?? (1, 1, widths(1, 1), selected...selected)
  }

  /// Where the layer columns go in `area`: those that fit, scrolled to the selected one, each
  /// with its cell width and maps across; and how many are hidden left and right. Nil when
  /// `area` is too small for any.
  func columnPlacements(area: Rect) -> (columns: [NetColumnPlacement], hidden: (Int, Int))? {
    let count = model.network.layers.count
    guard area.width >= Self.minColumn, area.height > 5, count > 0 else { return nil }
    let rows = area.height - 4
    let selected = min(model.selectedLayer, count - 1)
    let (cw, across, widths, range) = Self.bestLayout(area.width, selected: selected) {
      cw, across in (0..<count).map { columnWidth($0, cellWidth: cw, across: across, rows: rows) }
    }
    var x = area.x
    var columns: [NetColumnPlacement] = []
    for k in range {
      let column = Rect(
        x: x, y: area.y + 1, width: min(widths[k], area.maxX - x), height: area.height - 1)
      columns.append(NetColumnPlacement(layer: k, area: column, cellWidth: cw, across: across))
      x += widths[k] + Self.gap
    }
    return (columns, (range.lowerBound, count - 1 - range.upperBound))
  }

  /// One column per layer (those that fit, scrolled to the selected one) with a line about the
  /// selected layer above them.
  func drawLayers(into buffer: inout CellBuffer, area: Rect) {
    guard let (columns, hidden) = columnPlacements(area: area) else { return }
    if let walk = model.backward {
      drawBackwardLine(into: &buffer, area: area, walk: walk, hidden: hidden)
    } else {
      drawDescription(into: &buffer, area: area, hidden: hidden)
    }
    for column in columns {
      drawColumn(
        column.layer, into: &buffer, area: column.area, cellWidth: column.cellWidth,
        across: column.across)
    }
  }

  /// `layer 1 of 8: conv 8 3x3 pad 1 → 8×8×8  max |v| 1.9`, and how many columns are hidden.
  private func drawDescription(
    into buffer: inout CellBuffer, area: Rect, hidden: (left: Int, right: Int)
  ) {
    let k = min(model.selectedLayer, model.network.layers.count - 1)
    let out = model.activations.values[k + 1]
    var more: [String] = []
    if hidden.left > 0 { more.append("\(symbols.moreLeft) \(hidden.left)") }
    if hidden.right > 0 { more.append("\(hidden.right) \(symbols.moreRight)") }
    let tail = text(more.joined(separator: "  "))
    let title = model.layerTitles[k].trimmingSpaces
    let layer =
      "layer \(k + 1) of \(model.network.layers.count): \(title) → \(shapeText(out.shape))"
    let scale = "   max |v| \(NumberFormat.short(out.maxAbs, ascii: !caps.unicode, maxDecimals: 2))"
    // The row above the columns is free to the screen's right edge (the scores start lower).
    let width = max(0, model.width - 1 - area.x)
    let room = tail.isEmpty ? width : max(0, width - tail.count - 3)
    // The scale only when it fits whole.
    let line = text(text(layer + scale).count <= room ? layer + scale : layer)
    let end = buffer.write(line, x: area.x, y: area.y, width: room, style: theme.emphasis)
    buffer.write(tail, x: end + 3, y: area.y, style: theme.scrollIndicator)
  }

  /// Layer `k`'s column: a two-line header, then its maps (or its features) as shaded grids.
  private func drawColumn(
    _ k: Int, into buffer: inout CellBuffer, area: Rect, cellWidth: Int, across: Int
  ) {
    let (out, gradient) = columnTensor(k)
    let shape = out.rank == 2 ? "\(out.count) feat" : shapeText(out.shape)
    let selected = k == model.selectedLayer
    let header = selected ? theme.labelCurrent : theme.title
    if selected {
      buffer.fill(
        Rect(x: area.x, y: area.y, width: area.width, height: 2), with: Cell(" ", style: header))
    }
    buffer.write(
      "\(k + 1) \(Self.shortName(model.network.layers[k]))", x: area.x, y: area.y,
      width: area.width, style: header, clip: area)
    buffer.write(
      text(gradient ? gradientHeader(shape, width: area.width) : shape), x: area.x, y: area.y + 1,
      width: area.width,
      style: selected ? header : theme.dim, clip: area)
    let maps = Self.mapsArea(column: area)
    let shader = Shader(capabilities: caps, range: out.maxAbs)
    if out.rank == 4 {
      drawMaps(
        out, into: &buffer, area: maps, cell: (cellWidth, across), shader: shader,
        activation: k + 1)
    } else {
      let rows = min(out.count, max(1, maps.height))
      let sub = (out.count + rows - 1) / rows
      let height = (out.count + sub - 1) / sub
      drawGrid(
        into: &buffer, at: (maps.x, maps.y), size: (height, sub), cellWidth: cellWidth,
        clip: maps, shader: shader
      ) { r, c in c * height + r < out.count ? out.data[c * height + r] : nil }
    }
  }

  /// A layer column's maps: below its two-line header and a blank line.
  static func mapsArea(column area: Rect) -> Rect {
    Rect(x: area.x, y: area.y + 3, width: area.width, height: area.height - 3)
  }

  /// Where the maps of `shape` `[1, C, H, W]` go in `area`, `cell.across` a row, as many rows as
  /// fit (the focused cell's map always among them, when `activation` holds the focus).
  func mapPlacements(
    _ shape: [Int], area: Rect, cell: (width: Int, across: Int), activation: Int
  ) -> NetMapsPlacement {
    let (c, h, w) = (shape[1], shape[2], shape[3])
    let halved = Self.halves(rows: h, room: area.height - 1)
    let lines = Self.lines(rows: h, halved: halved)
    let across = max(1, min(cell.across, c))
    let rowsNeeded = (c + across - 1) / across
    let fitAll = rowsNeeded * (lines + 1) - 1 <= area.height
    let rows = fitAll ? rowsNeeded : max(0, (area.height - 1) / (lines + 1))
    let shown = min(c, rows * across)
    let focused = activation == model.field.map { $0.count - 1 } ? model.focus?.map : nil
    let first = min(max(0, (focused ?? 0) - shown + 1), c - shown)
    let origins = (0..<shown).map { k in
      (
        channel: first + k, x: area.x + (k % across) * (w * cell.width + 1),
        y: area.y + (k / across) * (lines + 1)
      )
    }
    return NetMapsPlacement(
      maps: origins, rows: rows, lines: lines, halved: halved, first: first)
  }

  /// The channels of `out`, `cell.across` a row, as many rows as fit, then `+N more`.
  private func drawMaps(
    _ out: Tensor, into buffer: inout CellBuffer, area: Rect, cell: (width: Int, across: Int),
    shader: Shader, activation: Int
  ) {
    let (c, h, w) = (out.shape[1], out.shape[2], out.shape[3])
    let placed = mapPlacements(out.shape, area: area, cell: cell, activation: activation)
    let (rows, lines, first, shown) = (placed.rows, placed.lines, placed.first, placed.maps.count)
    for map in placed.maps {
      let channel = map.channel
      drawGrid(
        into: &buffer, at: (map.x, map.y), size: (h, w), cellWidth: cell.width, clip: area,
        shader: shader, mark: { mark(activation: activation, channel: channel, $0, $1) },
        halved: placed.halved, value: { r, col in out[n: 0, c: channel, h: r, w: col] })
    }
    if shown < c {
      let range = text(shown == 1 ? "map \(first + 1)" : "maps \(first + 1)–\(first + shown)")
      let more =
        first > 0
        ? (range.count <= area.width ? range : text("\(first + 1)–"))
        : ("+\(c - shown) more".count <= area.width ? "+\(c - shown) more" : "+\(c - shown)")
      buffer.write(
        more, x: area.x, y: area.y + rows * (lines + 1), width: area.width, style: theme.dim,
        clip: area)
    }
  }

  /// A layer's kind in a word: `conv`, `relu`, `pool`, `flat`, `linear`.
  static func shortName(_ layer: NetLayer) -> String {
    switch layer.kind {
    case .conv2d: "conv"
    case .relu: "relu"
    case .maxPool2d: "pool"
    case .flatten: "flat"
    case .linear: "linear"
    }
  }
}

extension String {
  /// The text without leading and trailing spaces.
  var trimmingSpaces: String {
    String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
  }
}

// MARK: - Placements

/// Where one layer's column goes on the overview.
struct NetColumnPlacement: Equatable {
  /// The layer.
  let layer: Int
  /// The column: its header's two lines, a blank line, then its maps.
  let area: Rect
  /// Columns a value takes.
  let cellWidth: Int
  /// Maps side by side.
  let across: Int
}

/// Where a column's maps go.
struct NetMapsPlacement {
  /// Each map shown: its channel and top-left corner.
  let maps: [(channel: Int, x: Int, y: Int)]
  /// Rows of maps.
  let rows: Int
  /// Lines a map takes.
  let lines: Int
  /// Whether a line holds two rows.
  let halved: Bool
  /// The first channel shown.
  let first: Int
}
