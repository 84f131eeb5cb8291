import ConvCore
import ConvStepper
import TermUI

// MARK: - TransposedWalk

/// A transposed convolution's walk in the stamp view, and which of its three views is shown
/// (`t` cycles them). In the other two views the model walks a conv2d on the same numbers (the
/// zero-insertion form, or the conv2d whose backward pass this layer is) with every usual key.
public struct TransposedWalk: Sendable {
  /// The computed layer.
  public let trace: TransposedTrace
  /// The view shown.
  public internal(set) var view: TransposedView
  /// The phase walked in the stamp view: forward, backward or update.
  public internal(set) var phase: Phase
  /// The sample walked (forward and backward).
  public internal(set) var sample = 0
  /// The step done last (−1: none yet): an input cell forward and backward, an input channel's
  /// kernels (then the bias) in the update.
  public internal(set) var step: Int
  /// The output channel whose map is shown (`f`, `F`).
  public internal(set) var outputChannel = 0

  /// A walk at the scenario's start.
  init(trace: TransposedTrace) {
    self.trace = trace
    view = trace.scenario.startView
    phase = trace.scenario.startPhase
    step = min(trace.scenario.startStep, trace.stepCount(trace.scenario.startPhase) - 1)
  }

  /// The steps of the phase.
  public var stepCount: Int { trace.stepCount(phase) }

  /// The input cell of the current forward or backward step (the first before any).
  public var cell: (channel: Int, row: Int, column: Int) { trace.inputCell(step: max(0, step)) }

  /// The output channel shown: the chosen one when the current input channel stamps onto it,
  /// else the first of its group.
  public var shownOutput: Int {
    let range = trace.dims.outputChannels(ofInput: phase == .update ? updateChannel : cell.channel)
    return range.contains(outputChannel) ? outputChannel : range.lowerBound
  }

  /// The input channel whose kernels the update step is at (the last for the bias step).
  public var updateChannel: Int { min(max(0, step), trace.dims.c - 1) }

  /// Whether the update step is the bias's (after every input channel's kernels).
  public var isBiasStep: Bool { phase == .update && step >= trace.dims.c }

  /// Moves `delta` steps, clamped; false when it could not move.
  mutating func move(_ delta: Int) -> Bool {
    let target = max(0, min(stepCount - 1, step + delta))
    guard target != step else { return false }
    step = target
    return true
  }
}

// MARK: - Opening

extension Model {
  /// A model walking the transposed convolution `scenario`, in its start view; throws when it
  /// does not validate.
  public init(
    transposed scenario: TransposedScenario, capabilities: Capabilities, width: Int = 80,
    height: Int = 24, notes: [String] = []
  ) throws {
    let walk = TransposedWalk(trace: try TransposedTrace(scenario))
    try self.init(
      scenario: Model.conv2d(for: walk), capabilities: capabilities, width: width,
      height: height, notes: notes)
    transposed = walk
  }

  /// The conv2d walked in `walk`'s view: the adjoint for that view, else the zero-insertion form
  /// (the stamp view draws its own panels; the model keeps that conv2d underneath).
  static func conv2d(for walk: TransposedWalk) throws -> Scenario {
    let s = walk.trace.scenario
    return walk.view == .adjoint
      ? try s.adjointScenario(dy: walk.trace.dy) : try s.zeroInsertionScenario(dy: walk.trace.dy)
  }

  /// Shows `view` of the transposed layer (the conv2d views start at their first step).
  mutating func showTransposed(_ view: TransposedView) throws {
    guard var walk = transposed else { return }
    walk.view = view
    var fresh = try Model(
      scenario: Model.conv2d(for: walk), capabilities: capabilities, width: width, height: height,
      notes: notes)
    fresh.display = display
    fresh.display.unfold = false
    fresh.speedIndex = speedIndex
    fresh.workGeneration = workGeneration + 1
    fresh.backTo = backTo
    fresh.transposed = walk
    self = fresh
  }
}

// MARK: - Keys

/// The words of each view, for the message `t` leaves.
func transposedViewMessage(_ view: TransposedView) -> String {
  switch view {
  case .stamps:
    return "Stamps: each input cell adds x·w onto the output, overlaps summing. t: zero insertion."
  case .zeroInsertion:
    return "Zero insertion: a plain conv2d over x with zeros between its cells and the kernel "
      + "flipped — the same y. t: the conv2d whose backward this is."
  case .adjoint:
    return "The conv2d whose dx is this layer: its input gradient, for dy = x and the same w, is "
      + "y − b. t: stamps again."
  }
}

/// `t`: the next view of a transposed layer (stamps → zero insertion → adjoint conv2d); the
/// adjoint is skipped, with a message, when output_padding is not below the stride.
func nextTransposedView(_ model: inout Model) -> [Effect] {
  guard let walk = model.transposed else {
    model.message = Message(
      "t switches the views of a transposed convolution — open one with --transposed, or L: transposed."
    )
    return []
  }
  let order = TransposedView.allCases
  var next = order[((order.firstIndex(of: walk.view) ?? 0) + 1) % order.count]
  var skipped: String?
  do {
    if next == .adjoint {
      do { _ = try walk.trace.scenario.adjointScenario(dy: walk.trace.dy) } catch {
        skipped = "\(error)"
        next = .stamps
      }
    }
    try model.showTransposed(next)
    model.message = Message(
      (skipped.map { "No conv2d view: \($0). " } ?? "") + transposedViewMessage(next))
  } catch {
    model.message = Message("\(error)", kind: .error)
  }
  return model.playing ? stopPlaying(&model) : []
}

