import ChildProcess
import Foundation
import Testing

// MARK: - Driving the real binary in tmux

/// A tmux session running a command, driven like a person: keys in, screen text out.
///
/// Every session runs on a tmux server of its own (`tmux -L <socket>`, a fresh name each time),
/// killed by ``kill()``: nothing else on the machine (the user's tmux, another test run, a
/// `tmux kill-server`) can end it, and it disturbs nothing either.
struct TmuxSession {
  let name: String
  /// The socket name of this session's own tmux server.
  let socket: String
  let statusFile: URL
  /// The program's working folder (files it writes, e.g. an exported frame, land here).
  let folder: URL

  /// `tmux -L <socket>` and `arguments`: a command for this session's own server.
  func tmux(_ arguments: [String]) -> [String] { ["tmux", "-L", socket] + arguments }

  /// Whether tmux is installed (CI installs it; `make test` does too).
  static var available: Bool {
    (try? run("/usr/bin/env", ["tmux", "-V"]))?.status == 0
  }

  /// Starts `arguments` of convscope in a new detached session of `width`×`height`.
  /// The pane stays open after the program exits, and its exit status lands in `statusFile`.
  static func start(
    _ arguments: [String], width: Int = 100, height: Int = 32, environment: [String: String] = [:]
  ) throws -> TmuxSession {
    let id = UUID().uuidString.prefix(8)
    let name = "cs-test-\(id)"
    let session = TmuxSession(
      name: name, socket: "convscope-test-\(getpid())-\(id)",
      statusFile: FileManager.default.temporaryDirectory.appendingPathComponent("\(name).status"),
      folder: FileManager.default.temporaryDirectory.appendingPathComponent("\(name).cwd"))
    let status = session.statusFile
    let folder = session.folder
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    // A known environment: UTF-8, 256 colours, and no NO_COLOR (swift test sets it).
    let env = (["LANG": "C.UTF-8", "TERM": "xterm-256color"].merging(environment) { $1 })
      .sorted { $0.key < $1.key }
      .map { "\($0.key)=\(shellQuote($0.value))" }.joined(separator: " ")
    let command =
      "env -u NO_COLOR -u COLORTERM -u LC_ALL \(env) \(shellQuote(Binary.path)) "
      + "\(arguments.map(shellQuote).joined(separator: " "));"
      + " echo $? > \(shellQuote(status.path)); sleep 600"
    // The server keeps its standard streams: do not capture them, or reading never ends.
    let r = try run(
      "/usr/bin/env",
      session.tmux([
        "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", "-c", folder.path,
        command,
      ]),
      capture: false)
    #expect(r.status == 0, "tmux new-session failed: \(r.output)")
    return session
  }

  /// The screen as text lines.
  func screen() throws -> String {
    try TmuxSession.run("/usr/bin/env", tmux(["capture-pane", "-p", "-t", name])).output
  }

  /// The screen with colours (SGR escapes).
  func screenWithColours() throws -> String {
    try TmuxSession.run("/usr/bin/env", tmux(["capture-pane", "-p", "-e", "-t", name])).output
  }

  /// Sends tmux key names (`Right`, `Space`, `q`, `Escape`, `C-c`).
  func send(_ keys: String...) throws {
    _ = try TmuxSession.run("/usr/bin/env", tmux(["send-keys", "-t", name] + keys))
  }

  /// Sends literal text.
  func type(_ text: String) throws {
    _ = try TmuxSession.run("/usr/bin/env", tmux(["send-keys", "-l", "-t", name, text]))
  }

  func resize(width: Int, height: Int) throws {
    _ = try TmuxSession.run(
      "/usr/bin/env", tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"]))
  }

  /// A tmux format value of the pane, e.g. `#{alternate_on}`.
  func display(_ format: String) throws -> String {
    try TmuxSession.run("/usr/bin/env", tmux(["display-message", "-p", "-t", name, format]))
      .output.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The pid of the program (the child of the pane's shell).
  func programPID() throws -> Int32? {
    let shell = try display("#{pane_pid}")
    let r = try TmuxSession.run("/usr/bin/env", ["pgrep", "-P", shell, "-f", "convscope"])
    return r.output.split(separator: "\n").first.flatMap { Int32($0) }
  }

  /// Waits until the screen satisfies `condition` (up to `timeout` seconds); returns the last
  /// screen either way.
  ///
  /// A big frame reaches tmux in more than one write, so a capture may catch one half drawn:
  /// the condition must hold on two captures in a row, and the second is returned.
  @discardableResult
  func waitFor(timeout: Double = 10, _ condition: (String) -> Bool) throws -> String {
    let deadline = Date().addingTimeInterval(timeout)
    var last = ""
    var held = false
    repeat {
      last = try screen()
      if condition(last) {
        if held { return last }
        held = true
        Thread.sleep(forTimeInterval: 0.03)
        continue
      }
      held = false
      Thread.sleep(forTimeInterval: 0.05)
    } while Date() < deadline
    return last
  }

  /// The program's exit status once it has exited (waits up to `timeout` seconds).
  func exitStatus(timeout: Double = 10) -> Int32? {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
      if let text = try? String(contentsOf: statusFile, encoding: .utf8),
        let s = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
      {
        return s
      }
      Thread.sleep(forTimeInterval: 0.05)
    } while Date() < deadline
    return nil
  }

  /// Waits until the program has read everything typed so far: the pane's terminal holds no
  /// unread input for a few checks in a row (up to `timeout` seconds). False on timeout.
  func waitForDrainedInput(timeout: Double) throws -> Bool {
    let tty = try display("#{pane_tty}")
    let fd = open(tty, O_RDONLY | O_NOCTTY | O_NONBLOCK)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    let deadline = Date().addingTimeInterval(timeout)
    var quiet = 0
    repeat {
      var pending: Int32 = 0
      guard ioctl(fd, UInt(FIONREAD), &pending) == 0 else { return false }
      quiet = pending == 0 ? quiet + 1 : 0
      if quiet >= 5 { return true }
      Thread.sleep(forTimeInterval: 0.1)
    } while Date() < deadline
    return false
  }

  /// Ends the program, the session and this session's tmux server; removes its files.
  func kill() {
    _ = try? TmuxSession.run("/usr/bin/env", tmux(["kill-server"]))
    // The server leaves its socket behind.
    let sockets = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
    try? FileManager.default.removeItem(atPath: "\(sockets)/tmux-\(getuid())/\(socket)")
    try? FileManager.default.removeItem(at: statusFile)
    try? FileManager.default.removeItem(at: folder)
  }

  // MARK: Helpers

  static func shellQuote(_ s: String) -> String {
    "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// Runs `executable` (at most 30 s) and returns its status and its output, both streams.
  static func run(_ executable: String, _ arguments: [String], capture: Bool = true) throws -> (
    status: Int32, output: String
  ) {
    let r = try ChildProcess.run(executable, arguments, capture: capture, timeout: 30)
    if r.timedOut { Issue.record("\(arguments.joined(separator: " ")) hung for 30 s: killed") }
    return (r.status, r.stdoutText + r.stderrText)
  }
}

/// The "step k/N" the status bar shows, if any.
func statusStep(_ screen: String) -> Int? {
  guard let range = screen.range(of: #"step (\d+)/\d+"#, options: .regularExpression) else {
    return nil
  }
  let text = screen[range].dropFirst(5)
  return Int(text.prefix { $0.isNumber })
}
