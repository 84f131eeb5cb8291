import ConvCore
import NumberText
import TermUI

// MARK: - netView

/// The smallest screen the overview draws on; smaller ones say so in one line.
public enum NetScreen {
  /// The fewest columns.
  public static let minWidth = 60
  /// The fewest rows.
  public static let minHeight = 16
}

/// Draws the net screen: a title bar, the test image, one column per layer with its feature
/// maps, the class scores as bars, and a status line. Pure: a function of the model.
public func netView(_ model: NetModel) -> CellBuffer {
  var buffer = CellBuffer(width: model.width, height: model.height)
  let theme = Theme.standard(for: model.capabilities)
  guard model.width >= NetScreen.minWidth, model.height >= NetScreen.minHeight else {
    TooSmall(
      required: (NetScreen.minWidth, NetScreen.minHeight), actual: (model.width, model.height),
      capabilities: model.capabilities, theme: theme
    ).render(into: &buffer, area: buffer.area)
    return buffer
  }
  let painter = NetPainter(model: model, theme: theme)
  painter.drawChrome(into: &buffer)
  if model.dashboard.showsTraining {
    painter.drawDashboard(into: &buffer, body: painter.body)
  } else {
    painter.drawImage(into: &buffer, area: painter.imageArea)
    painter.drawScores(into: &buffer, area: painter.scoresArea)
    painter.drawLayers(into: &buffer, area: painter.layersArea)
  }
  if model.showsHelp { painter.drawHelp(into: &buffer) }
  return buffer
}

// MARK: - NetPainter

/// The pieces of the net screen, each drawn into its own area.
struct NetPainter {
  let model: NetModel
  let theme: Theme
  var caps: Capabilities { model.capabilities }
  var symbols: Symbols { caps.symbols }

  /// Text as the terminal can draw it (ASCII spellings without Unicode).
  func text(_ s: String) -> String { caps.drawable(s) }

  // MARK: Where the overview's parts go

  /// The screen less the title bar and the status line.
  var body: Rect { Rect(x: 0, y: 1, width: model.width, height: model.height - 2) }

  /// The test image (or the drawing) and its caption, at the left.
  var imageArea: Rect {
    let w = model.activations.values[0].shape.last ?? 1
    let width = min(max(w * Self.cellWidth(mapColumns: w, fits: 24), 14), 32)
    return Rect(x: 1, y: body.y + 1, width: width, height: body.height - 1)
  }

  /// The class scores, at the right.
  var scoresArea: Rect {
    let classes = model.activations.logits.count
    let nameWidth = min(10, (0..<classes).map { model.className($0).count }.max() ?? 1)
    let extra = model.backward == nil ? 0 : 8
    let width = 2 + nameWidth + 1 + Self.barWidth(screen: model.width) + 1 + 4 + extra
    return Rect(
      x: body.maxX - width - 1, y: body.y + 1, width: width, height: body.height - 1)
  }

  /// The layer columns, between the image and the scores.
  var layersArea: Rect {
    let (image, scores) = (imageArea, scoresArea)
    return Rect(
      x: image.maxX + 2, y: body.y, width: max(0, scores.x - 1 - image.maxX - 2),
      height: body.height)
  }

  /// The title bar (row 0) and the status line (the last row).
  func drawChrome(into buffer: inout CellBuffer) {
    let w = model.width
    let last = model.height - 1
    buffer.fill(Rect(x: 0, y: 0, width: w, height: 1), with: Cell(" ", style: theme.statusBar))
    buffer.fill(Rect(x: 0, y: last, width: w, height: 1), with: Cell(" ", style: theme.statusBar))
    let right = text(" \(verdict) ")
    let titles =
      model.canvas != nil
      ? drawingTitles
      : [
        " convscope net \(symbols.separator) \(model.netName) \(symbols.separator) test image "
          + "\(model.imageIndex + 1) of \(model.test.count) \(symbols.separator) true "
          + "\(model.className(model.label))",
        " \(model.netName) \(symbols.separator) image \(model.imageIndex + 1) of "
          + "\(model.test.count) \(symbols.separator) true \(model.className(model.label))",
        " image \(model.imageIndex + 1)/\(model.test.count)",
      ].map(text)
    Self.writeFitting(titles, into: &buffer, y: 0, width: w - right.count, style: theme.statusBar)
    buffer.write(
      right, x: max(0, w - right.count), y: 0,
      style: model.canvas != nil || model.predicted == model.label ? theme.statusKey : errorBar)
    let hint = text(w >= 100 ? " ? keys  q quit " : " ? q ")
    var notes =
      model.notice.map { [$0] } ?? modeNotes ?? backwardNotes ?? trainingNotes ?? weightsNotes
    if let problem = model.problem { notes = [problem] }
    Self.writeFitting(
      notes.map { " " + text($0) }, into: &buffer, y: last, width: w - hint.count,
      style: model.problem == nil ? theme.statusBar : errorBar)
    buffer.write(hint, x: max(0, w - hint.count), y: last, style: theme.statusKey)
  }

