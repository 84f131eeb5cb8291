import ConvCore
import ConvStepper
import NumberText
import TermUI

// MARK: - update

/// Applies `msg` to `model` and returns the effects the runtime must run.
///
/// The one place where the model changes. Keys never trap: an unbound key, a step past either
/// end or a bad step number becomes a message on screen.
public func update(_ model: inout Model, _ msg: Msg) -> [Effect] {
  switch msg {
  case .resize(let width, let height):
    model.width = max(0, width)
    model.height = max(0, height)
    return []
  case .capabilities(let capabilities):
    model.capabilities = capabilities
    return []
  case .tick(let periods):
    return tick(&model, periods: periods)
  case .notice(let message):
    model.message = message
    return []
  case .recordingFull:
    return model.recording ? stopRecording(&model, full: true) : []
  case .ending:
    return model.recording ? stopRecording(&model, full: false) : []
  case .finished(let result):
    return finished(&model, result)
  case .mouse(let event):
    return mouse(&model, event)
  case .key(let key):
    return keyPress(&model, key)
  }
}

/// A key: to the open overlay or the edit mode first; Esc closes the gradient check (or cancels
/// it while it runs); otherwise the bound action, or a message that the key is not bound.
func keyPress(_ model: inout Model, _ key: Key) -> [Effect] {
  if model.practice != nil {
    practiceKey(&model, key)
    return []
  }
  if let overlay = model.overlay { return overlayKey(&model, overlay, key) }
  model.message = nil
  if model.edit != nil { return editKey(&model, key) }
  if key == .escape, model.gradcheck != nil || model.work == .gradientCheck {
    model.gradcheck = nil
    if model.work == .gradientCheck { model.cancelWork() }
    return []
  }
  guard let action = KeyBindings.action(for: key) else {
    // Opened from another screen, Esc with nothing open goes back to it (as q does).
    if key == .escape { return model.backTo == nil ? [] : perform(&model, .quit) }
    model.message = Message("\(key) is not bound — press ? for the keys", kind: .warning)
    return []
  }
  if let effects = transposedAction(&model, action) { return effects }
  return perform(&model, action)
}

// MARK: - Actions

/// The actions by the function that performs them. ``Action/group`` and every group's switch
/// are exhaustive: a new action must be given a group, and then a case in its group's function.
enum ActionGroup {
  /// Steps, rows, ends, a step number, the step size.
  case walk(WalkAction)
  /// Play, pause, faster, slower.
  case play(PlayAction)
  /// Phase, filter, sample, channel.
  case choose(ChooseAction)
  /// How values are shown, help, a frame's export, the recording.
  case show(ShowAction)
  /// The "your own data" keys: editing, pickers, randomise, reset, write.
  case data(DataAction)
  /// The debugger's keys: mismatches, the gradient check, the code export.
  case debug(DebugAction)
  /// Practice questions.
  case practice
  /// Quit.
  case quit
}

/// Steps, rows, ends, a step number, the step size.
enum WalkAction {
  case next, previous, nextRow, previousRow, first, last, goTo, granularity
}

/// Play, pause, faster, slower.
enum PlayAction {
  case playPause, faster, slower
}

/// Phase, filter, sample, channel.
enum ChooseAction {
  case nextPhase, previousPhase, nextFilter, previousFilter, nextSample, previousSample, channel
}

/// How values are shown, help, a frame's export, the recording.
enum ShowAction {
  case valueMode, scaleScope, palette, formulaStyle, pictureView, zoom, unfold, help, exportFrame
  case record, transposedView
}

/// The "your own data" keys: editing, pickers, randomise, reset, write.
enum DataAction {
  case edit, lessonPicker, kernelPicker, inputPicker, randomise, reset, writeLesson, paddingMode
}

/// The debugger's keys: mismatches, the gradient check, the code export.
enum DebugAction {
  case nextMismatch, previousMismatch, gradientCheck, exportCode
}

