import ChildProcess
import ConvApp
import ConvCore
import ConvLessons
import Foundation

// MARK: - KeyBench

/// `convscope bench`'s `keys` section: the real viewer on a pseudo-terminal of 120×40, a fixed
/// key script typed into it, and the time from each key written to the frame that shows it.
///
/// The viewer (`--bench-frame-fd 3`) writes a line after every frame it draws (``FrameReport``):
/// how many input events it had read, whether slow work is awaited, the tick, the phase and
/// whether it plays. A key's **latency** runs from writing its bytes to the first frame that
/// read it; its **settle** time, when the key started slow work, to the first frame after that
/// work arrived. Each key is typed once the viewer is idle (no work awaited, 20 ms without a
/// frame), so keys do not queue behind each other. Also measured: start-up (process start to
/// the first frame), play (the whole phase at the top speed: time, frames drawn, steps per
/// second) and the session's peak RSS (`VmHWM`, reported by the viewer as it exits).
struct KeyBench {
  /// One layer's session.
  struct Layer: Sendable {
    let name: String
    let title: String
    let arguments: [String]
    /// Timed only when `--key-layers` names it.
    var onRequest = false
  }

  /// One key of the script, as typed.
  struct Key: Sendable {
    let name: String
    let bytes: [UInt8]
    init(_ name: String, _ text: String) {
      self.name = name
      self.bytes = Array(text.utf8)
    }
  }

  /// The timings of one named key over the script.
  struct KeyTiming {
    let name: String
    var latencies: [Double] = []
    var settles: [Double] = []
  }

  /// Playing the whole phase at the top speed (or for at most 10 s).
  struct Play {
    /// Seconds from Space to the last frame of the play.
    var seconds: Double
    /// Frames drawn meanwhile.
    var frames: Int
    /// Steps walked.
    var steps: Int
    /// Steps in the phase.
    var phaseSteps: Int
    /// Steps per second.
    var rate: Double { seconds > 0 ? Double(steps) / seconds : .nan }
    /// Frames per second.
    var frameRate: Double { seconds > 0 ? Double(frames) / seconds : .nan }
  }

  /// `+` presses that reach the top speed from any speed.
  static let speedPresses = 40

  /// One layer's figures.
  struct Result {
    let layer: Layer
    var startups: [Double] = []
    var keys: [KeyTiming] = []
    var play: Play?
    var peakRSSKiB: Int?
    var failure: String?
  }

  /// Seconds a session may take before it is killed and reported as failed.
  static let sessionDeadline: Double = 300
  /// Seconds the script waits for one frame (a key's, or slow work's).
  static let frameDeadline: Double = 60

  var results: [Result] = []

  // MARK: The layers and the script

  /// The four layers of issue 14: the first lesson, the article's layer, the 256×256 RGB photo
  /// with 16 filters, and a 1024×1024 RGB photo with 16 filters (`photo1024`, written by the
  /// bench into a temporary folder).
  static func layers(photo1024: String?) -> [Layer] {
    var layers = [
      Layer(name: "first_lesson", title: "first lesson (7×7, one 3×3 filter)", arguments: []),
      Layer(
        name: "article", title: "--article (32×32, 16 filters, batch 10)", arguments: ["--article"]),
      Layer(
        name: "photo_256", title: "256×256 RGB photo, 16 filters",
        arguments: ["--input", "photo:large", "--max-size", "0", "--filters", "16"]),
      Layer(
        name: "photo_256_depthwise",
        title: "256×256 RGB photo, depthwise ×4 (12 filters, groups 3), reflect padding",
        arguments: [
          "--input", "photo:large", "--max-size", "0", "--filters", "12", "--groups", "3",
          "--padding", "1",
          "--padding-mode", "reflect",
        ], onRequest: true),
      Layer(
        name: "transposed_64",
        title: "transposed 64×64 → 128×128, 16 → 16 channels, k 4, stride 2, batch 2",
        arguments: [
          "--transposed", "--input-size", "64", "--channels", "16", "--filters", "16",
          "--kernel-size", "4", "--stride", "2", "--padding", "1", "--batch", "2",
        ], onRequest: true),
    ]
    if let photo1024 {
      layers.append(
        Layer(
          name: "photo_1024", title: "1024×1024 RGB photo, 16 filters",
          arguments: ["--input", photo1024, "--max-size", "0", "--filters", "16"]))
    }
    return layers
  }

  /// The names of the layers: the four of issue 14, and two of issue 15 timed on request.
  static let layerNames = [
    "first_lesson", "article", "photo_256", "photo_1024", "photo_256_depthwise", "transposed_64",
  ]

