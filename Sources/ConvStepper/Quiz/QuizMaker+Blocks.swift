import ConvCore
import NumberText

// MARK: - Questions about the blocks after the convolution

extension QuizMaker {
  /// Which cell of a max-pool window receives the gradient (the window's maximum).
  func pool(level: Int, _ g: inout SeededGenerator) -> QuizQuestion {
    guard let pooled = trace.pooled, let config = trace.scenario.pool else {
      return outputSize(level: level, &g)
    }
    let source = trace.reluOutput ?? trace.y
    let (n, c) = (source.shape[0], source.shape[1])
    let (h, w) = (source.shape[2], source.shape[3])
    let out = (pooled.y.shape[2], pooled.y.shape[3])
    let sample = Int.random(in: 0..<n, using: &g)
    let channel = Int.random(in: 0..<c, using: &g)
    let cell = QuizCell(Int.random(in: 0..<out.0, using: &g), Int.random(in: 0..<out.1, using: &g))
    let flat = ((sample * c + channel) * out.0 + cell.row) * out.1 + cell.column
    let winner = QuizCell(pooled.argmax[flat] / w, pooled.argmax[flat] % w)
    let rows = (0..<config.kernel.h).map { cell.row * config.stride.h + $0 - config.padding.h }
    let cols = (0..<config.kernel.w).map { cell.column * config.stride.w + $0 - config.padding.w }
    var lines = [
      "Max pooling \(config.kernel.h)×\(config.kernel.w), stride \(config.stride): the window "
        + "of pooled cell [\(sample),\(channel),\(cell.row),\(cell.column)] over "
        + (trace.reluOutput == nil ? "y" : "relu(y)") + "[\(sample),\(channel),:,:]:"
    ]
    for r in rows where r >= 0 && r < h {
      let values = cols.filter { $0 >= 0 && $0 < w }.map {
        "\(r),\($0): " + QuizMaker.showFine(source[n: sample, c: channel, h: r, w: $0])
      }
      lines.append("    " + values.joined(separator: "   "))
    }
    lines.append("Which cell (row,column) receives the gradient in the backward pass?")
    let top = QuizCell(max(0, rows[0]), max(0, cols[0]))
    let grid = QuizGrid(
      name: (trace.reluOutput == nil ? "y" : "relu(y)") + "[\(sample),\(channel),:,:]", origin: top,
      size: Size2(
        min(h, rows[rows.count - 1] + 1) - top.row, min(w, cols[cols.count - 1] + 1) - top.column))
    return QuizQuestion(
      kind: .pool, level: level, lines: lines, answer: .cells([winner]),
      worked: [
        "max pooling passes the whole gradient to the window's largest value (the first one in "
          + "row order on a tie), \(winner) = "
          + QuizMaker.showFine(source[n: sample, c: channel, h: winner.row, w: winner.column])
          + "; every other cell of the window gets 0"
      ], grid: grid)
  }

  /// Which gradients pass the ReLU: those whose input `y` was positive.
  func relu(level: Int, _ g: inout SeededGenerator) -> QuizQuestion {
    let y = trace.y
    let geo = trace.geometry
    let (n, f, center) = outputCell(level: level, &g)
    let rows = Array(max(0, center.row - 1)...min(geo.output.h - 1, center.row + 1))
    let cols = Array(max(0, center.column - 1)...min(geo.output.w - 1, center.column + 1))
    var lines = ["A ReLU follows the convolution. These are y[\(n),\(f),:,:] around \(center):"]
    var passing: Set<QuizCell> = []
    for r in rows {
      lines.append(
        "    "
          + cols.map { "\(r),\($0): " + QuizMaker.showFine(y[n: n, c: f, h: r, w: $0]) }
          .joined(separator: "   "))
      for c in cols where y[n: n, c: f, h: r, w: c] > 0 { passing.insert(QuizCell(r, c)) }
    }
    lines.append("Of these cells, which pass their gradient back through the ReLU?")
    return QuizQuestion(
      kind: .relu, level: level, lines: lines, answer: .cells(passing),
      worked: [
        "ReLU's gradient is 1 where y > 0 and 0 elsewhere (0 itself included, as in PyTorch): "
          + QuizAnswer.cells(passing).text
      ],
      grid: QuizGrid(
        name: "y[\(n),\(f),:,:]", origin: QuizCell(rows[0], cols[0]),
        size: Size2(rows.count, cols.count)))
  }

  /// A value with enough decimals that its sign and order are clear (up to 4).
  static func showFine(_ v: Float) -> String {
    NumberFormat.short(v, ascii: true, maxDecimals: 4)
  }
}