extension Action {
  /// The group of functions that performs this action.
  var group: ActionGroup {
    switch self {
    case .next: return .walk(.next)
    case .previous: return .walk(.previous)
    case .nextRow: return .walk(.nextRow)
    case .previousRow: return .walk(.previousRow)
    case .first: return .walk(.first)
    case .last: return .walk(.last)
    case .goTo: return .walk(.goTo)
    case .granularity: return .walk(.granularity)
    case .playPause: return .play(.playPause)
    case .faster: return .play(.faster)
    case .slower: return .play(.slower)
    case .nextPhase: return .choose(.nextPhase)
    case .previousPhase: return .choose(.previousPhase)
    case .nextFilter: return .choose(.nextFilter)
    case .previousFilter: return .choose(.previousFilter)
    case .nextSample: return .choose(.nextSample)
    case .previousSample: return .choose(.previousSample)
    case .channel: return .choose(.channel)
    case .valueMode: return .show(.valueMode)
    case .scaleScope: return .show(.scaleScope)
    case .palette: return .show(.palette)
    case .formulaStyle: return .show(.formulaStyle)
    case .pictureView: return .show(.pictureView)
    case .zoom: return .show(.zoom)
    case .unfold: return .show(.unfold)
    case .transposedView: return .show(.transposedView)
    case .help: return .show(.help)
    case .exportFrame: return .show(.exportFrame)
    case .record: return .show(.record)
    case .edit: return .data(.edit)
    case .lessonPicker: return .data(.lessonPicker)
    case .kernelPicker: return .data(.kernelPicker)
    case .inputPicker: return .data(.inputPicker)
    case .randomise: return .data(.randomise)
    case .reset: return .data(.reset)
    case .writeLesson: return .data(.writeLesson)
    case .paddingMode: return .data(.paddingMode)
    case .nextMismatch: return .debug(.nextMismatch)
    case .previousMismatch: return .debug(.previousMismatch)
    case .gradientCheck: return .debug(.gradientCheck)
    case .exportCode: return .debug(.exportCode)
    case .practice: return .practice
    case .quit: return .quit
    }
  }
}

func perform(_ model: inout Model, _ action: Action) -> [Effect] {
  switch action.group {
  case .walk(let a): walk(&model, a)
  case .play(let a): return play(&model, a)
  case .choose(let a): choose(&model, a)
  case .show(let a): return show(&model, a)
  case .data(let a): return performData(&model, a)
  case .debug(let a): return performDebug(&model, a)
  case .practice:
    openPractice(&model)
    guard model.playing else { return [] }
    model.playing = false
    return [.stopTicks]
  case .quit:
    // A recording in progress is saved, not lost: q means "I am done", not "throw it away".
    let save = model.recording ? stopRecording(&model, full: false) : []
    return (model.playing ? [.stopTicks] : []) + save + [.quit]
  }
  return []
}

/// Performs a walk action.
func walk(_ model: inout Model, _ action: WalkAction) {
  let timeline = model.timeline
  switch action {
  case .next:
    if !model.step(1) { model.message = endMessage(model) }
  case .previous:
    // The first step is as far back as it goes: "before step 1" would show a formula for a
    // cell that has no value yet (issue 13).
    guard let before = timeline.previousTick(before: model.state.tick, model.granularity),
      before >= 0
    else {
      model.message = Message("At the first step.")
      return
    }
    if !model.step(-1) { model.message = Message("At the first step.") }
  case .nextRow, .previousRow:
    guard let w = model.currentWindow else { return }
    let target = w.index + (action == .nextRow ? 1 : -1) * timeline.mapSize.w
    if target < 0 || target >= timeline.windowCount {
      model.message = Message(action == .nextRow ? "No row below." : "No row above.")
    } else {
      model.seek(window: target)
    }
  case .first:
    model.seek(unit: 0)
  case .last:
    model.seek(unit: timeline.unitCount(model.granularity) - 1)
  case .goTo:
    model.overlay = .goTo("")
    model.message = nil
  case .granularity:
    model.granularity = model.granularity.next
    model.message = Message("Step size: \(model.granularity)")
  }
}