/// Stops playback.
func stopPlaying(_ model: inout Model) -> [Effect] {
  model.playing = false
  return [.stopTicks]
}

/// The keys that build another conv2d layer: a transposed layer is given by its flags or its
/// case file.
func rebuildsLayer(_ action: Action) -> Bool {
  switch action {
  case .edit, .kernelPicker, .inputPicker, .randomise, .paddingMode, .writeLesson:
    return true
  default:
    return false
  }
}

/// A key in a transposed session, before the usual actions: nil lets the usual action run
/// (in the conv2d views, and for the keys that only change how things look).
func transposedAction(_ model: inout Model, _ action: Action) -> [Effect]? {
  guard let walk = model.transposed else { return nil }
  if action == .reset {
    do {
      try model.showTransposed(walk.trace.scenario.startView)
      model.transposed = TransposedWalk(trace: walk.trace)
      model.message = Message("Reset to the transposed layer as opened.")
    } catch {
      model.message = Message("\(error)", kind: .error)
    }
    return model.playing ? stopPlaying(&model) : []
  }
  if rebuildsLayer(action) {
    model.message = Message(
      "A transposed layer is set by its flags (--transposed …) or its case file; this key "
        + "changes a conv2d.", kind: .warning)
    return []
  }
  guard walk.view == .stamps else { return nil }
  return stampAction(&model, action)
}

/// The stamp view's keys: walking, phases, output channels and samples; the display keys run
/// as usual; the others say what to do instead.
func stampAction(_ model: inout Model, _ action: Action) -> [Effect]? {
  guard var walk = model.transposed else { return nil }
  defer { model.transposed = walk }
  let dims = walk.trace.dims
  switch action {
  case .next, .previous, .nextRow, .previousRow:
    let size = action == .next || action == .previous || walk.phase == .update ? 1 : dims.w
    let forward = action == .next || action == .nextRow
    if !walk.move(forward ? size : -size) {
      model.message = Message(forward ? stampEndMessage(walk) : "At the first step.")
    }
  case .first: walk.step = 0
  case .last: walk.step = walk.stepCount - 1
  case .nextPhase, .previousPhase:
    let phases = TransposedScenario.phases
    let i = phases.firstIndex(of: walk.phase) ?? 0
    walk.phase = phases[(i + (action == .nextPhase ? 1 : phases.count - 1)) % phases.count]
    walk.step = 0
    model.message = Message(stampPhaseIntroduction(walk.phase))
  case .nextFilter, .previousFilter:
    let f = walk.shownOutput + (action == .nextFilter ? 1 : -1)
    walk.outputChannel = (f + dims.f) % dims.f
    let c = dims.inputChannels(ofOutput: walk.outputChannel)
    if walk.phase != .update {
      // Keep the input cell, in a channel of the output channel's group.
      let cell = walk.cell
      if !c.contains(cell.channel) {
        walk.step = walk.trace.step(channel: c.lowerBound, row: cell.row, column: cell.column)
      }
    } else if !walk.isBiasStep, !c.contains(walk.updateChannel) {
      walk.step = c.lowerBound  // the kernels of the group's first input channel
    }
  case .nextSample, .previousSample:
    walk.sample = (walk.sample + (action == .nextSample ? 1 : dims.n - 1)) % dims.n
  case .playPause:
    return toggleStampPlay(&model, &walk)
  case .valueMode, .scaleScope, .palette, .zoom, .help, .exportFrame, .record, .quit, .faster,
    .slower, .lessonPicker, .transposedView, .exportCode:
    return nil
  case .practice:
    // Questions are asked on the zero-insertion conv2d: the same y, windows over x with zeros.
    do {
      try model.showTransposed(.zeroInsertion)
      walk = model.transposed ?? walk
    } catch {
      model.message = Message("\(error)", kind: .error)
      return []
    }
    return nil
  default:
    model.message = Message(
      "Not in the stamp view — t shows the same layer as a conv2d, where every key works.")
  }
  return []
}

/// Space in the stamp view.
func toggleStampPlay(_ model: inout Model, _ walk: inout TransposedWalk) -> [Effect] {
  if model.playing { return stopPlaying(&model) }
  if walk.step >= walk.stepCount - 1 { walk.step = -1 }  // at the end: play from the start
  model.playing = true
  return [.startTicks(milliseconds: Playback.milliseconds(model.speed))]
}

/// Playback in the stamp view: `steps` steps; false at the end.
func stampTick(_ model: inout Model, steps: Int) -> Bool {
  guard var walk = model.transposed else { return false }
  defer { model.transposed = walk }
  guard walk.move(steps) else {
    model.message = Message(stampEndMessage(walk))
    return false
  }
  return true
}

/// What the end of a stamp-view phase says.
func stampEndMessage(_ walk: TransposedWalk) -> String {
  if walk.phase == .update, let plan = walk.trace.scenario.practice {
    return "End of the lesson — Q: practice, \(plan.count) questions on its zero-insertion form."
  }
  switch walk.phase {
  case .forward: return "Every input cell has stamped: this is y. Tab goes on to the backward pass."
  case .backward: return "dx and dw are whole. Tab goes on to the update."
  default: return "End of the walk — Tab starts again with the forward pass."
  }
}

/// What a stamp-view phase does, shown when it starts.
func stampPhaseIntroduction(_ phase: Phase) -> String {
  switch phase {
  case .forward:
    return "Forward: y starts at the bias; each input cell stamps its value times the kernel."
  case .backward:
    return
      "Backward: each input cell gathers dy under its stamp — dx = Σ w·dy — and adds x·dy to dw."
  default:
    return "Update: w ← w − lr·dw, one input channel's kernels a step, then the bias."
  }
}