  /// The key script: in every phase steps, rows, the ends and a typed seek; then filters,
  /// samples, channels, the display keys, a click, an edit, randomise and reset.
  static func script(phases: Int) -> [Key] {
    let right = Key("→ next step", "\u{1b}[C")
    let left = Key("← previous step", "\u{1b}[D")
    var keys: [Key] = []
    for _ in 0..<phases {
      keys += Array(repeating: right, count: 6) + Array(repeating: left, count: 3)
      keys += [
        Key("↓ next row", "\u{1b}[B"), Key("↓ next row", "\u{1b}[B"),
        Key("↑ previous row", "\u{1b}[A"),
      ]
      keys += [Key("End last step", "\u{1b}[F"), left, Key("Home first step", "\u{1b}[H"), right]
      keys += [Key(": go to", ":"), Key("digit", "1"), Key("digit", "7"), Key("digit", "5")]
      keys += [Key("Enter (seek)", "\r"), right, Key("m step size", "m"), right, left]
      keys += [Key("m step size", "m"), Key("m step size", "m"), Key("m step size", "m")]
      keys += [Key("f next filter", "f"), Key("F previous filter", "F"), Key("b next sample", "b")]
      keys += [right, Key("B previous sample", "B"), Key("Tab next phase", "\t")]
    }
    keys += [
      Key("c channel", "c"), Key("v value mode", "v"), Key("z zoom", "z"), Key("s scale", "s"),
    ]
    keys += [
      Key("P palette", "P"), Key("p picture", "p"), Key("p picture", "p"), Key("e formula", "e"),
    ]
    keys += [
      Key("click", "\u{1b}[<0;30;12M\u{1b}[<0;30;12m"), Key("Shift-Tab previous phase", "\u{1b}[Z"),
    ]
    keys += [Key("i edit", "i"), Key("edit: move", "\u{1b}[C"), Key("edit: digit", "2")]
    keys += [Key("edit: Enter (recompute)", "\r"), Key("Esc (ncurses waits 25 ms)", "\u{1b}")]
    keys += [Key("R randomise", "R"), right, Key("r reset", "r"), right]
    return keys
  }

  // MARK: Measuring

  /// Runs every layer's session (`only` these, when given) `rounds` times, the script typed in
  /// each, every key's time on standard error when `log`; the 1024×1024 photo is written first
  /// into a temporary folder (left out when it cannot be).
  static func measure(rounds: Int, only: [String]? = nil, log: Bool = false) -> KeyBench {
    let includeLarge = only?.contains("photo_1024") ?? true
    var bench = KeyBench()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-bench-\(getpid())")
    defer { try? FileManager.default.removeItem(at: folder) }
    var photo: String?
    if includeLarge {
      try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      photo = try? BenchPhoto.write1024(to: folder.appendingPathComponent("photo-1024.ppm").path)
    }
    for layer in layers(photo1024: photo) where only?.contains(layer.name) ?? !layer.onRequest {
      var merged = Result(layer: layer)
      for _ in 0..<max(1, rounds) {
        let r = session(layer, log: log)
        merged.merge(r)
        if r.failure != nil { break }
      }
      bench.results.append(merged)
    }
    return bench
  }

  /// One session of `layer`: start, the script, play, quit.
  static func session(_ layer: Layer, log: Bool = false) -> Result {
    var result = Result(layer: layer)
    guard let binary = Bundle.main.executablePath else {
      result.failure = "cannot find this executable"
      return result
    }
    do {
      var driver = try SessionDriver(binary: binary, arguments: layer.arguments)
      defer { driver.stop() }
      result.startups = [try driver.firstFrame()]
      var timings: [String: KeyTiming] = [:]
      var order: [String] = []
      for key in script(phases: 3) {
        let (latency, settle) = try driver.type(key.bytes)
        if log {
          printError(
            String(
              format: "%@  %@ %.2f ms%@", layer.name, key.name, latency * 1e3,
              settle.map { String(format: " (settled %.2f ms)", $0 * 1e3) } ?? ""))
        }
        if timings[key.name] == nil { order.append(key.name) }
        timings[key.name, default: KeyTiming(name: key.name)].latencies.append(latency)
        if let settle {
          timings[key.name, default: KeyTiming(name: key.name)].settles.append(settle)
        }
      }
      result.keys = order.compactMap { timings[$0] }
      result.play = try driver.playWholePhase()
      result.peakRSSKiB = try driver.quit()
    } catch {
      result.failure = "\(error)"
    }
    return result
  }
}

extension KeyBench.Result {
  /// Adds another round's figures to these.
  mutating func merge(_ other: KeyBench.Result) {
    startups += other.startups
    failure = failure ?? other.failure
    for k in other.keys {
      if let i = keys.firstIndex(where: { $0.name == k.name }) {
        keys[i].latencies += k.latencies
        keys[i].settles += k.settles
      } else {
        keys.append(k)
      }
    }
    if let p = other.play, play == nil || p.seconds < play?.seconds ?? .infinity { play = p }
    if let r = other.peakRSSKiB { peakRSSKiB = max(peakRSSKiB ?? 0, r) }
  }
}

// MARK: - Statistics

extension KeyBench {
  /// The value at quantile `q` (0…1) of `values`, nearest rank; nan when empty.
  static func quantile(_ values: [Double], _ q: Double) -> Double {
    let s = values.sorted()
    guard !s.isEmpty else { return .nan }
    let rank = Int((q * Double(s.count)).rounded(.up)) - 1
    return s[max(0, min(s.count - 1, rank))]
  }

