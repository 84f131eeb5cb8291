import ConvCore

// MARK: - Forward questions

extension QuizMaker {
  /// The output size: the layer's own geometry at level 0; another stride and padding at 1;
  /// dilation and another kernel too at 2.
  func outputSize(level: Int, _ g: inout SeededGenerator) -> QuizQuestion {
    let input = trace.geometry.input
    var config = trace.geometry.config
    for _ in 0..<100 where level > 0 {
      var c = config
      c.stride = Size2(Int.random(in: 1...3, using: &g))
      c.padding = Size2(Int.random(in: 0...2, using: &g))
      if level == 2 {
        c.dilation = Size2(Int.random(in: 1...3, using: &g))
        c.kernel = Size2([1, 2, 3, 5].randomElement(using: &g) ?? 3)
      }
      if c != trace.geometry.config, (try? c.outputSize(input: input)) != nil {
        config = c
        break
      }
    }
    let out = (try? config.outputSize(input: input)) ?? trace.geometry.output
    let k = config.kernel
    return QuizQuestion(
      kind: .outputSize, level: level,
      lines: [
        "Input \(input.h)×\(input.w), kernel \(k.h)×\(k.w), stride \(config.stride), "
          + "padding \(config.padding), dilation \(config.dilation).",
        "What is the output size (OH×OW)?",
      ],
      answer: .size(out),
      worked: [
        "O = ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1",
        "OH: " + config.outputFormula(input: input.h, alongHeight: true),
        "OW: " + config.outputFormula(input: input.w, alongHeight: false),
      ])
  }

  /// One output value, from the window, the kernel and the bias.
  func outputValue(level: Int, _ g: inout SeededGenerator) -> QuizQuestion {
    let s = trace.scenario
    let (n, f, cell) = outputCell(level: level, &g)
    var lines = [
      "Compute y[\(n),\(f),\(cell.row),\(cell.column)] = b[\(f)] + Σ w·x over its window."
    ]
    if focus != nil { lines.insert("The window the walk reaches next (its output hidden):", at: 0) }
    lines.append("  the bias b[\(f)] = \(QuizMaker.show(s.bias[[f]]))")
    var worked: [String] = []
    var fromShown = QuizMaker.shown(s.bias[[f]])
    var terms = [QuizMaker.show(s.bias[[f]])]
    let config = trace.geometry.config
    for c in 0..<config.groupChannels {
      lines += windowAndKernel(n: n, f: f, c: c, cell: cell)
      let channel = config.inputChannel(filter: f, weightChannel: c)
      var sum: Float = 0
      for (input, tap) in reads(cell) {
        let x = QuizMaker.shown(s.input[n: n, c: channel, h: input.row, w: input.column])
        sum += x * QuizMaker.shown(s.weight[n: f, c: c, h: tap.row, w: tap.column])
      }
      worked.append("channel \(channel): Σ w·x = \(QuizMaker.show(sum))")
      terms.append(QuizMaker.show(sum))
      fromShown += sum
    }
    let exact = trace.y[n: n, c: f, h: cell.row, w: cell.column]
    worked.append("y = " + terms.joined(separator: " + ") + " = \(QuizMaker.show(fromShown))")
    if abs(exact - fromShown) > 0.005 {
      worked.append("(from the unrounded numbers: \(QuizMaker.show(exact)))")
    }
    return QuizQuestion(
      kind: .outputValue, level: level, lines: lines,
      answer: .number(
        fromShown, tolerance: QuizMaker.tolerance(exact: exact, fromShown: fromShown)),
      worked: worked)
  }

