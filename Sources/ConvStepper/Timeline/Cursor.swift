import ConvCore

// MARK: - Cursor

/// A position on a ``Timeline`` with its state, moved step by step or by seeking.
///
/// Moving forward by a few windows applies just those windows to the current state; moving back
/// restores the cells the last moves changed from an undo log, so ±1 costs work proportional to
/// one window whatever the position. A longer jump, or a move back past the log, seeks: restores
/// the nearest checkpoint and replays (``Timeline/state(at:)``). Either way the state equals
/// `timeline.state(at: tick)` bit for bit (the tests check this).
public struct Cursor: Sendable {
  /// The timeline walked.
  public private(set) var timeline: Timeline
  /// The state at the current tick.
  public private(set) var state: StepState
  private var undo = UndoLog()

  /// A cursor at `tick` (default: before the first step).
  public init(timeline: Timeline, tick: Int = -1) {
    self.timeline = timeline
    self.state = timeline.state(at: tick)
  }

  /// The current tick.
  public var tick: Int { state.tick }

  /// Moves to `target` (clamped to −1 … tickCount − 1). The last tick is always the trace's
  /// finished gradients, exactly.
  public mutating func seek(to target: Int) {
    let t = max(-1, min(target, timeline.tickCount - 1))
    if t == state.tick { return }
    switch timeline.phase {
    case .backward, .poolBackward:
      if t > state.tick, t - state.tick <= maxIncrementalTicks, t < timeline.tickCount - 1 {
        advance(to: t)
      } else if t < state.tick, retreat(to: t) {
        // restored from the undo log
      } else if t < state.tick, state.tick - t <= maxIncrementalTicks, rewind(to: t) {
        // a fast trace's windows taken back out
      } else {
        undo.clear()
        state = timeline.state(at: t)
      }
    default:
      state = timeline.state(at: t)
    }
  }

  /// Moves one step of `granularity` forward (`+1`) or back (`-1`), or `delta` steps; returns
  /// whether the position changed.
  @discardableResult
  public mutating func step(_ delta: Int, granularity: Granularity) -> Bool {
    var target = state.tick
    if delta > 0 {
      // The first step lands on a unit's end; the rest are whole units (playback moves
      // thousands of steps a frame, so no loop over them).
      if let next = timeline.nextTick(after: target, granularity) {
        let unit = timeline.unit(containing: next, granularity)
        let last = timeline.unitCount(granularity) - 1
        target = timeline.endTick(ofUnit: min(last, unit + delta - 1), granularity)
      }
    } else {
      // The first step back lands on the end of the unit before (or before the first); each
      // further step is one whole unit.
      if delta < 0, let previous = timeline.previousTick(before: target, granularity) {
        target = previous
        if delta < -1, previous >= 0 {
          let u = timeline.unit(containing: previous, granularity) + delta + 1
          target = u < 0 ? -1 : timeline.endTick(ofUnit: u, granularity)
        }
      }
    }
    let moved = target != state.tick
    seek(to: target)
    return moved
  }

  // MARK: Incremental moves

  /// Up to one checkpoint interval of windows (fast traces: ``fastIncrementalWindows``) is
  /// applied in place; beyond that seeking is cheaper.
  private var maxIncrementalTicks: Int {
    let windows =
      timeline.trace.arithmetic == .fast
      ? Cursor.fastIncrementalWindows : timeline.trace.checkpoints.interval
    return windows * timeline.ticksPerWindow
  }

  /// Windows applied in place on a fast trace before a seek (a fast pass) is cheaper.
  static let fastIncrementalWindows = 4096

  private mutating func advance(to target: Int) {
    let perWindow = timeline.ticksPerWindow
    var tick = state.tick
    while tick < target {
      // The window containing tick + 1, and how far into it to go.
      let windowIndex = (tick + 1) / perWindow
      let from = (tick + 1) % perWindow
      let to = min(perWindow, target - windowIndex * perWindow + 1)
      let w = timeline.window(windowIndex)
      // Everything global between the last applied window and this one (scope gaps) must be
      // done too; only contiguous moves are incremental.
      if from == 0 && w.global != state.done {
        undo.clear()
        state = timeline.state(at: target)
        return
      }
      applySubSteps(
        window: w, range: from..<to, fromTick: tick, toTick: windowIndex * perWindow + to - 1)
      tick = windowIndex * perWindow + to - 1
    }
  }

