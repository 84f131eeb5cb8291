import ConvCore
import NumberText
import TermUI

// MARK: - Layout

/// Where the training view's panels go in the screen's body. The curves always show; then, as
/// room allows and in this order, the confusion matrix (right, top), the first layer's kernels
/// (right, under it) and the strip of test images (along the bottom). A panel that does not fit
/// whole is left out.
struct DashboardLayout: Equatable {
  /// The loss curve above the accuracy curve (the keys before any training).
  var curves: Rect
  /// The confusion matrix.
  var confusion: Rect?
  /// The first conv layer's kernels.
  var kernels: Rect?
  /// The test images and their predictions.
  var strip: Rect?

  /// The narrowest the curves get before the right column is left out.
  static let minCurveWidth = 34
  /// The right column's width beside a narrower matrix (room for four 3×3 kernels a row).
  static let minRightWidth = 33

  /// The panels in `body` for a confusion matrix of `confusion` cells, kernels that need
  /// `kernels(columnWidth)` (nil: no conv layer) and a strip `stripHeight` rows high. The right
  /// column is as wide as the matrix (at least ``minRightWidth`` when there is room); without
  /// room for the matrix beside the curves, it is as narrow as the kernels need.
  static func plan(
    body: Rect, confusion: (width: Int, height: Int),
    kernels: (Int) -> (width: Int, height: Int)?, stripHeight: Int
  ) -> DashboardLayout {
    let area = Rect(x: body.x + 1, y: body.y, width: max(0, body.width - 2), height: body.height)
    let room = area.width - 2 - minCurveWidth
    let matrix = confusion.width <= room && confusion.height <= area.height
    // At least as wide as the digits' matrix, so a small matrix leaves the kernels room.
    var rightWidth =
      matrix ? max(confusion.width, min(room, minRightWidth)) : min(confusion.width, room)
    var kernel = rightWidth > 0 ? kernels(rightWidth) : nil
    if let k = kernel, !matrix { rightWidth = k.width }
    if let k = kernel, k.width > rightWidth || k.height > area.height { kernel = nil }
    let right = matrix || kernel != nil
    var needed = 16
    if right {
      needed = max(needed, (matrix ? confusion.height + 1 : 0) + (kernel?.height ?? 0))
    }
    let strip = area.height - stripHeight - 1 >= needed
    let top = Rect(
      x: area.x, y: area.y, width: area.width,
      height: strip ? area.height - stripHeight - 1 : area.height)
    var layout = DashboardLayout(curves: top)
    if strip {
      layout.strip = Rect(x: area.x, y: top.maxY + 1, width: area.width, height: stripHeight)
    }
    guard right else { return layout }
    layout.curves = Rect(x: top.x, y: top.y, width: top.width - rightWidth - 2, height: top.height)
    var y = top.y
    let x = top.maxX - rightWidth
    if matrix, confusion.height <= top.height {
      layout.confusion = Rect(x: x, y: y, width: rightWidth, height: confusion.height)
      y += confusion.height + 1
    }
    if let kernel, kernel.height <= top.maxY - y {
      layout.kernels = Rect(x: x, y: y, width: rightWidth, height: top.maxY - y)
    }
    return layout
  }
}

// MARK: - The training view

extension NetPainter {
  /// The training view in `body`: curves, confusion matrix, kernels and test strip as
  /// ``DashboardLayout`` places them.
  func drawDashboard(into buffer: inout CellBuffer, body: Rect) {
    let kernels = firstKernels
    let layout = DashboardLayout.plan(
      body: body, confusion: confusionSize,
      kernels: { width in kernels.map { kernelGrid($0.weight, width: width).size } },
      stripHeight: stripHeight)
    if model.training == nil {
      drawKeys(into: &buffer, area: layout.curves)
    } else {
      drawCurves(into: &buffer, area: layout.curves)
    }
    if let area = layout.confusion { drawConfusion(into: &buffer, area: area) }
    if let area = layout.kernels, let kernels { drawKernels(kernels, into: &buffer, area: area) }
    if let area = layout.strip { drawStrip(into: &buffer, area: area) }
  }

