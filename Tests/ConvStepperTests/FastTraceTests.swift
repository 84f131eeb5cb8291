import ConvCore
import ConvStepper
import Testing

// MARK: - Fast traces

/// Big layers are traced on the fast path (``TraceArithmetic/fast``): the same walk, its
/// partial gradients recomputed from the step index. These tests run the fast arithmetic on the
/// small configurations and hold it to the canonical walk, position by position.
@Suite("Timeline: fast traces agree with the canonical walk")
struct FastTraceTests {
  /// The largest difference between two optional tensors (infinity when one is missing).
  static func gap(_ a: Tensor?, _ b: Tensor?) -> Float {
    guard let a, let b else { return a == nil && b == nil ? 0 : .infinity }
    return a.maxAbsDifference(to: b)
  }

  /// The largest difference between two states' dx, dw and db.
  static func gap(_ a: StepState, _ b: StepState) -> Float {
    max(gap(a.dx, b.dx), gap(a.dw, b.dw), gap(a.db, b.db))
  }

  static let tolerance: Float = 1e-4

  @Test(
    "every position of the backward walk: dx, dw, db within float rounding of the canonical ones",
    arguments: Scenarios.configurations.map(\.1))
  func positions(scenario: Scenario) throws {
    let canonical = try LayerTrace(scenario, arithmetic: .canonical)
    let fast = try LayerTrace(scenario, arithmetic: .fast)
    #expect(canonical.arithmetic == .canonical && fast.arithmetic == .fast)
    #expect(fast.y.maxAbsDifference(to: canonical.y) <= FastTraceTests.tolerance)
    let tc = try Timeline(trace: canonical, phase: .backward)
    let tf = try Timeline(trace: fast, phase: .backward)
    #expect(tc.tickCount == tf.tickCount)
    var worst: Float = 0
    for tick in -1..<tf.tickCount {
      let a = tc.state(at: tick)
      let b = tf.state(at: tick)
      #expect(a.window == b.window && a.done == b.done && a.subStepsDone == b.subStepsDone)
      worst = max(worst, FastTraceTests.gap(a, b))
    }
    #expect(worst <= FastTraceTests.tolerance, "largest difference \(worst)")
  }

  @Test("a position is not its neighbour: the comparison above can tell windows apart")
  func neighboursDiffer() throws {
    let scenario = Scenarios.configurations[1].1
    let fast = try LayerTrace(scenario, arithmetic: .fast)
    let t = try Timeline(trace: fast, phase: .backward)
    let middle = t.endTick(ofUnit: t.windowCount / 2, .window)
    let here = t.state(at: middle)
    let next = t.state(at: t.endTick(ofUnit: t.windowCount / 2 + 1, .window))
    #expect(
      FastTraceTests.gap(here.dx, next.dx) > FastTraceTests.tolerance
        || FastTraceTests.gap(here.dw, next.dw) > FastTraceTests.tolerance)
  }

  @Test(
    "a cursor on a fast trace: steps and seeks stay within rounding of the state there",
    arguments: Scenarios.configurations.map(\.1))
  func cursor(scenario: Scenario) throws {
    let fast = try LayerTrace(scenario, arithmetic: .fast)
    let t = try Timeline(trace: fast, phase: .backward)
    var cursor = Cursor(timeline: t)
    var g = SeededGenerator(seed: 11)
    for _ in 0..<30 {
      cursor.seek(to: Int(g.next() % UInt64(t.tickCount + 1)) - 1)
      cursor.step(3, granularity: .tap)
      cursor.step(-5, granularity: .window)
      cursor.step(2, granularity: .window)
      #expect(
        FastTraceTests.gap(cursor.state, t.state(at: cursor.tick)) <= FastTraceTests.tolerance)
    }
    // The end of the walk is the trace's gradients, exactly.
    cursor.seek(to: t.tickCount - 1)
    #expect(cursor.state.dx == fast.gradients.dx && cursor.state.dw == fast.gradients.dw)
  }

  @Test(
    "a fast trace rewinds: ← from the end to the start stays within rounding, with no seek",
    arguments: Scenarios.configurations.map(\.1))
  func rewind(scenario: Scenario) throws {
    let fast = try LayerTrace(scenario, arithmetic: .fast)
    let t = try Timeline(trace: fast, phase: .backward)
    for granularity in [Granularity.tap, .window] {
      var cursor = Cursor(timeline: t)
      cursor.seek(to: t.tickCount - 1)
      var worst: Float = 0
      while cursor.step(-1, granularity: granularity) {
        worst = max(worst, FastTraceTests.gap(cursor.state, t.state(at: cursor.tick)))
      }
      #expect(cursor.tick == -1)
      #expect(worst <= FastTraceTests.tolerance, "\(granularity): largest difference \(worst)")
    }
  }

  @Test("the arithmetic is chosen by size: canonical up to the limit, fast above it")
  func chosenBySize() throws {
    #expect(try LayerTrace(.firstLesson).arithmetic == .canonical)
    let big = Scenarios.normal(
      Conv2DConfig(inChannels: 3, filters: 16, kernel: 3, padding: 1), batch: 1,
      size: Size2(200, 200))
    #expect(try big.geometry().forwardMACs > LayerTrace.canonicalLimitMACs)
    let trace = try LayerTrace(big)
    #expect(trace.arithmetic == .fast)
    let direct = try Conv2D.forward(
      x: big.input, weight: big.weight, bias: big.bias, config: big.config, backend: .reference)
    #expect(trace.y.maxAbsDifference(to: direct) <= 1e-3)
  }
}

