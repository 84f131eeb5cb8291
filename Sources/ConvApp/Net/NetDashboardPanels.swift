import ConvCore
import NumberText
import TermUI

// MARK: - Confusion matrix

extension NetPainter {
  /// Columns a confusion cell takes: the widest count a class can have (its test images), and
  /// a space.
  var confusionCellWidth: Int {
    var counts = Array(repeating: 0, count: model.test.classes)
    for label in model.test.labels where counts.indices.contains(label) { counts[label] += 1 }
    return max(2, String(counts.max() ?? 0).count) + 1
  }

  /// The confusion matrix's size: a title, a header row, a row per class.
  var confusionSize: (width: Int, height: Int) {
    let classes = model.test.classes
    return (3 + classes * confusionCellWidth, 2 + classes)
  }

  /// The last test's confusion matrix: rows the true class, columns the predicted one, counts;
  /// the diagonal (right) and the mistakes shaded by count in colour, marked by attributes
  /// without it.
  func drawConfusion(into buffer: inout CellBuffer, area: Rect) {
    guard let test = model.training?.history.lastTest else {
      buffer.write(text("confusion matrix"), x: area.x, y: area.y, style: theme.title)
      buffer.write(
        text("after the first test"), x: area.x, y: area.y + 1, width: area.width,
        style: theme.dim)
      return
    }
    let title = [
      "confusion matrix · test images, step \(test.step) · rows true, columns predicted",
      "confusion · step \(test.step) · row true, col pred", "confusion (rows true, cols predicted)",
      "confusion: row true, col pred",
    ].map(text)
    Self.writeFitting(
      title, into: &buffer, x: area.x, y: area.y, width: area.width, style: theme.title)
    let cw = confusionCellWidth
    let classes = test.confusion.count
    let top = test.confusion.flatMap { $0 }.max() ?? 0
    for k in 0..<classes {
      let name = String(Self.classMark(model.className(k), k).suffix(cw - 1))
      let x = area.x + 3 + k * cw + (cw - name.count)
      buffer.write(name, x: x, y: area.y + 1, style: theme.label, clip: area)
      let row = area.y + 2 + k
      buffer.write(
        String(Self.classMark(model.className(k), k).prefix(2)), x: area.x, y: row,
        style: theme.label, clip: area)
      for p in 0..<classes {
        let count = test.confusion[k][p]
        let cell = Rect(x: area.x + 3 + p * cw, y: row, width: cw, height: 1)
        let style = confusionStyle(count, diagonal: k == p, top: top)
        let label = count == 0 ? String(symbols.pending) : String(count)
        buffer.fill(cell.intersection(area), with: Cell(" ", style: style))
        buffer.write(label, x: cell.maxX - label.count, y: row, style: style, clip: area)
      }
    }
  }

  /// A class's name when it is one or two characters (a digit), else its index.
  static func classMark(_ name: String, _ k: Int) -> String {
    name.count <= 2 ? name : String(k)
  }

  /// A confusion cell's style: in colour the shade of `count` (blue on the diagonal, red off
  /// it) out of the largest; with 8 colours or none, the diagonal reversed and bold, mistakes
  /// bold (and red with 8 colours); zeros dim.
  private func confusionStyle(_ count: Int, diagonal: Bool, top: Int) -> Style {
    if count == 0 { return theme.dim }
    if caps.color >= .ansi256 {
      let shader = Shader(capabilities: caps, range: Float(max(1, top)))
      var style = shader.shade(Float(diagonal ? count : -count)).textStyle
      if diagonal { style.attributes.insert(.bold) }
      return style
    }
    if diagonal { return Style(attributes: [.bold, .reverse]) }
    // Eight colours: red, the one basic hue that reads on dark and light backgrounds.
    return caps.color == .none ? Style(attributes: .bold) : Style(fg: .ansi(1), attributes: .bold)
  }

  /// Writes the first of `texts` that fits `width` from `x` (the last one cut when none does).
  static func writeFitting(
    _ texts: [String], into buffer: inout CellBuffer, x: Int, y: Int, width: Int, style: Style
  ) {
    let line = texts.first { $0.count <= width } ?? texts.last ?? ""
    buffer.write(line, x: x, y: y, width: max(0, width), style: style)
  }
}

// MARK: - Kernels

extension NetPainter {
  /// The first conv layer: its index and weights `[F, C, KH, KW]` (nil: the network has none).
  var firstKernels: (layer: Int, weight: Tensor)? {
    for (k, layer) in model.network.layers.enumerated() {
      if case .conv2d = layer.kind, let w = layer.weight, w.rank == 4 { return (k, w) }
    }
    return nil
  }

