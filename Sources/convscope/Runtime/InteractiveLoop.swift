import ConvApp
import Foundation
import NCursesBackend
import TermUI

// MARK: - InteractiveLoop

/// The thin runtime of the Elm-style app: read an event, `update`, run the effects, `view`,
/// draw. Ticks are timestamps, not threads: the wait for input ends when the next tick is due.
struct InteractiveLoop {
  var model: Model
  let terminal: NCursesTerminal

  /// Runs until the user quits or a quit signal arrives; returns the exit status
  /// (0, or 128 + signal). The terminal is restored before returning.
  mutating func run() -> Int32 {
    defer { terminal.stop() }
    let clock = ContinuousClock()
    var recorder: SessionRecorder?
    var recordingStart = clock.now
    var tickInterval: Duration?
    var nextTick = clock.now
    let size = terminal.size
    _ = update(&model, .resize(width: size.columns, height: size.rows))
    terminal.draw(view(model))
    while true {
      // Wait for input, but no longer than until the next tick is due.
      let timeout = tickInterval.map { _ in
        max(0, InteractiveLoop.milliseconds(clock.now.duration(to: nextTick)))
      }
      let event = terminal.readEvent(timeoutMilliseconds: timeout)
      var messages: [Msg] = []
      switch event {
      case nil:
        if let interval = tickInterval, clock.now >= nextTick {
          messages.append(.tick)
          nextTick = max(nextTick + interval, clock.now)
        }
      case .key(let key):
        messages.append(.key(key))
      case .mouse(let mouse):
        messages.append(.mouse(mouse))
      case .resize(let width, let height):
        messages.append(.resize(width: width, height: height))
      case .interrupted(let signal):
        return 128 + signal
      }
      // Effects may answer with messages of their own (a file written): a small queue.
      var queue = messages[...]
      while let message = queue.popFirst() {
        for effect in update(&model, message) {
          switch effect {
          case .startTicks(let milliseconds):
            tickInterval = .milliseconds(milliseconds)
            nextTick = clock.now + .milliseconds(milliseconds)
          case .stopTicks:
            tickInterval = nil
          case .quit:
            return 0
          case .writeFile(let path, let contents, let what):
            queue.append(.notice(InteractiveLoop.write(contents, to: path, what: what)))
          case .writeBinary(let path, let bytes):
            if let failure = InteractiveLoop.writeData(bytes, to: path) {
              queue.append(.notice(failure))
            }
          case .startRecording:
            recorder = SessionRecorder(capabilities: model.capabilities)
            recordingStart = clock.now
          case .stopRecording(let path):
            if let r = recorder {
              let cast = r.cast(
                title: FrameExport.title(of: model), timestamp: Int(Date().timeIntervalSince1970),
                idleTimeLimit: 2, shell: ProcessInfo.processInfo.environment["SHELL"])
              queue.append(
                .notice(
                  InteractiveLoop.write(cast, to: path, what: "recording (\(r.frameCount) frames)"))
              )
            }
            recorder = nil
          }
        }
      }
      if !messages.isEmpty {
        let frame = view(model)
        terminal.draw(frame)
        let elapsed = recordingStart.duration(to: clock.now)
        if recorder?.record(frame, at: InteractiveLoop.seconds(elapsed)) == .full, let r = recorder
        {
          // Too long to keep: save what there is, as if X had been pressed.
          recorder = nil
          let cast = r.cast(title: FrameExport.title(of: model), idleTimeLimit: 2)
          model.recording = false
          model.recordings += 1
          let notice = InteractiveLoop.write(
            cast, to: "convscope-session-\(model.recordings).cast", what: "recording (it was full)")
          _ = update(&model, .notice(notice))
          terminal.draw(view(model))
        }
      }
    }
  }

  /// Whole milliseconds in `d`, rounded up (so a wait never ends before the tick is due).
  static func milliseconds(_ d: Duration) -> Int {
    let (seconds, attoseconds) = d.components
    return Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
  }

  /// Writes a file for the app and says how it went, as a message for the screen.
  static func write(_ contents: String, to path: String, what: String) -> Message {
    do {
      try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
      return Message("Wrote the \(what) to \(path).", kind: .success)
    } catch {
      return Message("Could not write \(path): \(error.localizedDescription)", kind: .error)
    }
  }

  /// A scripted session for benchmarks: the first frame, `steps` steps forward, then the
  /// backward phase from its first to its last step; each frame drawn. Restores the terminal.
  mutating func scripted(steps: Int) {
    defer { terminal.stop() }
    let size = terminal.size
    _ = update(&model, .resize(width: size.columns, height: size.rows))
    terminal.draw(view(model))
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

  /// A duration in seconds.
  static func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }

  /// Writes a data file (creating its folder); a message only when that fails.
  static func writeData(_ bytes: [UInt8], to path: String) -> Message? {
    let url = URL(fileURLWithPath: path)
    do {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(bytes).write(to: url)
      return nil
    } catch {
      return Message("Could not write \(path): \(error.localizedDescription)", kind: .error)
    }
  }
}