  /// What the keys do, before any training.
  private func drawKeys(into buffer: inout CellBuffer, area: Rect) {
    let speed = model.dashboard.speedText
    let keys = [
      ("Space", "train on, and pause"), ("s", "one SGD step (one mini-batch)"),
      ("e", "train to the end of the epoch"),
      ("+ / -", "faster, slower (now \(speed))"),
      ("← / →", "move the strip of test images"), ("v", "back to the overview"),
    ]
    buffer.write(
      text("Training view · not trained here yet"), x: area.x, y: area.y, width: area.width,
      style: theme.title)
    var y = area.y + 2
    for (key, what) in keys where y < area.maxY {
      buffer.write(text(key), x: area.x + 1, y: y, style: theme.accent)
      buffer.write(text(what), x: area.x + 9, y: y, width: area.width - 9, style: theme.text)
      y += 1
    }
    let note =
      "The loss and accuracy curves (train: each step's batch; test: before training and four "
      + "times an epoch), the first layer's kernels, the confusion matrix and the test images' "
      + "predictions fill in as it learns."
    y += 1
    for line in TextFit.wrap(text(note), width: area.width) where y < area.maxY {
      buffer.write(line, x: area.x, y: y, style: theme.dim)
      y += 1
    }
  }

  // MARK: Curves

  /// The loss curves above the accuracy curves, train and test on each.
  private func drawCurves(into buffer: inout CellBuffer, area: Rect) {
    let history = model.training?.history ?? NetHistory()
    let lossHeight = (area.height - 1) / 2
    let top = Rect(x: area.x, y: area.y, width: area.width, height: lossHeight)
    let bottom = Rect(
      x: area.x, y: top.maxY + 1, width: area.width, height: area.height - lossHeight - 1)
    let lossTop = max(history.trainLoss.ys.max() ?? 1, history.testLoss.ys.max() ?? 1)
    plot(
      "loss", history.trainLoss, history.testLoss, y: 0...(lossTop.isFinite ? lossTop : 1),
      width: area.width,
      format: { NumberFormat.decimals($0, 3) }
    ).render(into: &buffer, area: top)
    plot(
      "accuracy", history.trainAccuracy, history.testAccuracy, y: 0...1, width: area.width,
      format: { NumberFormat.decimals(100 * $0, 0) + "%" }
    ).render(into: &buffer, area: bottom)
  }

  /// A plot of a train curve (each step) and a test curve (dashed), their last values in the
  /// legend, over the steps taken.
  private func plot(
    _ title: String, _ train: NetCurve, _ test: NetCurve, y: ClosedRange<Double>, width: Int,
    format: @escaping @Sendable (Double) -> String
  ) -> LinePlot {
    let steps = Double(max(1, model.training?.steps ?? 1))
    // The epoch's length under the axis, when the plot is wide enough to keep it clear of the
    // labels at its ends.
    let batches = model.training?.batches ?? 0
    let xTitle = width >= 50 && batches > 0 ? "steps (\(batches) an epoch)" : "steps"
    let trainName = "train " + (train.last.map { format($0.y) } ?? "-")
    let testName = "test " + (test.last.map { format($0.y) } ?? "-")
    var plot = LinePlot(
      series: [
        PlotSeries(trainName, xs: train.xs, ys: train.ys, style: trainStyle, asciiMark: "."),
        PlotSeries(
          testName, xs: test.xs, ys: test.ys, style: testStyle, dashed: true, asciiMark: "o",
          marker: "•"),
      ], yRange: y, xRange: 0...steps, title: title, xTitle: xTitle, yLabel: format,
      capabilities: caps, theme: theme)
    // Each epoch's end on the axis, while they are no denser than one in four columns.
    if batches > 0, Int(steps) / batches * 4 <= max(0, width - 8) {
      plot.xMarks = stride(from: batches, through: Int(steps), by: batches).map(Double.init)
    }
    return plot
  }

  private var trainStyle: Style { caps.color >= .ansi256 ? theme.info : theme.dim }
  private var testStyle: Style {
    caps.color >= .ansi256 ? theme.accent : Style(attributes: .bold)
  }
}
