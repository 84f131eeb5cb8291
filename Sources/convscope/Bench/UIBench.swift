import ConvApp
import ConvCore
import ConvStepper
import Foundation
import NCursesBackend
import TermUI

// MARK: - UIBench

/// The interactive figures of `convscope bench`: the step engine on the article's layer, one
/// frame (view + ncurses draw) at 80×24 and 200×60, start-up to the first frame, and the peak
/// memory of interactive sessions.
struct UIBench {
  /// Timings of one operation, in seconds.
  struct Timing {
    let name: String
    let runs: [Double]
    var median: Double {
      let s = runs.sorted()
      guard !s.isEmpty else { return .nan }
      return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    var best: Double { runs.min() ?? .nan }
    var p90: Double {
      let s = runs.sorted()
      return s.isEmpty ? .nan : s[min(s.count - 1, Int(Double(s.count) * 0.9))]
    }
  }

  /// A session of the real viewer in a pseudo-terminal: its wall time and peak memory.
  struct Session {
    let name: String
    let arguments: [String]
    let wall: [Double]
    let peakRSSKiB: Int?
  }

  var stepper: [Timing] = []
  var frames: [Timing] = []
  var sessions: [Session] = []

  // MARK: Measuring

  static func measure(runs: Int) throws -> UIBench {
    var b = UIBench()
    b.stepper = try stepEngine(runs: max(200, runs * 20))
    b.frames = try frames(runs: max(50, runs * 4))
    b.sessions = sessions(repeats: max(3, min(9, runs / 3)))
    return b
  }

  static func clocked(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let t0 = clock.now
    try body()
    let d = t0.duration(to: clock.now)
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }

  /// Step ±1 and seeks on the article's layer, one sample's timeline (16 384 windows).
  static func stepEngine(runs: Int) throws -> [Timing] {
    let scenario = try Scenario.article()
    var trace: LayerTrace?
    let build = try clocked { trace = try LayerTrace(scenario) }
    guard let trace else { return [] }
    var out = [Timing(name: "trace_build (10 samples, all phases)", runs: [build])]
    var g = SeededGenerator(seed: 7)
    for phase in [Phase.forward, .backward] {
      let t = try Timeline(trace: trace, phase: phase, scope: TimelineScope(sample: 3))
      var cursor = Cursor(timeline: t, tick: t.endTick(ofUnit: t.windowCount / 2, .window))
      var plus: [Double] = []
      var minus: [Double] = []
      for _ in 0..<runs {
        plus.append(clocked { cursor.step(1, granularity: .window) })
      }
      for _ in 0..<runs {
        minus.append(clocked { cursor.step(-1, granularity: .window) })
      }
      var seeks: [Double] = []
      for _ in 0..<runs {
        let target = Int(g.next() % UInt64(t.tickCount))
        seeks.append(clocked { cursor.seek(to: target) })
      }
      out.append(Timing(name: "\(phase)_step_plus_1", runs: plus))
      out.append(Timing(name: "\(phase)_step_minus_1", runs: minus))
      out.append(Timing(name: "\(phase)_seek_random", runs: seeks))
    }
    return out
  }

  /// `view` alone and `view` + ncurses draw (off-screen, every escape sequence still made) per
  /// frame while walking the article's layer.
  static func frames(runs: Int) throws -> [Timing] {
    var out: [Timing] = []
    let scenario = try Scenario.article()
    for (w, h) in [(80, 24), (200, 60)] {
      let terminal = NCursesTerminal()
      let caps = try terminal.startOffscreen(columns: w, rows: h)
      defer { terminal.stop() }
      var model = try Model(scenario: scenario, capabilities: caps, width: w, height: h)
      terminal.draw(view(model))
      var views: [Double] = []
      var both: [Double] = []
      for i in 0..<runs {
        _ = update(&model, .key(i % 50 == 49 ? .down : .right))
        var buffer = CellBuffer(width: 0, height: 0)
        let v = clocked { buffer = view(model) }
        let d = clocked { terminal.draw(buffer) }
        views.append(v)
        both.append(v + d)
      }
      out.append(Timing(name: "view_\(w)x\(h)", runs: views))
      out.append(Timing(name: "view_and_draw_\(w)x\(h)", runs: both))
    }
    return out
  }

