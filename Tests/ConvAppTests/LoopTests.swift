import ConvCore
import Foundation
import TermUI
import TestSupport
import Testing

@testable import ConvApp

// MARK: - The runtime on a fake terminal

/// Slow work on the fake terminal's clock: each piece is done `latency` after it was started
/// (the result is computed then, on the loop's thread).
final class FakeWorkRunner: WorkRunner {
  let terminal: FakeTerminal
  let latency: Duration
  private(set) var started: [Work] = []
  private var pending: [(due: Duration, work: Work)] = []

  init(terminal: FakeTerminal, latency: Duration = .seconds(1)) {
    self.terminal = terminal
    self.latency = latency
  }

  var isBusy: Bool { !pending.isEmpty }

  func start(_ work: Work) {
    started.append(work)
    pending.append((terminal.now + latency, work))
  }

  func results() -> [Msg] {
    let now = terminal.now
    let done = pending.filter { $0.due <= now }
    pending.removeAll { $0.due <= now }
    return done.map { $0.work.perform() }
  }
}

/// The event of a key spelling (`"Right"`, `"q"`) at `milliseconds` on the fake clock.
func at(_ milliseconds: Int, _ spelling: String) -> (at: Duration, event: InputEvent) {
  guard let key = Key(spelling: spelling) else {
    Issue.record("bad key spelling \(spelling)")
    return (.milliseconds(milliseconds), .key(.escape))
  }
  return (.milliseconds(milliseconds), .key(key))
}

/// An event at `milliseconds` on the fake clock.
func at(_ milliseconds: Int, _ event: InputEvent) -> (at: Duration, event: InputEvent) {
  (.milliseconds(milliseconds), event)
}

/// A folder of its own for the files a loop writes.
func scratchFolder() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "convscope-loop-\(UUID().uuidString.prefix(8))")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Runs the first lesson's loop on `terminal`; returns the exit status and the final loop.
func runLoop(
  _ terminal: FakeTerminal, model: Model? = nil, worker: (any WorkRunner)? = nil,
  directory: URL? = nil, recordingLimits: SessionRecorder.Limits = .standard
) throws -> (status: Int32, loop: InteractiveLoop) {
  var loop = InteractiveLoop(
    model: try model ?? lessonModel(), terminal: terminal,
    worker: worker ?? FakeWorkRunner(terminal: terminal), directory: directory?.path,
    recordingLimits: recordingLimits)
  let status = loop.run()
  #expect(!terminal.ranOut, "the script ran out before the loop ended")
  #expect(terminal.stopped, "the terminal was not given back")
  return (status, loop)
}

