import ConvCore
import ConvFormats
import ConvLessons
import ConvStepper
import Testing

// MARK: - Exactness and random access

@Suite("Timeline: exactness and random access")
struct TimelineTests {
  @Test(
    "the last forward step gives exactly the forward pass",
    arguments: Scenarios.configurations.map(\.1))
  func forwardEnd(scenario: Scenario) throws {
    let trace = try LayerTrace(scenario)
    let t = try Timeline(trace: trace, phase: .forward)
    let end = t.state(at: t.tickCount - 1)
    #expect(end.done == trace.y.count)
    let direct = try Conv2D.forward(
      x: scenario.input, weight: scenario.weight, bias: scenario.bias, config: scenario.config,
      backend: .direct)
    #expect(trace.y == direct)
    // Tap by tap, the running sum of every window plus its bias is exactly y.
    for w in 0..<t.windowCount {
      let beforeBias = t.state(at: (w + 1) * t.ticksPerWindow - 2)
      let sum = try #require(beforeBias.partialSum)
      #expect(sum + scenario.bias.data[t.window(w).filter] == trace.y.data[t.window(w).global])
    }
  }

  @Test(
    "the last backward step gives exactly the backward pass",
    arguments: Scenarios.configurations.map(\.1))
  func backwardEnd(scenario: Scenario) throws {
    let trace = try LayerTrace(scenario)
    let t = try Timeline(trace: trace, phase: .backward)
    let end = t.state(at: t.tickCount - 1)
    let direct = try Conv2D.backward(
      x: scenario.input, weight: scenario.weight, dy: trace.convGradient, config: scenario.config,
      backend: .direct)
    #expect(end.dx == direct.dx)
    #expect(end.dw == direct.dw)
    #expect(end.db == direct.db)
    // The fast path agrees within float rounding (documented in docs/performance.md).
    let fast = try Conv2D.backward(
      x: scenario.input, weight: scenario.weight, dy: trace.convGradient, config: scenario.config,
      backend: .fast)
    #expect((end.dw?.maxAbsDifference(to: fast.dw) ?? 1) <= 1e-4)
  }

  @Test("every shared conv vector: the walk ends on the expected dx, dw, db")
  func sharedVectors() throws {
    let names = [
      "conv_batch3", "conv_c3_f4", "conv_dilation2", "conv_dilation2_s2_p1", "conv_float_normal",
      "conv_h6_w9", "conv_k1x1", "conv_k1x1_s2_p1", "conv_k2x4_s1x2_p0x1", "conv_k5x1_p2x0",
      "conv_kernel_eq_input", "conv_kernel_gt_input_p1", "conv_negative", "conv_s2_p0",
      "conv_s2_p1", "conv_s2_p2", "conv_s3_p0", "conv_s3_p1", "conv_s3_p2", "conv_seed_b2",
    ]
    for name in names {
      let scenario = try Scenarios.vector(name)
      let trace = try LayerTrace(scenario)
      let backward = try Timeline(trace: trace, phase: .backward)
      let end = backward.state(at: backward.tickCount - 1)
      let expected = try ConvCaseValues.load(name)
      let tol: Float = name == "conv_float_normal" ? 1e-4 : 1e-6
      #expect(trace.y.maxAbsDifference(to: expected.y) <= tol, "\(name) y")
      #expect((end.dx?.maxAbsDifference(to: expected.dx) ?? 1) <= tol, "\(name) dx")
      #expect((end.dw?.maxAbsDifference(to: expected.dw) ?? 1) <= tol, "\(name) dw")
      #expect((end.db?.maxAbsDifference(to: expected.db) ?? 1) <= tol, "\(name) db")
    }
  }

  @Test(
    "stepping +1 and −1 at every granularity equals random access, bit for bit",
    arguments: Scenarios.configurations.map(\.1), [Phase.forward, .backward])
  func steppingEqualsSeeking(scenario: Scenario, phase: Phase) throws {
    let trace = try LayerTrace(scenario, checkpointBudgetBytes: 4096)  // many checkpoints
    let t = try Timeline(trace: trace, phase: phase)
    for granularity in Granularity.allCases {
      var cursor = Cursor(timeline: t)
      var visited = [-1]
      while cursor.step(1, granularity: granularity) {
        visited.append(cursor.tick)
        #expect(cursor.state == t.state(at: cursor.tick), "\(granularity) +1 to \(cursor.tick)")
      }
      #expect(cursor.tick == t.tickCount - 1)
      #expect(visited.count == t.unitCount(granularity) + 1)
      // And all the way back.
      while cursor.step(-1, granularity: granularity) {
        #expect(cursor.state == t.state(at: cursor.tick), "\(granularity) −1 to \(cursor.tick)")
        #expect(visited.contains(cursor.tick))
      }
      #expect(cursor.tick == -1)
    }
  }