  private mutating func applySubSteps(
    window w: WindowRef, range: Range<Int>, fromTick: Int, toTick: Int
  ) {
    var entries: [UndoLog.Entry] = []
    let trace = timeline.trace
    switch timeline.phase {
    case .backward:
      for s in range {
        for cell in BackwardReplay.touched(geometry: trace.geometry, global: w.global, subStep: s) {
          entries.append(UndoLog.Entry(cell: cell, value: value(cell)))
        }
      }
      guard var dx = state.dx, var dw = state.dw, var db = state.db else { return }
      // Drop the state's references so the arrays are mutated in place, not copied.
      (state.dx, state.dw, state.db) = (nil, nil, nil)
      BackwardReplay.applySubSteps(
        trace: (trace.scenario.input, trace.scenario.weight, trace.convGradient, trace.geometry),
        global: w.global, range: range, dx: &dx.data, dw: &dw.data, db: &db.data)
      (state.dx, state.dw, state.db) = (dx, dw, db)
    case .poolBackward:
      guard let pooled = trace.pooled, var grad = state.poolInputGradient else { return }
      let size = trace.pooledSize ?? Size2(1)
      let plane = trace.geometry.output.h * trace.geometry.output.w
      let o = w.global
      if pooled.argmax[o] >= 0 {
        let index = (o / (size.h * size.w)) * plane + pooled.argmax[o]
        entries.append(
          UndoLog.Entry(cell: GradientCell(.poolInput, index), value: grad.data[index]))
        state.poolInputGradient = nil
        grad.data[index] += trace.blockGradient.data[o]
      }
      state.poolInputGradient = grad
    default:
      break
    }
    undo.push(from: fromTick, to: toTick, entries: entries)
    let location = timeline.location(ofTick: toTick)
    state.tick = toTick
    state.window = location.window
    state.subStepsDone = location.subStepsDone
    state.done = timeline.globalDone(afterTick: toTick)
  }

  /// Undoes logged moves back to `target`; false when the log does not reach it.
  private mutating func retreat(to target: Int) -> Bool {
    while state.tick > target {
      guard let record = undo.last, record.to == state.tick else { return false }
      undo.removeLast()
      for e in record.entries.reversed() { restore(e) }
      let location = timeline.location(ofTick: record.from)
      state.tick = record.from
      state.window = location.window
      state.subStepsDone = location.subStepsDone
      state.done = timeline.globalDone(afterTick: record.from)
    }
    if state.tick < target { advance(to: target) }
    return true
  }

  /// Fast traces, backward: takes the windows between `target` and the position back out of
  /// dx, dw and db (subtracting what they added: within float rounding of the state there, as
  /// everything on a fast trace). False where it cannot (another phase, a canonical trace, a
  /// gap in the global order): then the caller seeks.
  private mutating func rewind(to target: Int) -> Bool {
    guard timeline.trace.arithmetic == .fast, timeline.phase == .backward,
      var dx = state.dx, var dw = state.dw, var db = state.db
    else { return false }
    let per = timeline.ticksPerWindow
    let trace = timeline.trace
    let inputs = (trace.scenario.input, trace.scenario.weight, trace.convGradient, trace.geometry)
    // Every window to touch must be the last one applied, in global order.
    var tick = state.tick
    var expectedDone = state.done
    while tick > target {
      let windowIndex = tick / per
      let w = timeline.window(windowIndex)
      let complete = tick % per == per - 1
      if complete ? w.global + 1 != expectedDone : w.global != expectedDone { return false }
      expectedDone = w.global
      tick = windowIndex * per - 1
    }
    (state.dx, state.dw, state.db) = (nil, nil, nil)
    tick = state.tick
    while tick > target {
      let windowIndex = tick / per
      let keep = max(0, target - windowIndex * per + 1)
      BackwardReplay.applySubSteps(
        trace: inputs, global: timeline.window(windowIndex).global, range: keep..<(tick % per + 1),
        dx: &dx.data, dw: &dw.data, db: &db.data, sign: -1)
      tick = windowIndex * per + keep - 1
    }
    (state.dx, state.dw, state.db) = (dx, dw, db)
    undo.clear()
    let location = timeline.location(ofTick: target)
    state.tick = target
    state.window = location.window
    state.subStepsDone = location.subStepsDone
    state.done = timeline.globalDone(afterTick: target)
    return true
  }

  private func value(_ cell: GradientCell) -> Float {
    switch cell.tensor {
    case .dx: return state.dx?.data[cell.index] ?? 0
    case .dw: return state.dw?.data[cell.index] ?? 0
    case .db: return state.db?.data[cell.index] ?? 0
    case .poolInput: return state.poolInputGradient?.data[cell.index] ?? 0
    }
  }

  private mutating func restore(_ e: UndoLog.Entry) {
    let i = e.cell.index
    switch e.cell.tensor {
    case .dx: state.dx?.data[i] = e.value
    case .dw: state.dw?.data[i] = e.value
    case .db: state.db?.data[i] = e.value
    case .poolInput: state.poolInputGradient?.data[i] = e.value
    }
  }
}

// MARK: - UndoLog

/// The cells the last incremental moves overwrote, newest last.
struct UndoLog: Sendable {
  /// A cell and the value it had before the move.
  struct Entry: Sendable {
    var cell: GradientCell
    var value: Float
  }

  struct Record: Sendable {
    var from: Int
    var to: Int
    var entries: [Entry]
  }

  /// Entries kept at most; past that the log is cleared (moves back then seek).
  static let capacity = 1 << 20

  private(set) var records: [Record] = []
  private var count = 0

  var last: Record? { records.last }

  mutating func push(from: Int, to: Int, entries: [Entry]) {
    if count + entries.count > UndoLog.capacity { clear() }
    records.append(Record(from: from, to: to, entries: entries))
    count += entries.count
  }

  mutating func removeLast() {
    if let r = records.popLast() { count -= r.entries.count }
  }

  mutating func clear() {
    records.removeAll(keepingCapacity: true)
    count = 0
  }
}
