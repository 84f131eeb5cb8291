import ConvDebug
import ConvFormats
import ConvStepper
import Foundation
import TermUI

// MARK: - InteractiveLoop

/// The thin runtime of the Elm-style app: read an event, `update`, run the effects, `view`,
/// draw. It never changes the model itself: everything it learns (a tick, a file written, a full
/// recording, slow work done) goes in as a message.
///
/// Ticks are timestamps on the terminal's clock, not threads: the wait for input ends when the
/// next tick is due. Slow work (``Effect/run(_:)``) goes to a ``WorkRunner``; while any runs, the
/// wait is cut into slices of ``workPollMilliseconds`` so its result is shown soon after it
/// arrives, and keys keep being handled meanwhile.
///
/// The terminal is a ``Terminal``: the ncurses one in the program, a fake one with a fake clock
/// in the tests.
public struct InteractiveLoop {
  /// The model, as the last message left it.
  public private(set) var model: Model
  let terminal: any Terminal
  let worker: any WorkRunner
  let directory: String?
  let recordingLimits: SessionRecorder.Limits

  /// Called after every frame drawn by ``run()`` (for `convscope bench`'s key timings).
  let onFrame: (@Sendable (FrameReport) -> Void)?
  /// Input events (keys, mouse, resizes) read so far.
  private var inputs = 0

  private var recorder: SessionRecorder?
  private var recordingStart = Duration.zero
  private var tickInterval: Duration?
  private var nextTick = Duration.zero

  /// What the last moments of the session wrote (a recording saved on `q` or on a quit
  /// signal), as sentences to print once the terminal is restored: the screen that would have
  /// shown them is gone.
  public private(set) var farewell: [String] = []

  /// The most events handled before the screen is drawn again.
  public static let maxEventsPerFrame = 64

  /// The longest wait for input while slow work runs, in milliseconds.
  public static let workPollMilliseconds = 20

  /// A loop over `model` on `terminal`; slow work runs on `worker`; files with a relative path
  /// are written in `directory` (nil: the working directory); a recording (`X`) is saved when
  /// it reaches `recordingLimits`; `onFrame` hears of every frame drawn.
  public init(
    model: Model, terminal: any Terminal, worker: any WorkRunner = ThreadWorkRunner(),
    directory: String? = nil, recordingLimits: SessionRecorder.Limits = .standard,
    onFrame: (@Sendable (FrameReport) -> Void)? = nil
  ) {
    self.onFrame = onFrame
    self.model = model
    self.terminal = terminal
    self.worker = worker
    self.directory = directory
    self.recordingLimits = recordingLimits
  }

  /// Runs until the user quits or a quit signal arrives; returns the exit status
  /// (0, or 128 + signal). The terminal is restored before returning.
  public mutating func run() -> Int32 {
    defer { terminal.stop() }
    return loop()
  }

  /// How a viewer opened from another screen (``runNested()``) ended.
  public enum NestedEnding: Sendable, Equatable {
    /// The user went back (Esc or `q`): the screen that opened the viewer carries on.
    case back
    /// A quit signal arrived: the whole program ends with this status (128 + signal).
    case signal(Int32)
  }

  /// Runs the viewer inside another screen on the same terminal (the model's
  /// ``Model/backTo`` names it): until Esc or `q` go back, or a quit signal ends the program.
  /// The terminal is left running for the screen that opened the viewer.
  public mutating func runNested() -> NestedEnding {
    let status = loop()
    return status == 0 ? .back : .signal(status)
  }

  /// Reads, updates and draws until quit (0) or a quit signal (128 + signal).
  private mutating func loop() -> Int32 {
    startScreen()
    reportFrame()
    while true {
      let (status, changed) = handleEvents()
      if let status { return status }
      if changed, let status = drawFrame() { return status }
    }
  }

  /// A scripted session for benchmarks: the first frame, `steps` steps forward, then the
  /// backward phase from its first to its last step; each frame drawn. Restores the terminal.
  public mutating func scripted(steps: Int) {
    defer { terminal.stop() }
    startScreen()
    guard steps > 0 else { return }
    for _ in 0..<steps {
      _ = update(&model, .key(.right))
      terminal.draw(view(model))
    }
    for key in [Key.tab, .end, .home, .tab, .end] {
      _ = update(&model, .key(key))
      terminal.draw(view(model))
    }
  }