// MARK: - Long moves and memos

@Suite("Cursor: long moves and the trace's memos")
struct LongMoveTests {
  @Test(
    "a move of k steps lands where k single steps land, at every granularity",
    arguments: Scenarios.configurations.map(\.1))
  func longMoves(scenario: Scenario) throws {
    let trace = try LayerTrace(scenario)
    let t = try Timeline(trace: trace, phase: .forward)
    var g = SeededGenerator(seed: 3)
    for granularity in Granularity.allCases {
      for _ in 0..<25 {
        let start = Int(g.next() % UInt64(t.tickCount + 1)) - 1
        let k = Int(g.next() % 40) + 1
        for delta in [k, -k] {
          var one = Cursor(timeline: t, tick: start)
          for _ in 0..<abs(delta) { one.step(delta > 0 ? 1 : -1, granularity: granularity) }
          var long = Cursor(timeline: t, tick: start)
          long.step(delta, granularity: granularity)
          #expect(long.tick == one.tick, "\(granularity) from \(start) by \(delta)")
        }
      }
    }
  }

  @Test("memo: computed once per key, optional values included")
  func memo() throws {
    let trace = try LayerTrace(.firstLesson)
    var calls = 0
    let a: Int? = trace.memo("k") {
      calls += 1
      return 7
    }
    let b: Int? = trace.memo("k") {
      calls += 1
      return 8
    }
    #expect(a == 7 && b == 7 && calls == 1)
    #expect(trace.readCounts == trace.geometry.readCounts())
    #expect(trace.storageKey(of: trace.y) != nil)
    #expect(trace.storageKey(of: trace.y.map { $0 + 1 }) == nil)
  }
}

// MARK: - Input edits

@Suite("LayerTrace: an edited input cell recomputes only the windows that read it")
struct InputEditTests {
  @Test(
    "y after an edit equals a whole pass (canonical: bit for bit; fast: within rounding)",
    arguments: Scenarios.configurations.map(\.1))
  func edits(scenario: Scenario) throws {
    for arithmetic in [TraceArithmetic.canonical, .fast] {
      let before = try LayerTrace(scenario, arithmetic: arithmetic)
      var g = SeededGenerator(seed: 21)
      for _ in 0..<6 {
        let flat = Int(g.next() % UInt64(scenario.input.count))
        var edited = scenario
        edited.input.data[flat] += 2.5
        let edit = InputEdit(previous: before, flat: flat)
        let quick = try LayerTrace(edited, arithmetic: arithmetic, editedInput: edit)
        let whole = try LayerTrace(edited, arithmetic: arithmetic)
        if arithmetic == .canonical {
          #expect(quick.y == whole.y, "cell \(flat)")
          #expect(quick.gradients.dw == whole.gradients.dw)
        } else {
          #expect(quick.y.maxAbsDifference(to: whole.y) <= FastTraceTests.tolerance)
        }
        // Only the windows that read the cell moved; the rest is the trace before, bit for bit.
        let reads = Set(InputEditTests.windowsReading(flat, geometry: before.geometry))
        for k in 0..<quick.y.count where !reads.contains(k) {
          #expect(quick.y.data[k] == before.y.data[k], "y[\(k)] changed, cell \(flat)")
        }
      }
    }
  }

  @Test("another change than one input cell (the weights) computes the pass whole")
  func otherChanges() throws {
    let scenario = Scenarios.configurations[1].1
    let before = try LayerTrace(scenario)
    var edited = scenario
    edited.weight.data[0] += 1
    let quick = try LayerTrace(edited, editedInput: InputEdit(previous: before, flat: 0))
    #expect(quick.y == (try LayerTrace(edited)).y)
  }

  /// The flat indices of `y` whose windows read input cell `flat`, by brute force.
  static func windowsReading(_ flat: Int, geometry g: ConvGeometry) -> [Int] {
    let c = g.config
    let n = flat / (c.inChannels * g.input.h * g.input.w)
    var out: [Int] = []
    for f in 0..<c.filters {
      for i in 0..<g.output.h {
        for j in 0..<g.output.w {
          let y = ((n * c.filters + f) * g.output.h + i) * g.output.w + j
          for p in 0..<c.kernel.h {
            for q in 0..<c.kernel.w {
              // The cell the tap reads: itself, or the one a copying padding cell copies.
              guard let h = g.sourceRow(g.inputRow(outputRow: i, kernelRow: p)),
                let w = g.sourceColumn(g.inputColumn(outputColumn: j, kernelColumn: q))
              else { continue }
              for wc in 0..<c.groupChannels {
                let ch = c.inputChannel(filter: f, weightChannel: wc)
                if ((n * c.inChannels + ch) * g.input.h + h) * g.input.w + w == flat {
                  out.append(y)
                }
              }
            }
          }
        }
      }
    }
    return out
  }
}
