import ChildProcess
import Foundation

// MARK: - SessionDriver

/// The viewer on a pseudo-terminal, typed into one key at a time, with its frame reports read
/// from a pipe (``FrameStream``). Used by ``KeyBench``.
struct SessionDriver {
  /// Why a session could not be measured.
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  private let process: PTYProcess
  private let frames: FrameStream
  private var last: FrameStream.Frame?
  private let clock = ContinuousClock()
  private let started: ContinuousClock.Instant

  /// Starts `convscope view ARGUMENTS` on a 120×40 pseudo-terminal.
  init(binary: String, arguments: [String], columns: Int = 120, rows: Int = 40) throws {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw Failure(description: "cannot make a pipe") }
    _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    var env = ProcessInfo.processInfo.environment
    env["TERM"] = "xterm-256color"
    env["LANG"] = "C.UTF-8"
    for name in ["NO_COLOR", "COLUMNS", "LINES", "TMUX"] { env.removeValue(forKey: name) }
    started = clock.now
    do {
      process = try PTYProcess(
        binary, ["view"] + arguments + ["--bench-frame-fd", "3"], environment: env,
        columns: columns, rows: rows, descriptor3: fds[1])
    } catch {
      close(fds[0])
      close(fds[1])
      throw Failure(description: "\(error)")
    }
    close(fds[1])
    frames = FrameStream(fd: fds[0])
  }

  /// Kills the viewer if it still runs.
  func stop() {
    process.kill()
    frames.close()
  }

  /// Seconds from the start to the first frame.
  mutating func firstFrame() throws -> Double {
    let f = try nextFrame()
    last = f
    try waitIdle()
    return seconds(from: started, to: f.at)
  }

  /// Types `bytes` once the viewer is idle; the seconds to the frame that read them and, when
  /// they started slow work, to the first frame after it arrived.
  mutating func type(_ bytes: [UInt8]) throws -> (latency: Double, settle: Double?) {
    try waitIdle()
    let before = last?.inputs ?? 0
    let t0 = clock.now
    process.send(bytes)
    var f = try nextFrame()
    while f.inputs <= before { f = try nextFrame() }
    last = f
    let latency = seconds(from: t0, to: f.at)
    guard f.busy else { return (latency, nil) }
    while f.busy { f = try nextFrame() }
    last = f
    return (latency, seconds(from: t0, to: f.at))
  }

  /// From the first step of the forward phase at the top speed: plays until the phase ends or
  /// `limit` seconds pass (then pauses), and reports the time, frames and steps.
  mutating func playWholePhase(limit: Double = 10) throws -> KeyBench.Play {
    for _ in 0..<8 where last?.phase != "forward" { _ = try type(Array("\t".utf8)) }
    _ = try type(Array("\u{1b}[H".utf8))  // Home
    // The top speed: + until it stops changing anything (each press doubles the speed).
    for _ in 0..<KeyBench.speedPresses { _ = try type(Array("+".utf8)) }
    try waitIdle()
    let startStep = last?.step ?? -1
    let before = last?.inputs ?? 0
    let t0 = clock.now
    process.send(Array(" ".utf8))
    var frameCount = 0
    var f = try nextFrame()
    while f.inputs <= before { f = try nextFrame() }
    while f.playing {
      frameCount += 1
      if seconds(from: t0, to: clock.now) > limit {
        process.send(Array(" ".utf8))
        while f.playing { f = try nextFrame() }
        break
      }
      f = try nextFrame()
    }
    last = f
    return KeyBench.Play(
      seconds: seconds(from: t0, to: f.at), frames: frameCount, steps: f.step - startStep,
      phaseSteps: f.steps)
  }

  /// Quits with `q`; the peak RSS the viewer reported.
  mutating func quit() throws -> Int? {
    try waitIdle()
    process.send(Array("q".utf8))
    var rss: Int?
    while let line = try frames.next(timeout: KeyBench.frameDeadline) {
      if case .exit(let r) = line {
        rss = r
        break
      }
    }
    guard process.wait(timeout: 10) == 0 else {
      throw Failure(description: "the viewer did not exit with 0 after q")
    }
    return rss
  }

  // MARK: Internals

  /// Waits until no work is awaited and no frame came for 20 ms.
  private mutating func waitIdle() throws {
    while true {
      guard let line = try frames.next(timeout: last?.busy == true ? KeyBench.frameDeadline : 0.02)
      else {
        if last?.busy == true { throw Failure(description: "slow work never finished") }
        return
      }
      if case .frame(let f) = line { last = f }
    }
  }

  private func nextFrame() throws -> FrameStream.Frame {
    while true {
      guard let line = try frames.next(timeout: KeyBench.frameDeadline) else {
        throw Failure(description: "no frame within \(Int(KeyBench.frameDeadline)) s")
      }
      if case .frame(let f) = line { return f }
    }
  }

  private func seconds(from a: ContinuousClock.Instant, to b: ContinuousClock.Instant) -> Double {
    let d = a.duration(to: b)
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }
}

// MARK: - FrameStream

/// The viewer's frame reports (``ConvApp/FrameReport/line``), read from a pipe with `poll`,
/// each stamped with the moment it was read.
final class FrameStream {
  /// A frame report.
  struct Frame {
    var inputs: Int
    var busy: Bool
    var step: Int
    var steps: Int
    var phase: String
    var playing: Bool
    var at: ContinuousClock.Instant
  }

  /// A line of the stream.
  enum Line {
    case frame(Frame)
    case exit(rssKiB: Int?)
  }

  private var fd: Int32
  private var buffer: [UInt8] = []

  init(fd: Int32) {
    self.fd = fd
  }

  func close() {
    if fd >= 0 { _ = Glibc.close(fd) }
    fd = -1
  }

  deinit { close() }

  /// The next line, waiting at most `timeout` seconds; nil when none came. Throws when the
  /// viewer closed the pipe (it ended).
  func next(timeout: Double) throws -> Line? {
    let clock = ContinuousClock()
    let end = clock.now + .microseconds(Int(timeout * 1e6))
    while true {
      if let newline = buffer.firstIndex(of: 10) {
        let text = String(decoding: buffer[..<newline], as: UTF8.self)
        buffer.removeSubrange(...newline)
        if let line = parse(text, at: clock.now) { return line }
        continue
      }
      let left = clock.now.duration(to: end)
      let ms = max(
        0,
        Int(left.components.seconds) * 1000
          + Int(left.components.attoseconds / 1_000_000_000_000_000))
      var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let r = poll(&p, 1, Int32(clamping: ms))
      if r < 0, errno == EINTR { continue }
      if r == 0 { return nil }
      var chunk = [UInt8](repeating: 0, count: 4096)
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0, errno == EINTR { continue }
      if n <= 0 { throw SessionDriver.Failure(description: "the viewer ended") }
      buffer += chunk[0..<n]
    }
  }

  private func parse(_ text: String, at: ContinuousClock.Instant) -> Line? {
    let parts = text.split(separator: " ")
    if parts.first == "exit" {
      return .exit(rssKiB: parts.dropFirst().first.flatMap { Int($0.dropFirst("rss_kib=".count)) })
    }
    guard parts.count == 7, parts[0] == "frame", let inputs = Int(parts[1]),
      let step = Int(parts[3]), let steps = Int(parts[4])
    else { return nil }
    return .frame(
      Frame(
        inputs: inputs, busy: parts[2] == "1", step: step, steps: steps, phase: String(parts[5]),
        playing: parts[6] == "1", at: at))
  }
}