  /// The real viewer in a pseudo-terminal, 120×40: start, first frame, a scripted walk, exit.
  static func sessions(repeats: Int) -> [Session] {
    let cases: [(String, [String])] = [
      ("first_lesson_startup", ["--bench-session", "0"]),
      ("first_lesson_session", ["--bench-session", "300"]),
      ("article_session", ["--article", "--bench-session", "300"]),
      (
        "photo_256_rgb_16_filters_session",
        ["--input", "photo:large", "--max-size", "0", "--filters", "16", "--bench-session", "300"]
      ),
    ]
    return cases.map { name, arguments in
      var wall: [Double] = []
      var rss: Int?
      for _ in 0..<(name.hasSuffix("startup") ? repeats : 1) {
        if let r = PseudoTerminal.run(arguments: arguments) {
          wall.append(r.seconds)
          rss = max(rss ?? 0, r.peakRSSKiB ?? 0)
        }
      }
      return Session(name: name, arguments: arguments, wall: wall, peakRSSKiB: rss)
    }
  }

  // MARK: Reporting

  func table() -> String {
    func us(_ s: Double) -> String { String(format: "%9.1f µs", s * 1e6) }
    func ms(_ s: Double) -> String { String(format: "%8.2f ms", s * 1e3) }
    var lines = ["", "", "Step engine (the article's layer, one sample: 16 384 windows)"]
    for t in stepper {
      lines.append(
        "  " + t.name.padding(toLength: 38, withPad: " ", startingAt: 0)
          + (t.runs.count == 1 ? ms(t.median) : "median \(us(t.median))  p90 \(us(t.p90))"))
    }
    lines.append("")
    lines.append("Frames while walking the article's layer (ncurses drawing to /dev/null)")
    for t in frames {
      lines.append(
        "  " + t.name.padding(toLength: 38, withPad: " ", startingAt: 0)
          + "median \(us(t.median))  p90 \(us(t.p90))")
    }
    lines.append("")
    lines.append("The viewer in a pseudo-terminal (120×40): process start to exit")
    for s in sessions {
      let t = Timing(name: s.name, runs: s.wall)
      lines.append(
        "  " + s.name.padding(toLength: 38, withPad: " ", startingAt: 0) + "wall \(ms(t.median))"
          + "  peak RSS "
          + (s.peakRSSKiB.map { String(format: "%6.1f MiB", Double($0) / 1024) } ?? "n/a"))
    }
    return lines.joined(separator: "\n")
  }
}

extension UIBench.Timing: Encodable {
  /// `median_s`, `best_s`, `p90_s`, `runs`.
  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: JSONKey.self)
    try c.encode(finiteOrNull(median), forKey: JSONKey("median_s"))
    try c.encode(finiteOrNull(best), forKey: JSONKey("best_s"))
    try c.encode(finiteOrNull(p90), forKey: JSONKey("p90_s"))
    try c.encode(runs.count, forKey: JSONKey("runs"))
  }
}

extension UIBench.Session: Encodable {
  /// `arguments` (one string), `wall_median_s`, `wall_best_s`, `peak_rss_kib`.
  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: JSONKey.self)
    let t = UIBench.Timing(name: name, runs: wall)
    try c.encode(arguments.joined(separator: " "), forKey: JSONKey("arguments"))
    try c.encode(finiteOrNull(t.median), forKey: JSONKey("wall_median_s"))
    try c.encode(finiteOrNull(t.best), forKey: JSONKey("wall_best_s"))
    try c.encode(peakRSSKiB, forKey: JSONKey("peak_rss_kib"))
  }
}

extension UIBench: Encodable {
  /// `step_engine`, `frames` and `sessions`, each an object keyed by the measurement's name.
  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: JSONKey.self)
    func byName<T: Encodable>(_ items: [T], _ name: (T) -> String, _ key: String) throws {
      var members = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey(key))
      for item in items { try members.encode(item, forKey: JSONKey(name(item))) }
    }
    try byName(stepper, \.name, "step_engine")
    try byName(frames, \.name, "frames")
    try byName(sessions, \.name, "sessions")
  }
}
