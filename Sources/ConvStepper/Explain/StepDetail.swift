import ConvCore

// MARK: - Tap

/// One tap of a convolution window: which weight meets which input cell.
public struct Tap: Sendable, Equatable {
  /// The input channel read (with groups, `g·C/G + weightChannel`).
  public var channel: Int
  /// The weight's channel `c`, in `0..<C/G` (the input channel when there is one group).
  public var weightChannel: Int
  /// The layer's input channels `C` (a grouped window reads only some of them).
  public var layerChannels: Int
  /// Kernel row `p`.
  public var kernelRow: Int
  /// Kernel column `q`.
  public var kernelColumn: Int
  /// The row of the padded input the tap lands on, unpadded (outside `0..<H` is padding).
  public var inputRow: Int
  /// The column the tap lands on, unpadded (outside `0..<W` is padding).
  public var inputColumn: Int
  /// The input row whose value the tap reads: `inputRow` inside the input, the row a copying
  /// padding cell copies; `inputRow` for a zero.
  public var sourceRow: Int
  /// The input column whose value the tap reads (as ``sourceRow``).
  public var sourceColumn: Int
  /// Whether the tap reads zero padding (its product is 0; backward, its dx part is
  /// discarded). A copying padding mode's cells are not zero: see ``copies``.
  public var isPadding: Bool
  /// Whether the tap lands on a padding cell that copies input cell (`sourceRow`,
  /// `sourceColumn`): it reads that value, and backward its dx part goes there.
  public var copies: Bool
  /// The input value (0 for zero padding).
  public var x: Float
  /// The weight `w[f, c, p, q]`.
  public var w: Float
}

// MARK: - GridPoint

/// A row and a column in some map.
public struct GridPoint: Sendable, Hashable {
  /// Row.
  public var row: Int
  /// Column.
  public var column: Int

  /// A point.
  public init(row: Int, column: Int) {
    self.row = row
    self.column = column
  }
}

// MARK: - StepDetail

/// What one step does, with every number a formula needs.
public enum StepDetail: Sendable, Equatable {
  /// A forward window: `y = Σ x·w + b`.
  case forward(window: WindowRef, taps: [Tap], channelSums: [Float], bias: Float, value: Float)
  /// A backward window: `dw[f] += dy·X`, `dx[window] += dy·w[f]`, `db[f] += dy`.
  case backward(window: WindowRef, gradient: Float, taps: [Tap])
  /// ReLU on one cell.
  case relu(window: WindowRef, input: Float, output: Float)
  /// One pooling window: its cells (nil = padding) and the winner.
  case pool(
    window: WindowRef, cells: [Float?], size: Size2, origin: GridPoint, argmax: GridPoint,
    value: Float)
  /// One pooled gradient routed to its window's winner.
  case poolBackward(window: WindowRef, gradient: Float, argmax: GridPoint)
  /// ReLU backward on one cell: the gradient passes where the input was positive.
  case reluBackward(window: WindowRef, input: Float, gradientIn: Float, gradientOut: Float)
  /// The SGD update of one filter and its bias.
  case update(
    filter: Int, before: [Float], gradient: [Float], after: [Float], biasBefore: Float,
    biasGradient: Float, biasAfter: Float, learningRate: Float)

  /// The window of the step (the update's filter as a 1×1 window).
  public var window: WindowRef {
    switch self {
    case .forward(let w, _, _, _, _), .backward(let w, _, _), .relu(let w, _, _),
      .pool(let w, _, _, _, _, _), .poolBackward(let w, _, _), .reluBackward(let w, _, _, _):
      return w
    case .update(let f, _, _, _, _, _, _, _):
      return WindowRef(index: f, global: f, sample: 0, filter: f, row: 0, column: 0)
    }
  }
}

// MARK: - Details from a timeline

