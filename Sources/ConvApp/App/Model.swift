import ConvCore
import ConvDebug
import ConvStepper
import TermUI

// MARK: - Model

/// The whole state of the app: the layer being walked, where the walk is, and how it is shown.
///
/// Only ``update(_:_:)`` changes a model; ``view(_:caps:)`` draws one. Outside ConvApp every
/// property is read-only, so the runtime can only send messages. Everything here is a value
/// (the ``LayerTrace`` is an immutable shared computation), so tests can build models and drive
/// them with messages.
public struct Model: Sendable {
  /// The computed layer (for a transposed convolution: the conv2d of its view, see
  /// ``transposed``).
  public private(set) var trace: LayerTrace
  /// A transposed convolution's walk (`--transposed`, a `conv_transpose2d` case, the lesson
  /// `transposed`); nil for a conv2d.
  public internal(set) var transposed: TransposedWalk?
  /// The phase walked.
  public private(set) var phase: Phase
  /// The sample shown (the timeline is restricted to it, except in the update phase).
  public private(set) var sample: Int
  /// The position and its state.
  public private(set) var cursor: Cursor
  /// How far a step moves.
  public internal(set) var granularity: Granularity = .window
  /// The input channel shown (nil: all kernel channels, input channel of the current tap).
  public internal(set) var channel: Int?
  /// Drawing options.
  public internal(set) var display = DisplayOptions()
  /// An open overlay.
  public internal(set) var overlay: Overlay?
  /// Practice (`Q`), while open: its keys come first.
  public internal(set) var practice: Practice?
  /// How many practice sets were opened (seeds the next).
  public internal(set) var practiceSets = 0
  /// Whether playback runs.
  public internal(set) var playing = false
  /// Index into ``Playback/speeds``.
  public internal(set) var speedIndex = Playback.defaultIndex
  /// Steps owed to playback: the fraction a tick left over.
  var playCredit = 0.0
  /// The message under the panels, cleared by the next key.
  public internal(set) var message: Message?
  /// The terminal size.
  public internal(set) var width: Int
  /// The terminal size.
  public internal(set) var height: Int
  /// What the terminal can show.
  public internal(set) var capabilities: Capabilities
  /// Notes about how the data was loaded (e.g. an image was reduced), shown in the status bar.
  public internal(set) var notes: [String] = []
  /// The edit cursor, while editing in place.
  public internal(set) var edit: EditState?
  /// The scenario as it was opened (`r` resets to it).
  public private(set) var original: Scenario
  /// The notes of the scenario as it was opened (`r` shows them again).
  public private(set) var originalNotes: [String]
  /// Where the data on screen came from and the values set by hand: the title and text are
  /// made from it once the layer differs from ``original`` (see ``described(_:origin:)``).
  public internal(set) var origin = DataOrigin()
  /// The screen that opened this viewer (`the network`), when another screen did: Esc (with
  /// nothing open) and `q` go back to it, and the status bar says so. Nil: `q` quits.
  public internal(set) var backTo: String?
  /// The seed of the last `R` (randomise).
  public internal(set) var randomSeed: UInt64 = 1
  /// Whether the session is being recorded (`X`).
  public internal(set) var recording = false
  /// How many recordings this session has written (names the next file).
  public internal(set) var recordings = 0
  /// The comparison with the user's own results (`--check-…`), when given.
  public internal(set) var comparison: Comparison?
  /// The known mistakes that reproduce the user's numbers (computed with the comparison).
  public internal(set) var diagnosis: DiagnosisReport?
  /// The user's results and the tolerance, kept to compare again after an edit.
  var userCheck: (UserTensors, Tolerance)?
  /// The finite-difference check shown as error maps (`D`), when asked for.
  public internal(set) var gradcheck: GradcheckResult?
  /// The slow work running for this model (``Effect/run(_:)``), shown in the status bar; nil
  /// when none is awaited.
  public internal(set) var work: WorkKind?
  /// The generation of the awaited work: a result of any other generation is stale.
  var workGeneration = 0
  /// Layers with more multiply-adds than this are recomputed as slow work (``Effect/run(_:)``)
  /// after a change; smaller ones at once.
  var slowLayerMACs = Model.defaultSlowLayerMACs

  /// The default of ``slowLayerMACs``: about a tenth of a second of tracing.
  static let defaultSlowLayerMACs = 4_000_000

  /// A model at the scenario's start, with `notes` in the status bar and, when `check` is given,
  /// the user's tensors compared (see ``check(_:tolerance:)``); throws when the scenario does
  /// not validate or the user's tensors cannot be compared.
  public init(
    scenario: Scenario, capabilities: Capabilities, width: Int = 80, height: Int = 24,
    notes: [String] = [], check: (UserTensors, Tolerance)? = nil, backTo: String? = nil
  ) throws {
    let trace = try LayerTrace(scenario)
    let phase = scenario.startPhase
    let timeline = try Timeline(trace: trace, phase: phase, scope: Model.scope(phase, sample: 0))
    let start = min(scenario.startStep, max(0, timeline.windowCount - 1))
    self.trace = trace
    self.original = scenario
    self.phase = phase
    self.sample = 0
    self.cursor = Cursor(timeline: timeline, tick: timeline.endTick(ofUnit: start, .window))
    self.capabilities = capabilities
    self.width = width
    self.height = height
    self.notes = notes
    self.originalNotes = notes
    self.display.unfold = scenario.startUnfolded
    self.backTo = backTo
    if let (user, tolerance) = check { try self.check(user, tolerance: tolerance) }
  }