  /// What training has done so far, longest wording first (nil before its first step).
  var trainingNotes: [String]? {
    guard let t = model.training else { return nil }
    let state = model.running ? "training" : (model.awaiting ? "stepping" : "paused")
    // The newest test since training began (four an epoch), as the training view shows it.
    let latest = t.history.lastTest.flatMap { $0.step > 0 ? $0.accuracy : nil } ?? t.testAccuracy
    let test = latest.map { "test acc \(percent($0))" } ?? "test acc soon"
    let batch = t.batch == 0 ? t.batches : t.batch
    let epoch = t.batch == 0 ? t.epochsDone : t.epochsDone + 1
    let keys = model.running ? "Space pause" : "Space train  s step  e epoch"
    let (speed, short) = (model.dashboard.speedText, model.dashboard.shortSpeedText)
    let head = "\(state) · epoch \(epoch) batch \(batch)/\(t.batches) · loss \(fixed(t.loss))"
    let medium = "\(state) · epoch \(epoch) \(batch)/\(t.batches) · loss \(fixed(t.loss)) · \(test)"
    return [
      "\(head) · epoch acc \(percent(t.epochAccuracy)) · \(test) · \(t.steps) steps · \(speed) · \(keys)",
      "\(head) · epoch acc \(percent(t.epochAccuracy)) · \(test) · \(speed) · \(keys)",
      "\(medium) · \(short) · \(keys)", "\(medium) · \(short)", "\(medium) · \(keys)",
      "\(state) e\(epoch) \(batch)/\(t.batches) loss \(fixed(t.loss)) \(test) \(short)",
      "\(state) e\(epoch) \(batch)/\(t.batches) loss \(fixed(t.loss)) \(test)",
    ]
  }

  /// `93.8%`.
  func percent(_ fraction: Double) -> String {
    String(format: "%.1f%%", 100 * fraction)
  }

  /// `0.2134`.
  func fixed(_ value: Double) -> String {
    value.isFinite ? String(format: "%.4f", value) : "\(value)"
  }

  /// Where the weights came from, longest wording first.
  var weightsNotes: [String] {
    let train = model.trainable ? " · Space train  s step  e epoch" : ""
    if let file = model.weightsFile { return ["weights: \(file)\(train)", "weights: \(file)"] }
    let s = model.seed
    if model.trainable {
      return [
        "untrained (seed \(s)) · Space train  s one step  e one epoch  v curves",
        "untrained (seed \(s)) · Space train  s one step  e one epoch",
        "untrained (seed \(s)) · Space train  s step  e epoch",
        "untrained · Space train",
      ]
    }
    return [
      "untrained (seed \(s)) — train with: convscope train --save w.npz, then --load w.npz",
      "untrained (seed \(s)): convscope train --save w.npz, then --load w.npz",
      "untrained (seed \(s)): train, then --load w.npz",
    ]
  }

  /// Writes the first of `texts` that fits `width` (the last one cut when none does).
  static func writeFitting(
    _ texts: [String], into buffer: inout CellBuffer, y: Int, width: Int, style: Style
  ) {
    let text = texts.first { $0.count <= width } ?? texts.last ?? ""
    buffer.write(text, x: 0, y: y, width: max(0, width), style: style)
  }

  /// `predicted 3 ✓ right` or `predicted 5 ✗ wrong`.
  var verdict: String {
    let p = model.className(model.predicted)
    if model.canvas != nil { return "predicted \(p)" }
    return model.predicted == model.label
      ? "predicted \(p) \(symbols.passed) right" : "predicted \(p) \(symbols.failed) wrong"
  }

