import ConvCore

// MARK: - StepState

/// Everything visible after a tick of a ``Timeline``.
///
/// Map phases (forward, ReLU, pooling, ReLU backward, update) fill their output in global order,
/// so ``done`` — the number of complete global windows — says which cells are computed: the cells
/// whose flat index is below `done` (for the update: the filters below `done`). Their values are
/// the ``LayerTrace``'s. The accumulating phases carry their partial tensors.
public struct StepState: Sendable, Equatable {
  /// The phase.
  public var phase: Phase
  /// The tick (−1 = before the first step).
  public var tick: Int
  /// The window the tick lies in (nil before the first step).
  public var window: WindowRef?
  /// Sub-steps of ``window`` done (equal to the timeline's `ticksPerWindow` when complete).
  public var subStepsDone: Int
  /// Complete global windows of the phase.
  public var done: Int
  /// Forward, mid-window: the running sum of the taps done so far (without the bias).
  public var partialSum: Float?
  /// Backward: partial `dx` (all samples).
  public var dx: Tensor?
  /// Backward: partial `dw`.
  public var dw: Tensor?
  /// Backward: partial `db`.
  public var db: Tensor?
  /// Pool backward: the partial gradient of the pooling's input.
  public var poolInputGradient: Tensor?

  /// Whether the flat cell `index` of the phase's output map is computed.
  public func isDone(_ index: Int) -> Bool { index < done }
}

// MARK: - Random access

extension Timeline {
  /// The state after tick `tick` (−1 … tickCount − 1; values outside are clamped).
  public func state(at tick: Int) -> StepState {
    let t = max(-1, min(tick, tickCount - 1))
    let (w, sub) = location(ofTick: t)
    var s = StepState(
      phase: phase, tick: t, window: w, subStepsDone: sub, done: globalDone(afterTick: t),
      partialSum: nil)
    switch phase {
    case .forward:
      if let w, sub < ticksPerWindow {
        s.partialSum = ForwardSum.partial(trace: trace, window: w, taps: sub)
      }
    case .backward:
      let partial = w.flatMap { sub < ticksPerWindow ? ($0.global, sub) : nil }
      let (dx, dw, db) = backwardTensors(done: s.done, partial: partial)
      s.dx = dx
      s.dw = dw
      s.db = db
    case .poolBackward:
      s.poolInputGradient = poolBackwardTensor(done: s.done)
    case .relu, .pool, .reluBackward, .update:
      break
    }
    return s
  }

  /// dx, dw, db after `done` complete global windows and, optionally, `partial.subSteps` sub-steps
  /// of window `partial.global`. Canonical traces restore the nearest checkpoint and replay in
  /// canonical order, so the result is bit-identical to running every step; fast traces
  /// recompute the sample's windows done from the step index (``PartialBackward``).
  func backwardTensors(done: Int, partial: (global: Int, subSteps: Int)?) -> (
    Tensor, Tensor, Tensor
  ) {
    let g = trace.geometry
    let perSample = trace.convWindowsPerSample
    let sampleSize = g.config.inChannels * g.input.h * g.input.w
    let total = g.batch * perSample
    if done >= total {
      return (trace.gradients.dx, trace.gradients.dw, trace.gradients.db)
    }
    let n = done / perSample
    let local = done - n * perSample
    // Fast: sample n's first `local` windows from the step index, in one or two passes; with
    // one sample, dx is that contribution itself (no zero tensor to fill first).
    let part =
      trace.arithmetic == .fast && local > 0
      ? trace.partialContribution(sample: n, windows: local) : nil
    var dx =
      (g.batch == 1 ? part.flatMap { try? Tensor(shape: g.inputShape, data: $0.dx) } : nil)
      ?? Tensor(shape: g.inputShape)
    var dw = Tensor(shape: g.weightShape)
    var db = Tensor(shape: [g.config.filters])
    // Samples before n are complete: their dx is final.
    for i in 0..<(n * sampleSize) { dx.data[i] = trace.gradients.dx.data[i] }
    let inputs = (trace.scenario.input, trace.scenario.weight, trace.convGradient, g)
    if trace.arithmetic == .fast {
      dw.data = trace.sampleStarts[n].dw
      db.data = trace.sampleStarts[n].db
      if let part {
        if g.batch > 1 {
          for i in 0..<sampleSize { dx.data[n * sampleSize + i] = part.dx[i] }
        }
        for i in dw.data.indices { dw.data[i] += part.dw[i] }
        for i in db.data.indices { db.data[i] += part.db[i] }
      }
      if let partial {
        BackwardReplay.applySubSteps(
          trace: inputs, global: partial.global, range: 0..<partial.subSteps, dx: &dx.data,
          dw: &dw.data, db: &db.data)
      }
      return (dx, dw, db)
    }
    let interval = trace.checkpoints.interval
    let snapshots = sampleCheckpoints(n)
    let m = local / interval
    let base = n * sampleSize
    for i in 0..<sampleSize { dx.data[base + i] = snapshots.dx[m][i] }
    dw.data = snapshots.dw[m]
    db.data = snapshots.db[m]
    BackwardReplay.apply(
      trace: inputs, globalRange: (n * perSample + m * interval)..<done, dx: &dx.data,
      dw: &dw.data, db: &db.data)
    if let partial {
      BackwardReplay.applySubSteps(
        trace: inputs, global: partial.global, range: 0..<partial.subSteps, dx: &dx.data,
        dw: &dw.data, db: &db.data)
    }
    return (dx, dw, db)
  }