@Suite("The interactive loop on a fake terminal")
struct LoopTests {
  @Test("q quits with 0, drawing the first frame at the terminal's size first")
  func quit() throws {
    let terminal = FakeTerminal(columns: 100, rows: 30, script: [at(500, "q")])
    let (status, loop) = try runLoop(terminal)
    #expect(status == 0)
    #expect(terminal.frames.count == 1)
    #expect(
      terminal.frames.first?.buffer.width == 100 && terminal.frames.first?.buffer.height == 30)
    #expect(loop.model.capabilities == terminal.capabilities)
    #expect(terminal.now == .milliseconds(500))
  }

  @Test("a quit signal returns 128 + signal")
  func interrupt() throws {
    let terminal = FakeTerminal(script: [at(10, "Right"), at(20, .interrupted(signal: 15))])
    #expect(try runLoop(terminal).status == 143)
    #expect(terminal.frames.count == 2)
  }

  @Test("keys already waiting are handled together and drawn once")
  func backlog() throws {
    let terminal = FakeTerminal(
      script: Array(repeating: at(100, "Right"), count: 5) + [at(200, "q")])
    let (_, loop) = try runLoop(terminal)
    #expect(stepNumber(loop.model) == 6)
    #expect(terminal.frames.map(\.time) == [.zero, .milliseconds(100)])
  }

  @Test("a resize redraws at the new size")
  func resize() throws {
    let terminal = FakeTerminal(
      script: [
        at(100, .resize(width: 90, height: 28)), at(200, .resize(width: 10, height: 3)),
        at(300, "q"),
      ])
    let (_, loop) = try runLoop(terminal)
    let sizes = terminal.frames.map { [$0.buffer.width, $0.buffer.height] }
    #expect(sizes == [[120, 40], [90, 28], [10, 3]])
    #expect(loop.model.width == 10 && loop.model.height == 3)
  }

  @Test(
    "playing at a speed advances one step per tick of the fake clock",
    arguments: [(faster: 0, ticks: 8), (faster: 2, ticks: 33)])
  func play(faster: Int, ticks: Int) throws {
    // 4 steps/s (250 ms a tick) by default; ++ makes it 16/s (63 ms a tick).
    var script = (0..<faster).map { at(10 + $0, "+") }
    script += [at(1000, "Space"), at(3100, "q")]
    let terminal = FakeTerminal(script: script)
    let (status, loop) = try runLoop(terminal)
    #expect(status == 0)
    let interval = Playback.milliseconds(Playback.speeds[Playback.defaultIndex + faster])
    #expect(ticks == 2100 / interval)
    #expect(stepNumber(loop.model) == 1 + ticks)
    #expect(loop.model.playing)
    // One frame per tick, each drawn when its tick was due.
    let tickFrames = terminal.frames.filter { $0.time > .milliseconds(1000) }
    #expect(tickFrames.count == ticks)
    #expect(tickFrames.first?.time == .milliseconds(1000 + interval))
  }

  @Test("playback stops at the end of the phase, and the loop waits for keys again")
  func playToEnd() throws {
    let terminal = FakeTerminal(script: [
      at(0, "G"), at(10, "Left"), at(20, "Space"), at(5000, "q"),
    ])
    let (_, loop) = try runLoop(terminal)
    #expect(!loop.model.playing)
    #expect(terminal.screen.contains("End of the forward phase"))
    // Two ticks: the last step, then the end; no frame after that until q.
    #expect(terminal.frames.last?.time == .milliseconds(520))
  }

  @Test("a file written by an effect is reported in a notice on the screen")
  func writeFile() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let terminal = FakeTerminal(script: [at(10, "w"), at(20, "Enter"), at(30, "q")])
    _ = try runLoop(terminal, directory: folder)
    let full = folder.appendingPathComponent("convscope.lesson").standardizedFileURL.path
    #expect(terminal.screen.contains("Wrote the lesson to \(full)."), "\(terminal.screen)")
    let written = try String(
      contentsOf: folder.appendingPathComponent("convscope.lesson"), encoding: .utf8)
    #expect(!written.isEmpty)
  }

  @Test("a file already there is never overwritten: the next one takes the next number")
  func numberedNames() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = folder.appendingPathComponent("convscope.lesson")
    try "earlier".write(to: first, atomically: true, encoding: .utf8)
    let terminal = FakeTerminal(script: [
      at(10, "w"), at(20, "Enter"), at(30, "w"), at(40, "Enter"), at(50, "q"),
    ])
    _ = try runLoop(terminal, directory: folder)
    #expect(try String(contentsOf: first, encoding: .utf8) == "earlier")
    let second = folder.appendingPathComponent("convscope-2.lesson")
    let third = folder.appendingPathComponent("convscope-3.lesson")
    #expect(FileManager.default.fileExists(atPath: second.path))
    #expect(FileManager.default.fileExists(atPath: third.path))
    let full = third.standardizedFileURL.path
    #expect(terminal.screen.contains("Wrote the lesson to \(full)."), "\(terminal.screen)")
    // A stem that ends in a number counts on from it.
    let cast = folder.appendingPathComponent("convscope-session-2.cast")
    try "x".write(to: cast, atomically: true, encoding: .utf8)
    #expect(InteractiveLoop.freeName(cast).lastPathComponent == "convscope-session-3.cast")
  }

  @Test("C twice: two programs, each with its own data folder; neither overwrites the other")
  func codeExportsNumbered() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // An earlier session's data folder, without its program: the new export must not use it.
    let stale = folder.appendingPathComponent("convscope_layer_data")
    try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: false)
    try "old".write(to: stale.appendingPathComponent("x.npy"), atomically: true, encoding: .utf8)
    let terminal = FakeTerminal(script: [at(10, "C"), at(20, "Right"), at(30, "C"), at(40, "q")])
    _ = try runLoop(terminal, model: try lessonModel(.article(batch: 1)), directory: folder)
    let old = try String(contentsOf: stale.appendingPathComponent("x.npy"), encoding: .utf8)
    #expect(old == "old", "an earlier data folder was overwritten")
    for n in [2, 3] {
      let script = folder.appendingPathComponent("convscope_layer-\(n).py")
      let source = try String(contentsOf: script, encoding: .utf8)
      #expect(source.contains("os.path.abspath(__file__)"))
      let data = folder.appendingPathComponent("convscope_layer-\(n)_data/x.npy")
      #expect(FileManager.default.fileExists(atPath: data.path), "no \(data.path)")
      let notice =
        "Wrote the NumPy code to \(script.standardizedFileURL.path)"
        + " (its data in convscope_layer-\(n)_data/)."
      #expect(terminal.frames.contains { $0.buffer.plainText.contains(notice) }, "\(notice)")
    }
    #expect(
      !FileManager.default.fileExists(
        atPath: folder.appendingPathComponent("convscope_layer.py").path))
  }

  @Test("a recording that fills up is saved through the recordingFull message")
  func fullRecording() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let terminal = FakeTerminal(
      script: [at(10, "X"), at(20, "Right"), at(30, "Right"), at(40, "Right"), at(50, "q")])
    let (_, loop) = try runLoop(
      terminal, directory: folder, recordingLimits: .init(maxFrames: 2, maxBytes: 1 << 20))
    #expect(!loop.model.recording)
    #expect(loop.model.recordings == 1)
    let cast = folder.appendingPathComponent("convscope-session-1.cast").standardizedFileURL.path
    let notice = "Wrote the recording (it was full) to \(cast)."
    #expect(terminal.frames.contains { $0.buffer.plainText.contains(notice) })
    let recorded = try String(
      contentsOf: folder.appendingPathComponent("convscope-session-1.cast"), encoding: .utf8)
    #expect(recorded.split(separator: "\n").count >= 3, "a header and the two frames")
  }

  @Test(
    "a recording in progress is saved on q and on a quit signal, and the loop says where",
    arguments: [InputEvent.key(.character("q")), .interrupted(signal: 15), .interrupted(signal: 2)])
  func recordingSavedOnExit(_ ending: InputEvent) throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let terminal = FakeTerminal(
      script: [at(10, "X"), at(20, "Right"), at(30, "Right"), at(40, ending)])
    let (status, loop) = try runLoop(terminal, directory: folder)
    if case .interrupted(let signal) = ending {
      #expect(status == 128 + signal)
    } else {
      #expect(status == 0)
    }
    let cast = folder.appendingPathComponent("convscope-session.cast")
    let recorded = try String(contentsOf: cast, encoding: .utf8)
    #expect(recorded.split(separator: "\n").count >= 4, "a header and three frames")
    #expect(!loop.model.recording)
    #expect(
      loop.farewell == ["Wrote the recording (3 frames) to \(cast.standardizedFileURL.path)."])
  }

  @Test("no recording, nothing to say on the way out")
  func quietExit() throws {
    let terminal = FakeTerminal(script: [at(10, "Right"), at(20, .interrupted(signal: 15))])
    let (status, loop) = try runLoop(terminal)
    #expect(status == 143)
    #expect(loop.farewell.isEmpty)
  }

  @Test("slow work: the screen shows it running, keys still work, the result arrives")
  func slowWork() throws {
    let terminal = FakeTerminal(script: [at(100, "D"), at(300, "Right"), at(2000, "q")])
    let worker = FakeWorkRunner(terminal: terminal, latency: .seconds(1))
    let (_, loop) = try runLoop(terminal, worker: worker)
    #expect(worker.started.map(\.kind) == [.gradientCheck])
    let running = terminal.frames.filter {
      $0.time >= .milliseconds(100) && $0.time < .milliseconds(1100)
    }
    #expect(running.count == 2, "D and → drawn while it runs")
    #expect(running.allSatisfy { $0.buffer.plainText.contains("computing gradient check") })
    #expect(stepNumber(loop.model) == 2, "→ worked while the check ran")
    #expect(loop.model.gradcheck != nil)
    #expect(loop.model.work == nil)
    #expect(terminal.frames.last?.time == .milliseconds(1100))
    #expect(terminal.screen.contains("Finite differences agree"))
    #expect(!terminal.screen.contains("computing"))
  }

  @Test("slow work: D again while it runs starts nothing; Esc cancels and its result is dropped")
  func cancelledWork() throws {
    let terminal = FakeTerminal(script: [
      at(100, "D"), at(200, "D"), at(300, "Escape"), at(2000, "q"),
    ])
    let worker = FakeWorkRunner(terminal: terminal)
    let (_, loop) = try runLoop(terminal, worker: worker)
    #expect(worker.started.count == 1)
    #expect(loop.model.gradcheck == nil, "the result of a cancelled check is dropped")
    #expect(loop.model.work == nil)
  }

  @Test("slow work: a result for a layer that changed meanwhile is dropped")
  func staleWork() throws {
    // A gradient check, then R (a small layer: recomputed at once): the check is for the old one.
    var terminal = FakeTerminal(script: [at(100, "D"), at(300, "R"), at(2000, "q")])
    var (_, loop) = try runLoop(terminal)
    #expect(loop.model.gradcheck == nil)
    #expect(terminal.screen.contains("Random input and kernel"))

    // A big layer is recomputed as slow work; a second R supersedes the first.
    var model = try lessonModel()
    model.slowLayerMACs = 0
    terminal = FakeTerminal(script: [at(100, "R"), at(200, "R"), at(300, "Right"), at(3000, "q")])
    let worker = FakeWorkRunner(terminal: terminal)
    (_, loop) = try runLoop(terminal, model: model, worker: worker)
    #expect(worker.started.map(\.kind) == [.layer, .layer])
    #expect(loop.model.randomSeed == 3)
    #expect(loop.model.scenario.text.contains("seed 3"))
    #expect(loop.model.work == nil)
    // The first result (at 1.1 s) is dropped: the screen still waits for the second (at 1.2 s).
    let between = terminal.frames.filter {
      $0.time >= .milliseconds(1100) && $0.time < .milliseconds(1200)
    }
    #expect(!between.isEmpty)
    #expect(between.allSatisfy { $0.buffer.plainText.contains("computing layer") })
    #expect(terminal.screen.contains("seed 3"))
    #expect(stepNumber(loop.model) == 2, "the step taken meanwhile is kept")
  }

  @Test("the real work runner runs work on another thread and hands back its result")
  func threadRunner() async throws {
    var model = try lessonModel()
    let effects = update(&model, .key(.character("D")))
    guard case .run(let work)? = effects.first else {
      Issue.record("no work: \(effects)")
      return
    }
    let runner = ThreadWorkRunner()
    runner.start(work)
    var results: [Msg] = []
    let deadline = ContinuousClock.now + .seconds(30)
    while results.isEmpty, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(5))
      results = runner.results()
    }
    #expect(results.count == 1)
    #expect(!runner.isBusy)
    for r in results { _ = update(&model, r) }
    #expect(model.gradcheck != nil)
  }
}
