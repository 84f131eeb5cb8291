import ChildProcess
import Foundation

// MARK: - PseudoTerminal

/// Runs this executable under a pseudo-terminal — util-linux `script`, so the viewer really
/// starts ncurses — and reads what it reports when it exits.
enum PseudoTerminal {
  /// Seconds after which a session is killed and reported as not measured.
  static let sessionDeadline: Double = 120
  struct Result {
    var seconds: Double
    var peakRSSKiB: Int?
  }

  /// Runs `convscope view ARGUMENTS` in a 120×40 pseudo-terminal; nil when that cannot be done
  /// (no `script`, or the viewer failed).
  static func run(arguments: [String]) -> Result? {
    guard let binary = Bundle.main.executablePath,
      FileManager.default.isExecutableFile(atPath: "/usr/bin/script")
    else { return nil }
    let command = ([binary, "view"] + arguments).map(quote).joined(separator: " ")
    var env = ProcessInfo.processInfo.environment
    env["TERM"] = "xterm-256color"
    env["LANG"] = "C.UTF-8"
    env["COLUMNS"] = "120"
    env["LINES"] = "40"
    env.removeValue(forKey: "NO_COLOR")
    let clock = ContinuousClock()
    let t0 = clock.now
    // ChildProcess, not Foundation's Process: that one can miss the child's exit and wait forever.
    // The deadline only stops a hung session: the 256×256 photo's 300 steps take ~1 s in a
    // release build but ~13 s in a debug one, and more on a loaded machine (the test suite).
    guard
      let r = try? ChildProcess.run(
        "/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"], environment: env,
        timeout: sessionDeadline),
      !r.timedOut, r.status == 0
    else { return nil }
    let d = t0.duration(to: clock.now)
    let text = r.stdoutText
    var rss: Int?
    if let r = text.range(of: "convscope-bench rss_kib=") {
      rss = Int(text[r.upperBound...].prefix { $0.isNumber })
    }
    return Result(
      seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18,
      peakRSSKiB: rss)
  }

  static func quote(_ s: String) -> String {
    "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