  /// The input cells an output cell reads.
  func window(level: Int, _ g: inout SeededGenerator) -> QuizQuestion {
    let geo = trace.geometry
    let (n, f, cell) = outputCell(level: level, &g)
    let cells = Set(reads(cell).map(\.input))
    let c = geo.config
    let rows = (0..<c.kernel.h).map { geo.inputRow(outputRow: cell.row, kernelRow: $0) }
    let cols = (0..<c.kernel.w).map { geo.inputColumn(outputColumn: cell.column, kernelColumn: $0) }
    return QuizQuestion(
      kind: .window, level: level,
      lines: [
        "Input \(geo.input.h)×\(geo.input.w), kernel \(c.kernel.h)×\(c.kernel.w), stride "
          + "\(c.stride), padding \(c.padding)\(modeWords), dilation \(c.dilation).",
        "Which cells of x (rows 0…\(geo.input.h - 1), columns 0…\(geo.input.w - 1); "
          + (c.paddingMode == .zeros
            ? "padding not counted" : "a padding cell counts as the cell it copies")
          + ") does y[\(n),\(f),\(cell.row),\(cell.column)] read?",
        "Type them as row,column pairs separated by spaces (none if none).",
      ],
      answer: .cells(cells),
      worked: [
        "rows i·s + p·d − pad = \(cell.row)·\(c.stride.h) + p·\(c.dilation.h) − \(c.padding.h): "
          + rows.map(String.init).joined(separator: " "),
        "columns j·s + q·d − pad = \(cell.column)·\(c.stride.w) + q·\(c.dilation.w) − "
          + "\(c.padding.w): " + cols.map(String.init).joined(separator: " "),
        c.paddingMode == .zeros
          ? "every row with every column, leaving out those outside 0…\(geo.input.h - 1) × "
            + "0…\(geo.input.w - 1) (padding)"
          : "every row with every column, each outside 0…\(geo.input.h - 1) × "
            + "0…\(geo.input.w - 1) replaced by the cell it copies (\(paddingWords))",
      ], grid: QuizGrid(name: "x[\(n),0,:,:]", size: geo.input))
  }

  /// The output cells an input cell reaches.
  func influence(level: Int, _ g: inout SeededGenerator) -> QuizQuestion {
    let geo = trace.geometry
    let c = geo.config
    let n = Int.random(in: 0..<geo.batch, using: &g)
    let channel = Int.random(in: 0..<c.inChannels, using: &g)
    // The first filter that reads the channel (with groups, its group's first).
    let f = channel / c.groupChannels * c.groupFilters
    let input = QuizCell(
      Int.random(in: 0..<geo.input.h, using: &g), Int.random(in: 0..<geo.input.w, using: &g))
    var reached: Set<QuizCell> = []
    for i in 0..<geo.output.h {
      for j in 0..<geo.output.w where reads(QuizCell(i, j)).contains(where: { $0.input == input }) {
        reached.insert(QuizCell(i, j))
      }
    }
    return QuizQuestion(
      kind: .influence, level: level,
      lines: [
        "Input \(geo.input.h)×\(geo.input.w), kernel \(c.kernel.h)×\(c.kernel.w), stride "
          + "\(c.stride), padding \(c.padding)\(modeWords), dilation \(c.dilation); output "
          + "\(geo.output.h)×\(geo.output.w).",
        "Which cells of y[\(n),\(f),:,:] does x[\(n),\(channel),\(input.row),\(input.column)] reach "
          + "(the outputs whose window holds it)?",
        "Type them as row,column pairs separated by spaces (none if none).",
      ],
      answer: .cells(reached),
      worked: [
        "y[i,j] reads x[r,c] when r = i·\(c.stride.h) + p·\(c.dilation.h) − \(c.padding.h) and "
          + "c = j·\(c.stride.w) + q·\(c.dilation.w) − \(c.padding.w) for some kernel tap p,q"
          + (c.paddingMode == .zeros ? "" : " (a padding cell counting as the cell it copies)"),
        "so dx[\(input.row),\(input.column)] gathers the gradient of exactly "
          + (reached.count == 1 ? "this one output" : "these \(reached.count) outputs"),
      ], grid: QuizGrid(name: "y[\(n),\(f),:,:]", size: geo.output))
  }

  /// `, reflect` after the padding when the layer's padding mode is not zeros.
  var modeWords: String {
    let mode = trace.geometry.config.paddingMode
    return mode == .zeros ? "" : " (\(mode.rawValue))"
  }
}
