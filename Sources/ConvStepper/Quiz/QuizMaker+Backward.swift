import ConvCore

// MARK: - Backward questions

extension QuizMaker {
  /// What one backward step (the window of output `n,f,i,j`) adds to a db, dw or dx value.
  func gradient(level: Int, _ g: inout SeededGenerator) -> QuizQuestion {
    let s = trace.scenario
    let (n, f, cell) = outputCell(level: level, &g)
    let dy = trace.convGradient[n: n, c: f, h: cell.row, w: cell.column]
    let step =
      "The backward step for y[\(n),\(f),\(cell.row),\(cell.column)]: "
      + "dy[\(n),\(f),\(cell.row),\(cell.column)] = \(QuizMaker.show(dy))."
    let taps = reads(cell)
    let which = level == 0 || taps.isEmpty ? 0 : Int.random(in: 1...2, using: &g)
    guard which > 0, let (input, tap) = taps.randomElement(using: &g) else {
      return QuizQuestion(
        kind: .gradient, level: level,
        lines: [step, "What does this step add to db[\(f)]?"],
        answer: .number(QuizMaker.shown(dy), tolerance: 0.005),
        worked: ["db[\(f)] += dy: every output of filter \(f) adds its gradient once"])
    }
    let config = trace.geometry.config
    let c = Int.random(in: 0..<config.groupChannels, using: &g)
    let ch = config.inputChannel(filter: f, weightChannel: c)
    let lines = [step] + windowAndKernel(n: n, f: f, c: c, cell: cell)
    if which == 1 {
      let x = s.input[n: n, c: ch, h: input.row, w: input.column]
      return stepProduct(
        level: level, lines: lines, adds: "dw[\(f),\(c),\(tap.row),\(tap.column)]", dy: dy,
        times: x,
        why: "dw[\(f),\(c),\(tap.row),\(tap.column)] += dy · the x under that tap, "
          + "x[\(n),\(ch),\(input.row),\(input.column)] = \(QuizMaker.show(x))")
    }
    let w = s.weight[n: f, c: c, h: tap.row, w: tap.column]
    return stepProduct(
      level: level, lines: lines, adds: "dx[\(n),\(ch),\(input.row),\(input.column)]", dy: dy,
      times: w,
      why: "x[\(n),\(ch),\(input.row),\(input.column)] sits under kernel tap "
        + "\(tap.row),\(tap.column): dx += dy · w[\(f),\(c),\(tap.row),\(tap.column)] = "
        + QuizMaker.show(w))
  }

  /// What a backward step adds to `adds`: `dy · times`, computed from the numbers as shown;
  /// `why` says where `times` comes from.
  private func stepProduct(
    level: Int, lines: [String], adds: String, dy: Float, times v: Float, why: String
  ) -> QuizQuestion {
    let fromShown = QuizMaker.shown(dy) * QuizMaker.shown(v)
    return QuizQuestion(
      kind: .gradient, level: level, lines: lines + ["What does this step add to \(adds)?"],
      answer: .number(
        fromShown, tolerance: QuizMaker.tolerance(exact: dy * v, fromShown: fromShown)),
      worked: [
        why, "\(QuizMaker.show(dy)) · \(QuizMaker.show(v)) = \(QuizMaker.show(fromShown))",
      ])
  }

  /// A weight after the SGD step `w − lr·dw`.
  func update(level: Int, _ g: inout SeededGenerator) -> QuizQuestion {
    let s = trace.scenario
    let shape = s.weight.shape
    let index = shape.map { Int.random(in: 0..<$0, using: &g) }
    let name = "w[" + index.map(String.init).joined(separator: ",") + "]"
    let w = s.weight[index]
    let dw = trace.gradients.dw[index]
    let lr = s.learningRate
    let fromShown = QuizMaker.shown(w) - QuizMaker.shown(lr) * QuizMaker.shown(dw)
    let exact = trace.weightAfter[index]
    return QuizQuestion(
      kind: .update, level: level,
      lines: [
        "SGD with learning rate \(QuizMaker.show(lr)): \(name) = \(QuizMaker.show(w)), and the "
          + "backward pass gave d\(name) = \(QuizMaker.show(dw)).",
        "What is \(name) after the update?",
      ],
      answer: .number(
        fromShown, tolerance: QuizMaker.tolerance(exact: exact, fromShown: fromShown)),
      worked: [
        "w − lr·dw = \(QuizMaker.show(w)) − \(QuizMaker.show(lr))·\(QuizMaker.show(dw)) = "
          + QuizMaker.show(fromShown)
      ])
  }
}