  @Test(
    "seeking to random ticks in any order equals the state there",
    arguments: Scenarios.configurations.map(\.1))
  func randomSeeks(scenario: Scenario) throws {
    let trace = try LayerTrace(scenario, checkpointBudgetBytes: 8192)
    for phase in scenario.phases {
      let t = try Timeline(trace: trace, phase: phase)
      var cursor = Cursor(timeline: t)
      var g = SeededGenerator(seed: 5)
      for _ in 0..<60 {
        let target = Int(g.next() % UInt64(t.tickCount + 1)) - 1
        cursor.seek(to: target)
        #expect(cursor.state == t.state(at: target), "\(phase) seek \(target)")
        // A few small moves around the target.
        cursor.step(1, granularity: .tap)
        #expect(cursor.state == t.state(at: cursor.tick))
        cursor.step(-2, granularity: .window)
        #expect(cursor.state == t.state(at: cursor.tick))
      }
    }
  }

  @Test("restricting to a sample or a filter visits its windows; the numbers are the whole walk's")
  func scopes() throws {
    let (_, scenario) = Scenarios.configurations[4]  // batch 2, 2 filters
    let trace = try LayerTrace(scenario)
    let whole = try Timeline(trace: trace, phase: .backward)
    for scope in [
      TimelineScope(sample: 1), TimelineScope(filter: 1), TimelineScope(sample: 0, filter: 1),
    ] {
      let t = try Timeline(trace: trace, phase: .backward, scope: scope)
      #expect(
        t.windowCount == whole.windowCount / (scope.sample == nil ? 1 : 2)
          / (scope.filter == nil ? 1 : 2))
      var cursor = Cursor(timeline: t)
      while cursor.step(1, granularity: .window) {
        let w = try #require(cursor.state.window)
        if let n = scope.sample { #expect(w.sample == n) }
        if let f = scope.filter { #expect(w.filter == f) }
        // The same state as the unrestricted walk after the same global window.
        let globalTick = (w.global + 1) * whole.ticksPerWindow - 1
        #expect(cursor.state.dw == whole.state(at: globalTick).dw)
        #expect(cursor.state.dx == whole.state(at: globalTick).dx)
      }
    }
    #expect(throws: ConvError.self) {
      try Timeline(trace: trace, phase: .backward, scope: TimelineScope(sample: 2))
    }
    #expect(throws: ConvError.self) { try Timeline(trace: trace, phase: .pool) }
  }

  @Test("ReLU and pooling phases end on ConvCore's ReLU and max-pool results")
  func reluPool() throws {
    let (_, scenario) = Scenarios.configurations[7]
    let trace = try LayerTrace(scenario)
    #expect(
      scenario.phases == [.forward, .relu, .pool, .poolBackward, .reluBackward, .backward, .update])
    let pooled = try MaxPool2D.forward(ReLU.forward(trace.y), config: try #require(scenario.pool))
    #expect(trace.pooled == pooled)
    let t = try Timeline(trace: trace, phase: .poolBackward)
    let end = t.state(at: t.tickCount - 1)
    let expected = try MaxPool2D.backward(
      inputShape: trace.y.shape, dy: trace.blockGradient, argmax: pooled.argmax)
    #expect(end.poolInputGradient == expected)
    #expect(trace.convGradient == (try ReLU.backward(x: trace.y, dy: expected)))
  }

  @Test("the update phase steps filter by filter to w − lr·dw")
  func update() throws {
    let trace = try LayerTrace(.firstLesson)
    let t = try Timeline(trace: trace, phase: .update)
    #expect(t.windowCount == 1)
    guard
      case .update(_, let before, let gradient, let after, _, _, _, let lr) = t.detail(atWindow: 0)
    else {
      Issue.record("not an update step")
      return
    }
    for i in before.indices { #expect(after[i] == before[i] - lr * gradient[i]) }
  }

  @Test("switching granularity keeps the position")
  func granularitySwitch() throws {
    let trace = try LayerTrace(.firstLesson)
    let t = try Timeline(trace: trace, phase: .forward)
    var cursor = Cursor(timeline: t)
    cursor.step(10, granularity: .window)  // after window 9: row 1, column 2
    let tick = cursor.tick
    #expect(t.unit(containing: tick, .window) == 9)
    #expect(t.unit(containing: tick, .row) == 1)
    #expect(t.unit(containing: tick, .filter) == 0)
    #expect(t.unit(containing: tick, .tap) == tick)
    // A row step from mid-row completes the row; a back step goes to the end of the previous row.
    cursor.step(1, granularity: .row)
    #expect(t.unit(containing: cursor.tick, .window) == 13)
    cursor.step(-1, granularity: .row)
    #expect(t.unit(containing: cursor.tick, .window) == 6)
  }
}

// MARK: - Expected values of a shared vector

struct ConvCaseValues {
  var y, dx, dw, db: Tensor

  static func load(_ name: String) throws -> ConvCaseValues {
    let c = try VectorCase.load(name)
    return ConvCaseValues(
      y: try c.tensor("y"), dx: try c.tensor("dx"), dw: try c.tensor("dw"), db: try c.tensor("db"))
  }
}

enum VectorCase {
  static func load(_ name: String) throws -> ConvCase {
    try ConvCase.load(path: Scenarios.vectorsFolder.appendingPathComponent("\(name).json").path)
  }
}