extension Timeline {
  /// The taps of convolution window `w`, in `(c, p, q)` order.
  public func taps(of w: WindowRef) -> [Tap] {
    let g = trace.geometry
    let k = g.config.kernel
    var taps: [Tap] = []
    taps.reserveCapacity(trace.tapsPerWindow)
    for c in 0..<g.config.groupChannels {
      let channel = g.config.inputChannel(filter: w.filter, weightChannel: c)
      for p in 0..<k.h {
        for q in 0..<k.w {
          let h = g.inputRow(outputRow: w.row, kernelRow: p)
          let col = g.inputColumn(outputColumn: w.column, kernelColumn: q)
          let inside = h >= 0 && h < g.input.h && col >= 0 && col < g.input.w
          let source = g.sourceRow(h).flatMap { r in g.sourceColumn(col).map { (r, $0) } }
          let x = source.map { trace.scenario.input[n: w.sample, c: channel, h: $0.0, w: $0.1] }
          taps.append(
            Tap(
              channel: channel, weightChannel: c, layerChannels: g.config.inChannels, kernelRow: p,
              kernelColumn: q, inputRow: h,
              inputColumn: col, sourceRow: source?.0 ?? h, sourceColumn: source?.1 ?? col,
              isPadding: source == nil, copies: !inside && source != nil, x: x ?? 0,
              w: trace.scenario.weight[n: w.filter, c: c, h: p, w: q]))
        }
      }
    }
    return taps
  }

  /// What window `index` of the timeline does.
  public func detail(atWindow index: Int) -> StepDetail {
    let w = window(max(0, min(index, windowCount - 1)))
    let g = trace.geometry
    switch phase {
    case .forward:
      let taps = taps(of: w)
      // One sum per channel the window reads (its group's, in order).
      var sums = [Float](repeating: 0, count: g.config.groupChannels)
      for t in taps where !t.isPadding { sums[t.weightChannel] += t.x * t.w }
      return .forward(
        window: w, taps: taps, channelSums: sums, bias: trace.scenario.bias.data[w.filter],
        value: trace.y.data[w.global])
    case .backward:
      return .backward(window: w, gradient: trace.convGradient.data[w.global], taps: taps(of: w))
    case .relu:
      return .relu(
        window: w, input: trace.y.data[w.global],
        output: trace.reluOutput?.data[w.global] ?? trace.y.data[w.global])
    case .pool:
      return poolDetail(w)
    case .poolBackward:
      let plane = g.output.w
      let arg = trace.pooled?.argmax[w.global] ?? 0
      return .poolBackward(
        window: w, gradient: trace.blockGradient.data[w.global],
        argmax: GridPoint(row: arg / plane, column: arg % plane))
    case .reluBackward:
      let incoming = trace.poolInputGradient ?? trace.blockGradient
      return .reluBackward(
        window: w, input: trace.y.data[w.global], gradientIn: incoming.data[w.global],
        gradientOut: trace.convGradient.data[w.global])
    case .update:
      let size = g.config.groupChannels * g.config.kernel.h * g.config.kernel.w
      let range = (w.filter * size)..<((w.filter + 1) * size)
      return .update(
        filter: w.filter, before: Array(trace.scenario.weight.data[range]),
        gradient: Array(trace.gradients.dw.data[range]),
        after: Array(trace.weightAfter.data[range]),
        biasBefore: trace.scenario.bias.data[w.filter],
        biasGradient: trace.gradients.db.data[w.filter], biasAfter: trace.biasAfter.data[w.filter],
        learningRate: trace.scenario.learningRate)
    }
  }

  private func poolDetail(_ w: WindowRef) -> StepDetail {
    let g = trace.geometry
    let pool = trace.scenario.pool ?? MaxPool2DConfig(kernel: 1)
    let source = trace.reluOutput ?? trace.y
    let r0 = w.row * pool.stride.h - pool.padding.h
    let c0 = w.column * pool.stride.w - pool.padding.w
    var cells: [Float?] = []
    for p in 0..<pool.kernel.h {
      for q in 0..<pool.kernel.w {
        let (r, c) = (r0 + p, c0 + q)
        let inside = r >= 0 && r < g.output.h && c >= 0 && c < g.output.w
        cells.append(inside ? source[n: w.sample, c: w.filter, h: r, w: c] : nil)
      }
    }
    let arg = trace.pooled?.argmax[w.global] ?? 0
    return .pool(
      window: w, cells: cells, size: pool.kernel, origin: GridPoint(row: r0, column: c0),
      argmax: GridPoint(row: arg / g.output.w, column: arg % g.output.w),
      value: trace.pooled?.y.data[w.global] ?? 0)
  }
}