  // MARK: Steps of the loop

  /// Tells the model what the terminal can show and its size, and draws the first frame.
  private mutating func startScreen() {
    let size = terminal.size
    _ = update(&model, .capabilities(terminal.capabilities))
    _ = update(&model, .resize(width: size.columns, height: size.rows))
    terminal.draw(view(model))
  }

  /// Waits for an event, then handles it and every event already waiting behind it (up to
  /// ``maxEventsPerFrame``), so a backlog of keys (a held key, a paste) costs one frame, not one
  /// frame a key. Returns the exit status on quit, and whether the model may have changed.
  private mutating func handleEvents() -> (status: Int32?, changed: Bool) {
    var event = terminal.readEvent(timeoutMilliseconds: waitMilliseconds())
    var changed = false
    var handled = 0
    while true {
      if case .interrupted(let signal) = event {
        end(with: .ending)
        return (128 + signal, changed)
      }
      let messages = messages(after: event)
      if let status = handle(messages) { return (status, changed) }
      changed = changed || !messages.isEmpty
      handled += 1
      guard event != nil, handled < InteractiveLoop.maxEventsPerFrame else { return (nil, changed) }
      event = terminal.readEvent(timeoutMilliseconds: 0)
      if event == nil { return (nil, changed) }
    }
  }

  /// How long to wait for input: until the next tick, and in short slices while work runs.
  private func waitMilliseconds() -> Int? {
    var wait: Int?
    if tickInterval != nil {
      wait = max(0, InteractiveLoop.milliseconds(nextTick - terminal.now))
    }
    if worker.isBusy { wait = min(wait ?? Int.max, InteractiveLoop.workPollMilliseconds) }
    return wait
  }

  /// The messages an event (nil: the wait ran out), a due tick and finished work make.
  private mutating func messages(after event: InputEvent?) -> [Msg] {
    var messages: [Msg] = []
    switch event {
    case .key, .mouse, .resize: inputs += 1
    case .interrupted, nil: break
    }
    switch event {
    case .key(let key): messages.append(.key(key))
    case .mouse(let mouse): messages.append(.mouse(mouse))
    case .resize(let width, let height): messages.append(.resize(width: width, height: height))
    case .interrupted, nil: break
    }
    let now = terminal.now
    if let interval = tickInterval, now >= nextTick {
      // Every period that has passed counts: a slow frame makes the next tick move further.
      let late = InteractiveLoop.seconds(now - nextTick) / InteractiveLoop.seconds(interval)
      let periods = 1 + min(1000, Int(late))
      messages.append(.tick(periods: periods))
      nextTick = nextTick + interval * periods
      if nextTick <= now { nextTick = now + interval }
    }
    return messages + worker.results()
  }

  /// Updates the model with `messages` and runs the effects; effects may answer with messages
  /// of their own (a file written), handled in turn. Returns the exit status on quit.
  private mutating func handle(_ messages: [Msg]) -> Int32? {
    var queue = messages[...]
    while let message = queue.popFirst() {
      for effect in update(&model, message) {
        if perform(effect, answers: &queue) {
          keepNotices(queue)
          return 0
        }
      }
    }
    return nil
  }

  /// The last message of the session (``Msg/ending``): its effects run, quit excepted, and
  /// what they wrote goes to ``farewell``.
  private mutating func end(with message: Msg) {
    var answers: ArraySlice<Msg> = []
    for effect in update(&model, message) where effect != .quit {
      _ = perform(effect, answers: &answers)
    }
    keepNotices(answers)
  }

  /// Keeps the notices among `messages` for ``farewell``.
  private mutating func keepNotices(_ messages: ArraySlice<Msg>) {
    for case .notice(let notice) in messages { farewell.append(notice.text) }
  }