  /// The checkpoints of sample `n`: state after `m·interval` of its windows, for every `m`.
  func sampleCheckpoints(_ n: Int) -> CheckpointCache.Sample {
    trace.checkpoints.sample(n) {
      let g = trace.geometry
      let perSample = trace.convWindowsPerSample
      let sampleSize = g.config.inChannels * g.input.h * g.input.w
      let interval = trace.checkpoints.interval
      var dx = [Float](repeating: 0, count: g.batch * sampleSize)
      var dw = trace.sampleStarts[n].dw
      var db = trace.sampleStarts[n].db
      var result = CheckpointCache.Sample(dx: [], dw: [], db: [])
      let inputs = (trace.scenario.input, trace.scenario.weight, trace.convGradient, g)
      var local = 0
      while local < perSample {
        result.dx.append(Array(dx[(n * sampleSize)..<((n + 1) * sampleSize)]))
        result.dw.append(dw)
        result.db.append(db)
        let end = min(perSample, local + interval)
        BackwardReplay.apply(
          trace: inputs, globalRange: (n * perSample + local)..<(n * perSample + end), dx: &dx,
          dw: &dw, db: &db)
        local = end
      }
      return result
    }
  }

  /// The pooling's input gradient after `done` pooled cells routed their gradient.
  func poolBackwardTensor(done: Int) -> Tensor {
    var t = Tensor(shape: trace.y.shape)
    guard let pooled = trace.pooled, let size = trace.pooledSize else { return t }
    let plane = trace.geometry.output.h * trace.geometry.output.w
    let outPlane = size.h * size.w
    for o in 0..<min(done, pooled.argmax.count) where pooled.argmax[o] >= 0 {
      t.data[(o / outPlane) * plane + pooled.argmax[o]] += trace.blockGradient.data[o]
    }
    return t
  }
}

// MARK: - ForwardSum

/// The forward running sum of a window, tap by tap, in canonical order.
enum ForwardSum {
  /// The sum of the first `taps` taps' products (padding taps add nothing).
  static func partial(trace: LayerTrace, window w: WindowRef, taps: Int) -> Float {
    let g = trace.geometry
    var acc: Float = 0
    for t in 0..<min(taps, trace.tapsPerWindow) {
      if let loc = BackwardReplay.tapLocation(
        g, n: w.sample, f: w.filter, i: w.row, j: w.column, tap: t)
      {
        acc += trace.scenario.input.data[loc.xIndex] * trace.scenario.weight.data[loc.wIndex]
      }
    }
    return acc
  }
}
