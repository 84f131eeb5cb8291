import ConvCore
import ConvLessons
import Testing

@testable import ConvStepper

// MARK: - Practice questions

@Suite("Quiz: questions made from the layer, checked against it")
struct QuizTests {
  /// Every configuration of the stepper's tests, traced.
  static func traces() throws -> [(String, LayerTrace)] {
    try Scenarios.configurations.map { ($0.0, try LayerTrace($0.1)) }
  }

  /// An answer that must be wrong: a size one off, a number well outside its tolerance, a cell
  /// set with one cell missing (or one added).
  static func wrong(_ answer: QuizAnswer) -> String {
    switch answer {
    case .size(let s): return "\(s.h + 1)x\(s.w)"
    case .number(let v, let tolerance): return "\(v + 10 * tolerance + 1)"
    case .cells(let cells):
      if let first = cells.sorted().first {
        return QuizAnswer.cells(cells.subtracting([first])).text
      }
      return "0,0"
    }
  }

  @Test("every kind, every layer: its own answer is right, a changed one is wrong")
  func rightAndWrong() throws {
    for (name, trace) in try Self.traces() {
      for seed in UInt64(1)...3 {
        let maker = try QuizMaker(trace: trace, seed: seed)
        for k in 0..<(2 * maker.kinds.count) {
          let q = maker.question(k, of: 2 * maker.kinds.count)
          #expect(q.answer.check(q.answer.text) == .right, "\(name) \(q.kind): \(q.lines)")
          let verdict = q.answer.check(Self.wrong(q.answer))
          #expect(!verdict.isRight, "\(name) \(q.kind): a wrong answer passed: \(q.lines)")
          #expect(!q.lines.isEmpty && !q.worked.isEmpty)
          if case .cells(let cells) = q.answer {
            let grid = try #require(q.grid, "\(name) \(q.kind): a cell question without a grid")
            #expect(cells.allSatisfy(grid.contains), "\(name) \(q.kind): answer off its grid")
          }
        }
      }
    }
  }

  @Test("the cells a window reads agree with the reference backward pass (one-hot dy, ones w)")
  func windowsAgreeWithReference() throws {
    for (name, trace) in try Self.traces() {
      let maker = try QuizMaker(trace: trace, seed: 1)
      let g = trace.geometry
      let ones = [Double](repeating: 1, count: g.weightShape.reduce(1, *))
      let x = [Double](repeating: 0, count: g.inputShape.reduce(1, *))
      for i in 0..<g.output.h {
        for j in 0..<g.output.w {
          var dy = [Double](repeating: 0, count: g.outputShape.reduce(1, *))
          dy[i * g.output.w + j] = 1  // sample 0, filter 0
          let dx = ReferenceConv.backward(x: x, w: ones, dy: dy, geometry: g).dx
          var expected: Set<QuizCell> = []
          for r in 0..<g.input.h {
            for c in 0..<g.input.w where dx[r * g.input.w + c] != 0 {
              expected.insert(QuizCell(r, c))
            }
          }
          #expect(Set(maker.reads(QuizCell(i, j)).map(\.input)) == expected, "\(name) y[\(i),\(j)]")
        }
      }
    }
  }