  /// Runs one effect; answers go into `answers`. True for quit.
  private mutating func perform(_ effect: Effect, answers: inout ArraySlice<Msg>) -> Bool {
    switch effect {
    case .startTicks(let milliseconds):
      tickInterval = .milliseconds(milliseconds)
      nextTick = terminal.now + .milliseconds(milliseconds)
    case .stopTicks:
      tickInterval = nil
    case .quit:
      return true
    case .writeFile(let path, let contents, let what):
      answers.append(.notice(write(contents, to: path, what: what)))
    case .writeCode(let script, let source, let data, let what):
      answers.append(.notice(writeCode(script: script, source: source, data: data, what: what)))
    case .startRecording:
      recorder = SessionRecorder(capabilities: model.capabilities, limits: recordingLimits)
      recordingStart = terminal.now
    case .stopRecording(let path, let full):
      if let notice = saveRecording(to: path, full: full) { answers.append(.notice(notice)) }
    case .run(let work):
      worker.start(work)
    }
    return false
  }

  /// Draws the model and records the frame; a recording that is full is saved (through
  /// ``Msg/recordingFull``) and the screen drawn again. Returns the exit status on quit.
  private mutating func drawFrame() -> Int32? {
    let frame = view(model)
    terminal.draw(frame)
    reportFrame()
    let elapsed = InteractiveLoop.seconds(terminal.now - recordingStart)
    guard recorder?.record(frame, at: elapsed) == .full else { return nil }
    if let status = handle([.recordingFull]) { return status }
    terminal.draw(view(model))
    reportFrame()
    return nil
  }

  /// Tells ``onFrame`` that a frame was drawn.
  private func reportFrame() {
    guard let onFrame else { return }
    // A transposed layer's stamp view walks steps of its own.
    if let walk = model.transposed, walk.view == .stamps {
      onFrame(
        FrameReport(
          inputs: inputs, busy: model.work != nil, step: walk.step, steps: walk.stepCount,
          phase: walk.phase, playing: model.playing))
      return
    }
    onFrame(
      FrameReport(
        inputs: inputs, busy: model.work != nil,
        step: model.timeline.unit(
          containing: model.cursor.tick, model.granularity),
        steps: model.timeline.unitCount(model.granularity), phase: model.phase,
        playing: model.playing))
  }

  /// Writes the recording's `.cast` file and ends the recording; the notice to show.
  private mutating func saveRecording(to path: String, full: Bool) -> Message? {
    guard let r = recorder else { return nil }
    recorder = nil
    if full {
      // Too long to keep: what there is, as if X had been pressed.
      let cast = r.cast(title: FrameExport.title(of: model), idleTimeLimit: 2)
      return write(cast, to: path, what: "recording (it was full)")
    }
    let cast = r.cast(
      title: FrameExport.title(of: model), timestamp: Int(Date().timeIntervalSince1970),
      idleTimeLimit: 2, shell: ProcessInfo.processInfo.environment["SHELL"])
    return write(cast, to: path, what: "recording (\(r.frameCount) frames)")
  }

  // MARK: Files

  /// Where a file of the app goes: `path` itself, or in ``directory`` when it is relative.
  private func location(_ path: String) -> URL {
    guard let directory, !path.hasPrefix("/") else { return URL(fileURLWithPath: path) }
    return URL(fileURLWithPath: directory).appendingPathComponent(path)
  }

  /// Writes a file for the app and says how it went, as a message for the screen. A file that
  /// is already there is never overwritten: the new one takes the next free number
  /// (`convscope-session.cast`, `convscope-session-2.cast`, …), and the message names it whole.
  private func write(_ contents: String, to path: String, what: String) -> Message {
    let url = InteractiveLoop.freeName(location(path))
    do {
      // Atomically: a failed write never leaves a truncated file or damages an earlier one.
      try SafeFile.write(contents, to: url.path)
      // The full path: the viewer may run far from where the user will look for the file.
      return Message("Wrote the \(what) to \(url.standardizedFileURL.path).", kind: .success)
    } catch {
      return Message("Could not write the \(what): \(error.description)", kind: .error)
    }
  }