  /// How the kernels of `weight` sit in `width` columns: the cell width (2 when four kernels a
  /// row fit, else 1), kernels a row, rows, and the panel's size (a title and a scale line over
  /// the kernels, a blank line between their rows).
  func kernelGrid(_ weight: Tensor, width: Int) -> (
    cellWidth: Int, across: Int, rows: Int, size: (width: Int, height: Int)
  ) {
    let (f, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
    let cw = 4 * (kw * 2 + 1) - 1 <= width ? 2 : 1
    let across = max(1, min(f, (width + 1) / (kw * cw + 1)))
    let rows = (f + across - 1) / across
    return (cw, across, rows, (across * (kw * cw + 1) - 1, 2 + rows * (kh + 1) - 1))
  }

  /// The first conv layer's kernels as shaded grids on one scale, the scale stated; as many rows
  /// of them as fit, then `+N more`. On three channels (RGB) with colours each kernel is a colour
  /// picture; otherwise the grids show input channel 1, and the title says so.
  func drawKernels(
    _ kernels: (layer: Int, weight: Tensor), into buffer: inout CellBuffer, area: Rect
  ) {
    let w = kernels.weight
    let (f, c, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    let grid = kernelGrid(w, width: area.width)
    let colour = drawsPicture(channels: c)
    let name = "layer \(kernels.layer + 1) kernels"
    let titles =
      colour
      ? ["\(name) (RGB, grey is 0)", "\(name) (RGB)", name]
      : c > 1 ? ["\(name) (input channel 1 of \(c))", "\(name) (channel 1 of \(c))", name] : [name]
    Self.writeFitting(
      titles.map(text), into: &buffer, x: area.x, y: area.y, width: area.width,
      style: theme.title)
    let range = w.maxAbs
    let scale = NumberFormat.short(range, ascii: !caps.unicode, maxDecimals: 2)
    Self.writeFitting(
      ["\(f) filters · one scale ±\(scale)", "one scale ±\(scale)", "±\(scale)"].map(text),
      into: &buffer, x: area.x, y: area.y + 1, width: area.width, style: theme.dim)
    let shader = Shader(capabilities: caps, range: range)
    let fitRows = max(0, (area.height - 2 + 1) / (kh + 1))
    let shown = min(f, fitRows * grid.across)
    for k in 0..<shown {
      let x = area.x + (k % grid.across) * (kw * grid.cellWidth + 1)
      let y = area.y + 2 + (k / grid.across) * (kh + 1)
      if colour {
        drawColourKernel(
          w, k, range: range, into: &buffer, at: (x, y), cellWidth: grid.cellWidth, clip: area)
        continue
      }
      drawGrid(
        into: &buffer, at: (x, y), size: (kh, kw), cellWidth: grid.cellWidth, clip: area,
        shader: shader
      ) { r, col in w[n: k, c: 0, h: r, w: col] }
    }
    if shown < f {
      buffer.write(
        "+\(f - shown) more", x: area.x, y: area.maxY - 1, width: area.width, style: theme.dim)
    }
  }
}

// MARK: - Test strip

extension NetPainter {
  /// Whether the strip draws its images two rows a line: colour pictures always (as the
  /// overview draws them), grey ones when tall (an MNIST 28×28 image takes 14 lines).
  var stripHalved: Bool {
    drawsPicture(channels: model.test.x.shape[1]) || model.test.x.shape[2] > Self.tallRows
  }

  /// The strip's height: a title, an image, two caption rows.
  var stripHeight: Int { 1 + Self.lines(rows: model.test.x.shape[2], halved: stripHalved) + 2 }

  /// Test images from the one shown, each with the class the last test predicted for it:
  /// `5 ✓`, or a mistake `5 ✗` (error style) over `true 3`.
  func drawStrip(into buffer: inout CellBuffer, area: Rect) {
    let (c, h, w) = (model.test.x.shape[1], model.test.x.shape[2], model.test.x.shape[3])
    let lines = Self.lines(rows: h, halved: stripHalved)
    let twoWide = (area.width + 1) / (2 * w + 1) >= 8
    let cw = twoWide ? 2 : 1
    let count = min(model.test.count - model.imageIndex, max(0, (area.width + 1) / (w * cw + 1)))
    let test = model.training?.history.lastTest
    let first = model.imageIndex + 1
    let title = [
      "test images \(first)–\(first + count - 1) of \(model.test.count) · "
        + (test.map { "predicted at step \($0.step)" } ?? "no predictions yet") + " · ←/→ move",
      "test images \(first)–\(first + count - 1)",
    ].map(text)
    Self.writeFitting(
      title, into: &buffer, x: area.x, y: area.y, width: area.width, style: theme.title)
    let images = (0..<count).map { model.test.x.samples([model.imageIndex + $0]) }
    let shader = Shader(capabilities: caps, range: images.map(\.maxAbs).max() ?? 1)
    for (k, image) in images.enumerated() {
      let x = area.x + k * (w * cw + 1)
      if drawsPicture(channels: c) {
        _ = drawPicture(
          image, into: &buffer, at: (x, area.y + 1), cellWidth: cw, clip: area, marks: false)
      } else {
        drawGrid(
          into: &buffer, at: (x, area.y + 1), size: (h, w), cellWidth: cw, clip: area,
          shader: shader, halved: stripHalved
        ) { r, col in image[n: 0, c: 0, h: r, w: col] }
      }
      let index = model.imageIndex + k
      guard let test, test.predictions.indices.contains(index) else { continue }
      drawCaption(
        into: &buffer, predicted: test.predictions[index], label: model.test.labels[index],
        at: (x, area.y + 1 + lines), width: w * cw)
    }
  }

  /// `5 ✓` in the success style, or `5 ✗` in the error style over `true 3`.
  private func drawCaption(
    into buffer: inout CellBuffer, predicted: Int, label: Int, at origin: (x: Int, y: Int),
    width: Int
  ) {
    let right = predicted == label
    let mark = right ? symbols.passed : String(symbols.failed)
    buffer.write(
      text("\(model.className(predicted)) \(mark)"), x: origin.x, y: origin.y, width: width,
      style: right ? theme.success : theme.error)
    if !right {
      buffer.write(
        text("true \(model.className(label))"), x: origin.x, y: origin.y + 1, width: width,
        style: theme.dim)
    }
  }
}