  /// The scenario walked.
  public var scenario: Scenario { trace.scenario }
  /// The timeline of the current phase and sample.
  public var timeline: Timeline { cursor.timeline }
  /// The state at the current position.
  public var state: StepState { cursor.state }
  /// The playback speed in steps per second.
  public var speed: Double { Playback.speeds[speedIndex] }

  /// The window the position is in (the first window before the first step).
  public var currentWindow: WindowRef? {
    guard timeline.windowCount > 0 else { return nil }
    return state.window ?? timeline.window(0)
  }

  /// The step detail at the position.
  public var detail: StepDetail? {
    currentWindow.map { timeline.detail(atWindow: $0.index) }
  }

  static func scope(_ phase: Phase, sample: Int) -> TimelineScope {
    phase == .update ? .all : TimelineScope(sample: sample)
  }

  // MARK: Moving

  /// Moves to the end of window `index` (clamped).
  mutating func seek(window index: Int) {
    let i = max(0, min(index, timeline.windowCount - 1))
    cursor.seek(to: timeline.endTick(ofUnit: i, .window))
  }

  /// Moves to the end of step `unit` of the current granularity (clamped; −1 = before the first).
  mutating func seek(unit: Int) {
    let count = timeline.unitCount(granularity)
    let u = max(-1, min(unit, count - 1))
    cursor.seek(to: u < 0 ? -1 : timeline.endTick(ofUnit: u, granularity))
  }

  /// One step of the current granularity forward or back; false at either end.
  @discardableResult
  mutating func step(_ delta: Int) -> Bool {
    cursor.step(delta, granularity: granularity)
  }

  /// Switches phase, starting at its first step.
  mutating func setPhase(_ newPhase: Phase) {
    guard
      let t = try? Timeline(
        trace: trace, phase: newPhase, scope: Model.scope(newPhase, sample: sample))
    else { return }
    phase = newPhase
    cursor = Cursor(timeline: t, tick: t.windowCount > 0 ? t.endTick(ofUnit: 0, .window) : -1)
  }

  /// Switches sample, keeping the filter and output cell.
  mutating func setSample(_ n: Int) {
    guard n != sample, (0..<trace.geometry.batch).contains(n) else { return }
    let keep = currentWindow
    guard let t = try? Timeline(trace: trace, phase: phase, scope: Model.scope(phase, sample: n))
    else { return }
    sample = n
    cursor = Cursor(timeline: t)
    if let keep { seek(filter: keep.filter, row: keep.row, column: keep.column) }
  }

  /// Moves to the window of `filter` at `(row, column)` in the current sample.
  mutating func seek(filter: Int, row: Int, column: Int) {
    guard let m = timeline.maps.firstIndex(where: { $0.filter == filter }) else { return }
    let r = max(0, min(row, timeline.mapSize.h - 1))
    let c = max(0, min(column, timeline.mapSize.w - 1))
    seek(window: m * timeline.windowsPerMap + r * timeline.mapSize.w + c)
  }

  /// Replaces the scenario (after an edit or loading a lesson), keeping phase and position where
  /// they still exist.
  mutating func replaceScenario(_ scenario: Scenario) throws {
    try install(LayerTrace(scenario, reusing: trace.reusableGradient))
  }

  /// Shows `newTrace` (a recomputed layer), keeping phase and position where they still exist;
  /// awaited slow work is dropped (it was for the old layer).
  mutating func install(_ newTrace: LayerTrace) throws {
    let keepPhase = phase
    let keepWindow = currentWindow
    let scenario = newTrace.scenario
    let keepPhaseNow = scenario.phases.contains(keepPhase) ? keepPhase : .forward
    let keepSample = min(sample, newTrace.geometry.batch - 1)
    let t = try Timeline(
      trace: newTrace, phase: keepPhaseNow, scope: Model.scope(keepPhaseNow, sample: keepSample))
    trace = newTrace
    sample = keepSample
    phase = keepPhaseNow
    cursor = Cursor(timeline: t)
    if let keepWindow { seek(window: keepWindow.index) } else { seek(window: 0) }
    cancelWork()
    recheck()
  }

  /// Stops waiting for the running slow work: its result will be dropped as stale.
  mutating func cancelWork() {
    work = nil
    workGeneration += 1
  }

  /// Starts waiting for slow work of `kind`: returns the generation its request carries.
  mutating func awaitWork(_ kind: WorkKind) -> Int {
    workGeneration += 1
    work = kind
    return workGeneration
  }
}