  /// Writes a program and its data folder under the first name free for both, data first (a
  /// program is never there without its data); says how it went.
  private func writeCode(script: String, source: String, data: [DataFile], what: String)
    -> Message
  {
    func dataFolder(_ url: URL) -> URL {
      url.deletingLastPathComponent().appendingPathComponent(
        CodeExport.dataFolder(besideScript: url.lastPathComponent))
    }
    // The first free program name whose data folder is free too (next(after:) gives up after
    // 10,000 names and returns its argument: then the folder's creation reports the clash).
    var url = InteractiveLoop.freeName(location(script))
    while !data.isEmpty, InteractiveLoop.taken(dataFolder(url)) {
      let later = InteractiveLoop.next(after: url)
      if later == url { break }
      url = later
    }
    let folder = dataFolder(url)
    if !data.isEmpty {
      do {
        // Not withIntermediateDirectories: the folder is new, beside a program in a folder
        // that exists; a missing parent is an error to report, not a tree to create.
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
      } catch {
        return Message(
          "Could not write the \(what): cannot make the folder \(folder.path) "
            + "(\(error.localizedDescription))", kind: .error)
      }
    }
    do {
      if !data.isEmpty {
        for file in data {
          try SafeFile.write(file.bytes, to: folder.appendingPathComponent(file.name).path)
        }
      }
      try SafeFile.write(source, to: url.path)
      let place = data.isEmpty ? "" : " (its data in \(folder.lastPathComponent)/)"
      return Message(
        "Wrote the \(what) to \(url.standardizedFileURL.path)\(place).", kind: .success)
    } catch {
      return Message("Could not write the \(what): \(error.description)", kind: .error)
    }
  }

  /// `url`, or when something is there already the first free `stem-N.ext` after it: a stem
  /// that ends in `-N` counts on from N (`a-2.cast` → `a-3.cast`), so there is one scheme.
  static func freeName(_ url: URL) -> URL {
    taken(url) ? next(after: url) : url
  }

  /// Whether something (a file, a folder, a link, even a dangling one) is at `url`.
  static func taken(_ url: URL) -> Bool {
    (try? FileManager.default.attributesOfItem(atPath: url.path)) != nil
  }

  /// The first free `stem-N.ext` after `url` (`a.cast` → `a-2.cast`, `a-2.cast` → `a-3.cast`).
  static func next(after url: URL) -> URL {
    let ext = url.pathExtension
    var stem = url.deletingPathExtension().lastPathComponent
    var n = 1
    if let dash = stem.lastIndex(of: "-"), let k = Int(stem[stem.index(after: dash)...]), k > 0 {
      n = k
      stem = String(stem[..<dash])
    }
    let folder = url.deletingLastPathComponent()
    for k in (n + 1)...(n + 10_000) {
      let candidate = folder.appendingPathComponent(stem + "-\(k)" + (ext.isEmpty ? "" : "." + ext))
      if !taken(candidate) { return candidate }
    }
    return url
  }

  // MARK: Time

  /// Whole milliseconds in `d`, rounded up (so a wait never ends before the tick is due).
  static func milliseconds(_ d: Duration) -> Int {
    let (seconds, attoseconds) = d.components
    return Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
  }

  /// A duration in seconds.
  static func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }
}

// MARK: - FrameReport

/// What the loop says after drawing a frame: how many input events it had read by then, whether
/// slow work is awaited, and where the walk is. `convscope bench` times keys with it.
public struct FrameReport: Sendable, Equatable {
  /// Input events (keys, mouse, resizes) read before this frame.
  public let inputs: Int
  /// Whether slow work (a recomputed layer, a check) is awaited.
  public let busy: Bool
  /// The step the walk is at (its unit at the current step size; −1 before the first).
  public let step: Int
  /// The steps of the phase at the current step size.
  public let steps: Int
  /// The phase walked.
  public let phase: Phase
  /// Whether playback runs.
  public let playing: Bool

  /// One line: `frame INPUTS BUSY STEP STEPS PHASE PLAYING`.
  public var line: String {
    "frame \(inputs) \(busy ? 1 : 0) \(step) \(steps) \(phase.rawValue) \(playing ? 1 : 0)\n"
  }
}