/// Performs a play action.
func play(_ model: inout Model, _ action: PlayAction) -> [Effect] {
  switch action {
  case .playPause:
    return togglePlay(&model)
  case .faster, .slower:
    let top = Playback.topIndex(steps: model.timeline.unitCount(model.granularity))
    let i = min(model.speedIndex, top) + (action == .faster ? 1 : -1)
    model.speedIndex = max(0, min(top, i))
    model.playCredit = 0
    let seconds = Double(model.timeline.unitCount(model.granularity)) / model.speed
    model.message = Message(
      "Speed \(Playback.label(model.speed))"
        + (model.speedIndex == top
          ? ": the top for this phase, all of it in "
            + "\(NumberFormat.short(Float(seconds), maxDecimals: 1)) s" : ""))
    if model.playing { return [.startTicks(milliseconds: Playback.milliseconds(model.speed))] }
  }
  return []
}

/// Performs a choose action.
func choose(_ model: inout Model, _ action: ChooseAction) {
  switch action {
  case .nextPhase, .previousPhase:
    let phases = model.scenario.phases
    let i = phases.firstIndex(of: model.phase) ?? 0
    let next = (i + (action == .nextPhase ? 1 : phases.count - 1)) % phases.count
    model.setPhase(phases[next])
    model.message = Message(phaseIntroduction(model.phase))
  case .nextFilter, .previousFilter:
    guard let w = model.currentWindow else { return }
    let filters = model.trace.geometry.config.filters
    let f = w.filter + (action == .nextFilter ? 1 : -1)
    if f < 0 || f >= filters {
      model.message = Message(
        filters == 1 ? "This layer has one filter." : "No more filters that way.")
    } else {
      model.seek(filter: f, row: w.row, column: w.column)
    }
  case .nextSample, .previousSample:
    let n = model.sample + (action == .nextSample ? 1 : -1)
    if n < 0 || n >= model.trace.geometry.batch {
      model.message = Message(
        model.trace.geometry.batch == 1 ? "The batch has one sample." : "No more samples that way.")
    } else {
      model.setSample(n)
    }
  case .channel:
    let c = model.trace.geometry.config.inChannels
    if c == 1 {
      model.message = Message("The input has one channel.")
    } else {
      model.channel = model.channel.map { $0 + 1 < c ? $0 + 1 : nil } ?? 0
    }
  }
}

/// Performs a show action.
func show(_ model: inout Model, _ action: ShowAction) -> [Effect] {
  switch action {
  case .valueMode:
    let modes = HeatGridMode.allCases
    let i = modes.firstIndex(of: model.display.mode) ?? 0
    model.display.mode = modes[(i + 1) % modes.count]
    model.message = Message("Values: \(model.display.mode.rawValue)")
  case .scaleScope:
    model.display.sharedScale.toggle()
    model.message = Message(
      model.display.sharedScale ? "One colour range for all maps" : "A colour range per map")
  case .palette:
    model.display.palette = model.display.palette.next
    model.message = Message("Palette: \(model.display.palette.name)")
  case .formulaStyle:
    model.display.symbolic.toggle()
  case .pictureView:
    togglePicture(&model)
  case .zoom:
    model.display.zoom = HeatGridZoom.next(after: model.display.zoom)
    model.message = Message("Zoom: \(model.display.zoom?.label ?? "auto (the best that fits)")")
  case .transposedView:
    return nextTransposedView(&model)
  case .unfold:
    toggleUnfold(&model)
  case .help:
    model.overlay = .help(scroll: 0)
  case .exportFrame:
    // The frame as it is now: the export is made before any message changes the screen.
    let contents = FrameExport.export(model, as: .svg)
    return [
      .writeFile(
        path: FrameExport.fileName(for: model, format: .svg), contents: contents,
        what: "frame (SVG)")
    ]
  case .record:
    if model.recording { return stopRecording(&model, full: false) }
    model.recording = true
    model.message = Message("Recording: every frame goes into a .cast file; X stops.")
    return [.startRecording]
  }
  return []
}