  /// Every key's latencies but Esc's (which waits for ncurses' escape delay by design).
  static func allLatencies(_ r: Result) -> [Double] {
    r.keys.filter { !$0.name.hasPrefix("Esc") }.flatMap(\.latencies)
  }
}

// MARK: - Reporting

extension KeyBench {
  /// The section of `convscope bench`'s table.
  func table() -> String {
    func ms(_ s: Double) -> String { s.isFinite ? String(format: "%7.2f", s * 1e3) : "    n/a" }
    var lines = [
      "", "",
      "Keys in the viewer (120×40 pseudo-terminal): key written → frame drawn, in ms",
    ]
    for r in results {
      lines.append("")
      lines.append("\(r.layer.title)")
      if let failure = r.failure { lines.append("  not measured: \(failure)") }
      let all = KeyBench.allLatencies(r)
      lines.append(
        "  start-up to first frame \(ms(KeyBench.quantile(r.startups, 0.5))) ms (median of \(r.startups.count))"
          + "   peak RSS "
          + (r.peakRSSKiB.map { String(format: "%.1f MiB", Double($0) / 1024) } ?? "n/a"))
      lines.append(
        "  every key but Esc: \(all.count) keys, p50 \(ms(KeyBench.quantile(all, 0.5)))"
          + "  p99 \(ms(KeyBench.quantile(all, 0.99)))  max \(ms(all.max() ?? .nan))")
      lines.append(
        "  " + "key".padding(toLength: 30, withPad: " ", startingAt: 0)
          + "    n      p50      p99      max   settled (max)")
      for k in r.keys {
        let settled = k.settles.isEmpty ? "" : "  \(ms(k.settles.max() ?? .nan))"
        lines.append(
          "  " + k.name.padding(toLength: 30, withPad: " ", startingAt: 0)
            + String(format: "%5d", k.latencies.count)
            + "  \(ms(KeyBench.quantile(k.latencies, 0.5)))"
            + "  \(ms(KeyBench.quantile(k.latencies, 0.99)))  \(ms(k.latencies.max() ?? .nan))"
            + settled)
      }
      if let p = r.play {
        lines.append(
          String(
            format:
              "  play at the top speed: %d of %d steps in %.2f s (%.0f steps/s), %d frames (%.0f/s)",
            p.steps, p.phaseSteps, p.seconds, p.rate, p.frames, p.frameRate))
      }
    }
    return lines.joined(separator: "\n")
  }
}

extension KeyBench: Encodable {
  /// `terminal`, `layers` (by name: `title`, `arguments`, `startup_median_s`, `peak_rss_kib`,
  /// `all_keys` and `keys` by name with `count`, `p50_s`, `p99_s`, `max_s`, `settle_max_s`;
  /// `play` with `seconds`, `frames`, `steps`, `phase_steps`, `steps_per_s`, `frames_per_s`;
  /// `failure`).
  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: JSONKey.self)
    try c.encode("120x40", forKey: JSONKey("terminal"))
    var layers = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("layers"))
    for r in results {
      var l = layers.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey(r.layer.name))
      try l.encode(r.layer.title, forKey: JSONKey("title"))
      try l.encode(r.layer.arguments.joined(separator: " "), forKey: JSONKey("arguments"))
      try l.encode(
        finiteOrNull(KeyBench.quantile(r.startups, 0.5)), forKey: JSONKey("startup_median_s"))
      try l.encode(r.peakRSSKiB, forKey: JSONKey("peak_rss_kib"))
      try l.encode(r.failure, forKey: JSONKey("failure"))
      try KeyBench.encode(
        KeyTiming(name: "all", latencies: KeyBench.allLatencies(r)), into: &l, key: "all_keys")
      var keys = l.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("keys"))
      for k in r.keys { try KeyBench.encode(k, into: &keys, key: k.name) }
      if let p = r.play {
        var play = l.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("play"))
        try play.encode(finiteOrNull(p.seconds), forKey: JSONKey("seconds"))
        try play.encode(p.frames, forKey: JSONKey("frames"))
        try play.encode(p.steps, forKey: JSONKey("steps"))
        try play.encode(p.phaseSteps, forKey: JSONKey("phase_steps"))
        try play.encode(finiteOrNull(p.rate), forKey: JSONKey("steps_per_s"))
        try play.encode(finiteOrNull(p.frameRate), forKey: JSONKey("frames_per_s"))
      }
    }
  }

  private static func encode(
    _ k: KeyTiming, into c: inout KeyedEncodingContainer<JSONKey>, key: String
  ) throws {
    var o = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey(key))
    try o.encode(k.latencies.count, forKey: JSONKey("count"))
    try o.encode(finiteOrNull(quantile(k.latencies, 0.5)), forKey: JSONKey("p50_s"))
    try o.encode(finiteOrNull(quantile(k.latencies, 0.99)), forKey: JSONKey("p99_s"))
    try o.encode(finiteOrNull(k.latencies.max() ?? .nan), forKey: JSONKey("max_s"))
    try o.encode(finiteOrNull(k.settles.max() ?? .nan), forKey: JSONKey("settle_max_s"))
  }
}