  @Test("influence questions agree with the reference forward pass (one-hot x, ones w)")
  func influenceAgreesWithReference() throws {
    for (name, trace) in try Self.traces() {
      let maker = try QuizMaker(trace: trace, seed: 2, kinds: [.influence])
      for k in 0..<6 {
        let q = maker.question(k, of: 6)
        // Each level asks about its own layer (a warm-up may have stride 1, one channel).
        let g = maker.levels.traces[q.level].geometry
        let ones = [Double](repeating: 1, count: g.weightShape.reduce(1, *))
        let zeros = [Double](repeating: 0, count: g.config.filters)
        // The question names x[n,c,r,q]: read it back from its text.
        let line = try #require(q.lines.first { $0.contains(" does x[") })
        let inside = try #require(line.split(separator: "x[").last?.split(separator: "]").first)
        let index = inside.split(separator: ",").compactMap { Int($0) }
        try #require(index.count == 4)
        var x = [Double](repeating: 0, count: g.inputShape.reduce(1, *))
        x[
          ((index[0] * g.config.inChannels + index[1]) * g.input.h + index[2]) * g.input.w
            + index[3]] = 1
        let y = ReferenceConv.forward(x: x, w: ones, b: zeros, geometry: g)
        // The map asked about, y[n,f,:,:] (with groups, a filter of the channel's group).
        let map = try #require(
          line.split(separator: "cells of y[").last?.split(separator: ",").dropFirst().first)
        let f = try #require(Int(map))
        let plane = (index[0] * g.config.filters + f) * g.output.h * g.output.w
        var expected: Set<QuizCell> = []
        for i in 0..<g.output.h {
          for j in 0..<g.output.w where y[plane + i * g.output.w + j] != 0 {
            expected.insert(QuizCell(i, j))
          }
        }
        #expect(q.answer == .cells(expected), "\(name): \(line)")
      }
    }
  }

  @Test("numeric answers are within their tolerance of the layer's exact values, and tight")
  func numbersAreTight() throws {
    for (name, trace) in try Self.traces() {
      let maker = try QuizMaker(trace: trace, seed: 5, kinds: [.outputValue, .update, .gradient])
      for k in 0..<9 {
        let q = maker.question(k, of: 9)
        guard case .number(let v, let tolerance) = q.answer else {
          Issue.record("\(name): \(q.kind) is not a number")
          continue
        }
        #expect(v.isFinite && tolerance > 0)
        #expect(
          tolerance < 0.05 + 1e-3 * abs(v) * 10 + 0.1, "\(name): loose tolerance \(tolerance)")
      }
    }
    // The first lesson's numbers are integers: the answers are exact.
    let first = try LayerTrace(.firstLesson)
    let maker = try QuizMaker(trace: first, seed: 1, kinds: [.outputValue])
    for k in 0..<5 {
      guard case .number(let v, _) = maker.question(k, of: 5).answer else { continue }
      #expect(v == v.rounded())
    }
  }

  @Test("an output value question's answer is the layer's y")
  func outputValueIsY() throws {
    let trace = try LayerTrace(.firstLesson)
    let maker = try QuizMaker(trace: trace, seed: 3, kinds: [.outputValue])
    for k in 0..<8 {
      let q = maker.question(k, of: 8)
      let line = try #require(q.lines.first)
      let inside = try #require(line.split(separator: "y[").last?.split(separator: "]").first)
      let index = inside.split(separator: ",").compactMap { Int($0) }
      try #require(index.count == 4)
      let y = trace.y[n: index[0], c: index[1], h: index[2], w: index[3]]
      #expect(q.answer == .number(y, tolerance: QuizMaker.tolerance(exact: y, fromShown: y)))
    }
  }

  @Test("typed answers: sizes, numbers and cells in the forms students type")
  func reading() {
    let size = QuizAnswer.size(Size2(7, 5))
    for typed in ["7x5", "7×5", "7,5", "7 5", " 7X5 "] { #expect(size.check(typed) == .right) }
    #expect(QuizAnswer.size(Size2(4)).check("4") == .right)
    #expect(size.check("5x7") == .wrong(nil))
    #expect(!size.check("seven").isRight)
    if case .unreadable = size.check("7x") {
    } else if case .unreadable = size.check("a") {
    } else {
      Issue.record("an unreadable size was read")
    }
    let number = QuizAnswer.number(1.25, tolerance: 0.01)
    #expect(number.check("1.25") == .right && number.check("1.26") == .right)
    #expect(number.check("1.3") == .wrong(nil))
    #expect(number.check("nan") == .unreadable("an answer here is one number, e.g. -1.25"))
    let cells = QuizAnswer.cells([QuizCell(0, 1), QuizCell(2, 3)])
    #expect(cells.check("2,3 0,1") == .right && cells.check("(0,1); (2,3)") == .right)
    #expect(cells.check("0,1") == .wrong("missed 2,3"))
    #expect(cells.check("0,1 2,3 4,4") == .wrong("not these: 4,4"))
    #expect(QuizAnswer.cells([]).check("none") == .right)
    #expect(QuizAnswer.cells([]).check("") == .right)
    #expect(!cells.check("0;1").isRight)
  }

  @Test("the same seed gives the same set; another seed another; levels grow through a set")
  func seeds() throws {
    let trace = try LayerTrace(.firstLesson)
    let a = QuizSession(maker: try QuizMaker(trace: trace, seed: 7), count: 9)
    let b = QuizSession(maker: try QuizMaker(trace: trace, seed: 7), count: 9)
    let c = QuizSession(maker: try QuizMaker(trace: trace, seed: 8), count: 9)
    #expect(a.questions == b.questions)
    #expect(a.questions != c.questions)
    #expect(a.questions.map(\.level) == [0, 0, 0, 1, 1, 1, 2, 2, 2])
    #expect(Set(a.questions.map(\.kind)).count == 6, "every kind the layer has comes up")
  }

  @Test("levels: a warm-up on the layer made plain, then its numbers, then the layer itself")
  func levels() throws {
    let pooled = try #require(Scenarios.configurations.first { $0.0 == "non-square everything" })
    let trace = try LayerTrace(pooled.1)
    let levels = QuizLevels(trace)
    let zero = levels.traces[0].scenario
    #expect(zero.config.stride == Size2(1) && zero.config.dilation == Size2(1))
    #expect(zero.config.inChannels == 1 && zero.input.shape[0] == 1)
    let unit = QuizLevels.roundingUnit(trace.scenario)
    #expect(zero.input.data.allSatisfy { ($0 / unit).rounded() * unit == $0 })
    #expect(levels.traces[1].scenario.config.inChannels == trace.scenario.config.inChannels)
    #expect(levels.traces[1].scenario.config.stride == Size2(1))
    #expect(levels.traces[2] === trace)
    #expect(levels.notes[0].hasPrefix("Warm-up: this layer with one sample, stride 1, dilation 1,"))
    #expect(levels.notes[1].hasPrefix("Next: this layer with one sample, stride 1"))
    #expect(levels.notes[2].isEmpty)
    // A warm-up question says which layer it is on.
    let q = try QuizMaker(trace: trace, seed: 1, kinds: [.outputValue]).question(0, of: 9)
    #expect(q.lines.first == levels.notes[0])
    // The first lesson is plain already: every level is the layer itself.
    let first = try LayerTrace(.firstLesson)
    #expect(QuizLevels(first).traces.allSatisfy { $0 === first })
  }

  @Test("kinds a layer lacks are left out, and asking only for them is refused")
  func kindsFit() throws {
    let plain = try LayerTrace(.firstLesson)
    #expect(try !QuizMaker(trace: plain, seed: 1).kinds.contains(.pool))
    #expect(throws: ConvError.self) { try QuizMaker(trace: plain, seed: 1, kinds: [.pool, .relu]) }
    let pooled = try #require(Scenarios.configurations.first { $0.0 == "conv → ReLU → max-pool" })
    let maker = try QuizMaker(trace: try LayerTrace(pooled.1), seed: 1, kinds: [.pool, .relu])
    #expect(Set(maker.kinds) == [.pool, .relu])
  }

  @Test("a session scores, counts streaks, sums up per kind, and writes JSON")
  func session() throws {
    var s = QuizSession(
      maker: try QuizMaker(trace: try LayerTrace(.firstLesson), seed: 1), count: 4)
    for q in s.questions.prefix(3) { _ = s.answer(q.answer.text) }
    let feedback = s.answer(Self.wrong(s.questions[3].answer))
    #expect(feedback.first?.hasPrefix("Not quite: you said") == true)
    #expect(feedback.contains { $0.contains("the answer is \(s.questions[3].answer.text)") })
    #expect(s.score == 3 && s.bestStreak == 3 && s.streak == 0 && s.current == nil)
    #expect(s.summary.first == "Score 3/4, best streak 3.")
    #expect(s.tally.map(\.asked).reduce(0, +) == 4)
    #expect(s.json.hasPrefix("{\"score\": 3, \"count\": 4, \"answered\": 4, \"best_streak\": 3,"))
  }
}