/// `p`: the input as a picture or as one channel's values. Says why when there is no picture to
/// show (fewer than 256 colours) and where it shows (the forward pass).
func togglePicture(_ model: inout Model) {
  guard model.capabilities.color >= .ansi256 else {
    model.message = Message(
      "The picture needs 256 colours or more (--color 256 or truecolor).", kind: .warning)
    return
  }
  let on = !PictureView.isOn(model)
  model.display.picture = on
  let phaseNote = model.phase == .forward ? "" : " (in the forward pass)"
  model.message = Message(
    on
      ? "Input as a picture\(phaseNote); p shows one channel's values."
      : "Input as one channel's values\(phaseNote); p shows the picture.")
}

/// Ends the recording (`X`, or `full` when it reached its limits) and names its file:
/// `convscope-session.cast`, then `-2`, `-3`…; a full one always has its number.
func stopRecording(_ model: inout Model, full: Bool) -> [Effect] {
  model.recording = false
  model.recordings += 1
  let suffix = model.recordings == 1 && !full ? "" : "-\(model.recordings)"
  return [.stopRecording(path: "convscope-session\(suffix).cast", full: full)]
}

// MARK: - Slow work

/// A slow work's result: shown when it is the one awaited, dropped when stale.
func finished(_ model: inout Model, _ result: WorkResult) -> [Effect] {
  guard result.generation == model.workGeneration, model.work == result.kind else { return [] }
  model.work = nil
  switch result.payload {
  case .gradientCheck(let outcome):
    showGradientCheck(&model, outcome)
  case .layer(let outcome, let origin, let notes, let message):
    installLayer(&model, outcome, origin: origin, notes: notes, message: message)
  }
  return []
}

func togglePlay(_ model: inout Model) -> [Effect] {
  if model.playing {
    model.playing = false
    return [.stopTicks]
  }
  if model.timeline.nextTick(after: model.state.tick, model.granularity) == nil {
    model.seek(unit: -1)  // at the end: play from the start
  }
  model.playing = true
  return [.startTicks(milliseconds: Playback.milliseconds(model.speed))]
}

func tick(_ model: inout Model, periods: Int) -> [Effect] {
  guard model.playing else { return [.stopTicks] }
  model.playCredit += Double(max(1, periods)) * Playback.stepsPerPeriod(model.speed)
  let steps = Int(model.playCredit)
  model.playCredit -= Double(steps)
  if model.transposed?.view == .stamps {
    guard steps > 0, !stampTick(&model, steps: steps) else { return [] }
    model.playing = false
    return [.stopTicks]
  }
  if steps > 0, !model.step(steps) {
    model.playing = false
    model.message = endMessage(model)
    return [.stopTicks]
  }
  return []
}

func endMessage(_ model: Model) -> Message {
  let phases = model.scenario.phases
  let i = phases.firstIndex(of: model.phase) ?? 0
  if i + 1 < phases.count {
    return Message("End of the \(model.phase) phase — Tab goes on to \(phases[i + 1]).")
  }
  if let plan = model.scenario.practice {
    return Message(
      "End of the lesson — Q: practice, \(plan.count) questions on it (Tab walks it again).",
      kind: .success)
  }
  return Message("End of the walk — Tab starts again with the forward pass.")
}