  var errorBar: Style {
    var s = theme.statusBar
    s.attributes.insert(.bold)
    if caps.color >= .ansi256 { s.fg = theme.error.fg } else { s.attributes.insert(.underline) }
    return s
  }

  /// Columns a map's cell takes: two (square-ish) when `columns` fit, else one.
  static func cellWidth(mapColumns: Int, fits columns: Int) -> Int {
    mapColumns * 2 <= columns ? 2 : 1
  }

  /// The test image, its caption, in ``imageArea``.
  func drawImage(into buffer: inout CellBuffer, area: Rect) {
    let gradient = model.backward?.inputGradient
    let image = gradient ?? model.activations.values[0]
    let (c, h, w) = (image.shape[1], image.shape[2], image.shape[3])
    let cw = Self.cellWidth(mapColumns: w, fits: 24)
    let width = area.width
    let title = gradient == nil ? "input" : "input grad"
    buffer.write(text(title), x: area.x, y: area.y, width: width, style: theme.title)
    let shape = shapeText(image.shape)
    buffer.write(shape, x: area.x, y: area.y + 1, width: width, style: theme.dim)
    let shader = Shader(capabilities: caps, range: model.canvas?.ink ?? image.maxAbs)
    var y = area.y + 3
    if drawsPicture(channels: c) {
      y +=
        drawPicture(image, into: &buffer, at: (area.x, y), cellWidth: cw, clip: area) + 1
    }
    let halved = Self.halves(rows: h, room: area.height - 5)
    let lines = Self.lines(rows: h, halved: halved)
    for channel in 0..<c where y + lines <= area.maxY && !drawsPicture(channels: c) {
      drawGrid(
        into: &buffer, at: (area.x, y), size: (h, w), cellWidth: cw, clip: area, shader: shader,
        mark: { mark(activation: 0, channel: channel, $0, $1) }, halved: halved,
        value: { r, col in image[n: 0, c: channel, h: r, w: col] })
      y += lines + 1
    }
    let caption =
      model.canvas.map(canvasCaption)
      ?? [
        ("image \(model.imageIndex + 1)/\(model.test.count)", theme.text),
        ("true: \(model.className(model.label))", theme.success),
      ]
    for (k, (line, style)) in caption.enumerated() where y + k < area.maxY {
      buffer.write(text(line), x: area.x, y: y + k, width: width, style: style)
    }
  }

  /// `8×8×8` for a map `[1, C, H, W]`, `64 features` for a vector `[1, n]`.
  func shapeText(_ shape: [Int]) -> String {
    let x = String(symbols.times)
    switch shape.count {
    case 4: return "\(shape[1])\(x)\(shape[2])\(x)\(shape[3])"
    case 2: return "\(shape[1]) features"
    default: return shape.map(String.init).joined(separator: x)
    }
  }

  /// Draws a `size.rows`×`size.cols` grid of shaded values from `at`, `cellWidth` columns a
  /// value, nothing outside `clip`.
  func drawGrid(
    into buffer: inout CellBuffer, at origin: (x: Int, y: Int), size: (rows: Int, cols: Int),
    cellWidth: Int, clip: Rect, shader: Shader, mark: (Int, Int) -> GridMark = { _, _ in .none },
    halved: Bool = false, value: (Int, Int) -> Float?
  ) {
    if halved {
      drawHalvedGrid(
        into: &buffer, at: origin, size: size, cellWidth: cellWidth, clip: clip, shader: shader,
        mark: mark, value: value)
      return
    }
    for r in 0..<size.rows {
      let y = origin.y + r
      guard y < clip.maxY else { return }
      for c in 0..<size.cols {
        let x = origin.x + c * cellWidth
        guard x + cellWidth <= clip.maxX else { break }
        guard let v = value(r, c) else { continue }
        let shade = shader.shade(v)
        let style = marked(shade.style, mark(r, c))
        if cellWidth == 1 {
          buffer.put(shade.glyph, x: x, y: y, style: style, clip: clip)
        } else {
          buffer.put(shade.lead, x: x, y: y, style: style, clip: clip)
          buffer.put(shade.trail, x: x + 1, y: y, style: style, clip: clip)
        }
      }
    }
  }
}
