import ArgumentParser
import ConvCore
import ConvFormats
import ConvKernels

// MARK: - BenchCommand

/// `convscope bench [--json] [--threads N] [--kernels SET]`: how fast the layer math runs on this machine.
///
/// The report is a list of sections so that more figures (step engine, view + draw, start-up)
/// can be added beside `layers`; with `--json` it is one JSON object whose `layers` holds
/// `article` and `large`, each with `forward`, `backward` and `forward_backward`, each with
/// `median_s`, `best_s` and `gflops` (at the median).
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Time forward, backward and forward+backward of the benchmark layers.",
    discussion: """
      Runs the fast path on two layers (the article's: N=10, C=1, 32×32, F=16, 5×5, pad 2; \
      a large one: N=8, C=16, 64×64, F=32, 3×3, pad 1), each pass several times after a \
      warm-up, and prints the median and best time and GFLOP/s (forward = 2·N·F·OH·OW·C·KH·KW \
      FLOP, backward = twice that), the FMA peak of one core, and the peak resident memory.
      """)

  @Flag(name: .long, help: "Print one JSON object instead of a table.")
  var json = false

  @Option(
    name: .long,
    help: "Threads for the layer math (default: one for small layers, every core for large).")
  var threads: Int?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The inner loops: auto (the fastest this processor runs), portable, avx2 or avx512 "
        + "(default: the set $CONVSCOPE_KERNELS names, else auto).",
      valueName: "set"))
  var kernels: String?

  @Option(
    name: .long, parsing: .unconditional, help: "Timed runs of each pass (after the warm-up).")
  var runs = 25

  @Option(name: .long, parsing: .unconditional, help: "Untimed warm-up runs of each pass.")
  var warmup = 3

  @Flag(
    name: .long,
    help: "Time layers of growing size on one thread and on every core (to set the threshold).")
  var threadSweep = false

  @Flag(name: .long, help: "Only the layers: skip the step engine, frames, sessions and keys.")
  var layersOnly = false

  @Flag(name: .long, help: "Only the key timings in the viewer (the keys section).")
  var keysOnly = false

  @Option(
    name: .long, parsing: .unconditional,
    help: "Sessions of the viewer per layer for the key timings (the key script typed in each).")
  var keyRounds = 3

  @Flag(name: .long, help: "Print every key's time to standard error as it is typed.")
  var keyLog = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Only these layers for the key timings, comma-separated: first_lesson, article, "
        + "photo_256, photo_1024 (default: these four), photo_256_depthwise (grouped, reflect "
        + "padding: on request), transposed_64 (a transposed layer's stamp view: on request).",
      valueName: "names"))
  var keyLayers: String?

  func validate() throws {
    if let kernels, kernels != "auto" {
      guard let set = FastKernelSet(rawValue: kernels) else {
        throw ValidationError("--kernels must be auto, portable, avx2 or avx512 (got \(kernels))")
      }
      guard set.isAvailable else {
        throw ValidationError("--kernels \(kernels): this processor does not run \(set)")
      }
    }
    if let threads, !(1...256).contains(threads) {
      throw ValidationError("--threads must be between 1 and 256 (got \(threads))")
    }
    guard (1...100_000).contains(runs) else {
      throw ValidationError("--runs must be between 1 and 100000 (got \(runs))")
    }
    if let keyLayers {
      for name in keyLayers.split(separator: ",") where !KeyBench.layerNames.contains(String(name))
      {
        throw ValidationError(
          "--key-layers: no layer \(name); choose from "
            + KeyBench.layerNames.joined(separator: ", "))
      }
    }
    guard (1...100).contains(keyRounds) else {
      throw ValidationError("--key-rounds must be between 1 and 100 (got \(keyRounds))")
    }
    if keysOnly && (layersOnly || threadSweep) {
      throw ValidationError("--keys-only goes with neither --layers-only nor --thread-sweep")
    }
    guard (0...10_000).contains(warmup) else {
      throw ValidationError("--warmup must be between 0 and 10000 (got \(warmup))")
    }
  }

  /// The set `--kernels` names; `auto` is the best, no option the process default.
  var kernelSet: FastKernelSet {
    guard let kernels else { return .processDefault }
    return FastKernelSet(rawValue: kernels) ?? .best
  }

  func run() throws {
    if threadSweep {
      let cores = threads ?? FastConv.processorCount
      let rows = try ThreadSweep.run(cores: cores, warmup: warmup, runs: runs)
      try Output.print(ThreadSweep.table(rows, cores: cores))
      return
    }
    FastConv.threadCount = threads ?? 0
    FastConv.kernels = kernelSet
    if keysOnly {
      let keys = KeyBench.measure(
        rounds: keyRounds, only: keyLayers.map { $0.split(separator: ",").map(String.init) },
        log: keyLog)
      if json {
        try Output.print(try JSONOutput.text(KeysOnly(keys: keys), layout: .pretty), terminator: "")
      } else {
        try Output.print(keys.table())
      }
      return
    }
    var line = ProgressLine("bench", total: layersOnly ? 3 : 4)
    var report = try BenchReport.measure(runs: runs, warmup: warmup, threadSetting: threads) {
      done, what in line.update(done, detail: "parts, timing \(what)", always: true)
    }
    if !layersOnly {
      line.update(3, detail: "parts, timing the step engine, frames and sessions", always: true)
      report.ui = try UIBench.measure(runs: runs)
      line.update(3, detail: "parts, typing keys into the viewer", always: true)
      report.keys = KeyBench.measure(
        rounds: keyRounds, only: keyLayers.map { $0.split(separator: ",").map(String.init) },
        log: keyLog)
    }
    line.finish()
    if json {
      try Output.print(try JSONOutput.text(report, layout: .pretty), terminator: "")
    } else {
      try Output.print(report.table() + (report.ui?.table() ?? ""))
    }
  }
}

/// `bench --keys-only --json`: `{"keys": …}`.
struct KeysOnly: Encodable {
  let keys: KeyBench
}