func phaseIntroduction(_ phase: Phase) -> String {
  switch phase {
  case .forward: return "Forward: each window's products are summed, plus the bias."
  case .relu: return "ReLU: negative outputs become 0."
  case .pool: return "Max-pool: each window keeps its largest value."
  case .poolBackward: return "Max-pool backward: each gradient goes to its window's maximum."
  case .reluBackward:
    return "ReLU backward: the gradient passes only where the output was positive."
  case .backward:
    return "Backward: each dy cell adds dy·x (the window's input) to dw, dy·w to dx and dy to db."
  case .update: return "Update: w −= lr·dw and b −= lr·db, one filter at a time."
  }
}

// MARK: - Overlays

/// The help's scroll offset moved by `lines` (or by `pages` of the rows on screen, less one
/// for context), kept between the top and the last screenful at the model's size.
func helpScroll(_ model: Model, _ scroll: Int, by lines: Int = 0, byPages pages: Int = 0) -> Int {
  let layout = helpOverlay(model, scroll: scroll)
    .layout(in: Rect(x: 0, y: 0, width: model.width, height: model.height))
  let step = lines + pages * max(1, layout.visibleLines - 1)
  return min(layout.maxScroll, max(0, layout.scroll + step))
}

func overlayKey(_ model: inout Model, _ overlay: Overlay, _ key: Key) -> [Effect] {
  switch overlay {
  case .help(let scroll):
    switch key {
    case .escape, .character("?"), .character("q"), .enter: model.overlay = nil
    case .down, .character("j"): model.overlay = .help(scroll: helpScroll(model, scroll, by: 1))
    case .up, .character("k"): model.overlay = .help(scroll: helpScroll(model, scroll, by: -1))
    case .pageDown, .character(" "):
      model.overlay = .help(scroll: helpScroll(model, scroll, byPages: 1))
    case .pageUp: model.overlay = .help(scroll: helpScroll(model, scroll, byPages: -1))
    case .home, .character("g"): model.overlay = .help(scroll: 0)
    case .end, .character("G"): model.overlay = .help(scroll: helpScroll(model, .max))
    default: break
    }
  case .picker(let p):
    return pickerKey(&model, p, key)
  case .writeLesson(let text):
    return writeLessonKey(&model, text, key)
  case .goTo(let text):
    switch key {
    case .escape:
      model.overlay = nil
    case .backspace, .delete:
      model.overlay = .goTo(String(text.dropLast()))
    case .character(let c) where c.isASCII && c.isNumber && text.count < 12:
      model.overlay = .goTo(text + String(c))
      model.message = nil
    case .character(let c):
      // Say at once why a key did nothing, rather than at Enter.
      let count = model.timeline.unitCount(model.granularity)
      model.message = Message(
        "'\(c)' is not a digit: a step number is \(ValueFormat.range(1, count)) "
          + "(\(model.granularity) steps)",
        kind: .error)
    case .enter:
      model.overlay = nil
      let count = model.timeline.unitCount(model.granularity)
      let range = "type a number in \(ValueFormat.range(1, count)) (\(model.granularity) steps)"
      if let n = Int(text), n >= 1, n <= count {
        model.seek(unit: n - 1)
      } else if text.isEmpty {
        model.message = Message("no step number after ':': \(range)", kind: .error)
      } else if let n = Int(text), n > count {
        model.message = Message("step \(n) is past the last one: \(range)", kind: .error)
      } else {
        model.message = Message("step \(text) does not exist: \(range)", kind: .error)
      }
    default:
      break
    }
  }
  return []
}

// MARK: - Mouse

func mouse(_ model: inout Model, _ event: MouseEvent) -> [Effect] {
  guard model.overlay == nil, model.transposed?.view != .stamps else { return [] }
  switch event.kind {
  case .press(.left), .click(.left):
    let layout = ScreenLayout(model)
    guard let target = layout.outputCell(atX: event.column, y: event.row) else { return [] }
    model.message = nil
    model.seek(filter: target.filter, row: target.row, column: target.column)
  case .wheelDown:
    _ = model.step(1)
  case .wheelUp:
    _ = model.step(-1)
  default:
    break
  }
  return []
}
