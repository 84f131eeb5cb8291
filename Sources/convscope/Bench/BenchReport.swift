import ConvCore
import ConvKernels
import NumberText

// MARK: - BenchReport

/// Everything `convscope bench` measured, in sections: `machine`, `settings`, `layers`,
/// `demo`, `memory`. New sections (the step engine, view + draw, start-up) go beside them, as
/// another member of ``encode(to:)`` and another block of ``table()``.
struct BenchReport {
  /// The thread setting asked for (nil: automatic).
  let threadSetting: Int?
  /// Timed runs per pass.
  let runs: Int
  /// Warm-up runs per pass.
  let warmup: Int
  /// Online processors.
  let processors: Int
  /// One core's FMA peak in GFLOP/s with the kernels the layers ran on.
  let fmaPeak: Double
  /// The kernels the layers ran on.
  let kernels: FastKernelSet
  /// One core's FMA peak in GFLOP/s for every kernel set this processor runs.
  let fmaPeaks: [(FastKernelSet, Double)]
  /// The benchmark layers.
  let layers: [LayerTiming]
  /// The article's program (`ArticleConvLayer` forward + backward with SGD).
  let demo: PassTiming
  /// Peak resident set size in KiB at the end (nil off Linux).
  let peakRSSKiB: Int?
  /// The step engine, frames and sessions (nil with `--layers-only`).
  var ui: UIBench?
  /// The key timings in the real viewer (``KeyBench``), unless skipped.
  var keys: KeyBench?

  /// Runs every measurement; `progress` is told what is measured next (the article layer, the
  /// large layer, the demo).
  static func measure(
    runs: Int, warmup: Int, threadSetting: Int?,
    progress: (_ done: Int, _ what: String) -> Void = { _, _ in }
  ) throws -> BenchReport {
    let kernels = FastConv.kernels
    let peaks = FastKernelSet.available.map { ($0, FastConv.measureFMAPeak(kernels: $0)) }
    let peak = peaks.first { $0.0 == kernels }?.1 ?? FastConv.measureFMAPeak()
    var layers: [LayerTiming] = []
    for (i, layer) in [BenchLayer.article, BenchLayer.large].enumerated() {
      progress(i, "the \(layer.name) layer")
      layers.append(try LayerBench.run(layer, warmup: warmup, runs: runs))
    }
    progress(2, "the demo")
    let demo = try LayerBench.demo(warmup: warmup, runs: runs)
    return BenchReport(
      threadSetting: threadSetting, runs: runs, warmup: warmup,
      processors: FastConv.processorCount, fmaPeak: peak, kernels: kernels, fmaPeaks: peaks,
      layers: layers, demo: demo,
      peakRSSKiB: ProcessMemory.peakResidentKiB())
  }

  // MARK: Table

  /// The human-readable report.
  func table() -> String {
    var lines: [String] = []
    let threadText = threadSetting.map { "\($0)" } ?? "auto"
    lines.append(
      "convscope bench — threads: \(threadText), kernels: \(kernels), \(runs) timed runs after "
        + "\(warmup) warm-up, \(processors) cores")
    lines.append("")
    lines.append(
      pad("layer", 9) + pad("pass", 18) + lpad("median ms", 10) + lpad("best ms", 10)
        + lpad("GFLOP/s", 9) + lpad("threads", 9))
    for l in layers {
      for p in l.passes {
        lines.append(
          pad(l.layer.name, 9) + pad(p.name, 18) + lpad(ms(p.median), 10) + lpad(ms(p.best), 10)
            + lpad(NumberFormat.decimals(p.gflops, 1), 9) + lpad("\(l.threads)", 9))
      }
    }
    lines.append(
      pad("demo", 9) + pad("article program", 18) + lpad(ms(demo.median), 10)
        + lpad(ms(demo.best), 10) + lpad(NumberFormat.decimals(demo.gflops, 1), 9))
    lines.append("")
    lines.append("GFLOP/s at the median; \(LayerBench.flopConvention).")
    lines.append(
      "layers: " + layers.map { "\($0.layer.name) = \($0.layer.title)" }.joined(separator: "; "))
    lines.append(
      "FMA peak, one core: "
        + fmaPeaks.map { "\(NumberFormat.decimals($0.1, 1)) GFLOP/s \($0.0)" }.joined(
          separator: ", "))
    if let kib = peakRSSKiB {
      lines.append("peak RSS (VmHWM): \(NumberFormat.decimals(Double(kib) / 1024, 1)) MiB")
    }
    return lines.joined(separator: "\n")
  }

  private func ms(_ seconds: Double) -> String { NumberFormat.decimals(seconds * 1000, 3) }

  private func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
  }

  private func lpad(_ s: String, _ width: Int) -> String {
    s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s
  }
}

extension BenchReport: Encodable {
  /// `schema`, `machine`, `settings`, `layers` (by name), `demo`, `memory`, `ui` (null with
  /// `--layers-only`).
  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: JSONKey.self)
    try c.encode("convscope-bench/1", forKey: JSONKey("schema"))
    var machine = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("machine"))
    try machine.encode(processors, forKey: JSONKey("processors"))
    try machine.encode(finiteOrNull(fmaPeak), forKey: JSONKey("fma_peak_gflops_one_core"))
    var peaks = machine.nestedContainer(
      keyedBy: JSONKey.self, forKey: JSONKey("fma_peak_gflops_by_kernels"))
    for (set, peak) in fmaPeaks {
      try peaks.encode(finiteOrNull(peak), forKey: JSONKey(set.rawValue))
    }
    try machine.encode(
      FastKernelSet.available.map(\.rawValue), forKey: JSONKey("kernel_sets"))
    var settings = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("settings"))
    if let threadSetting {
      try settings.encode(threadSetting, forKey: JSONKey("threads"))
    } else {
      try settings.encode("auto", forKey: JSONKey("threads"))
    }
    try settings.encode(kernels.rawValue, forKey: JSONKey("kernels"))
    try settings.encode(
      FastConv.parallelThresholdMACs, forKey: JSONKey("parallel_threshold_macs"))
    try settings.encode(runs, forKey: JSONKey("runs"))
    try settings.encode(warmup, forKey: JSONKey("warmup"))
    try settings.encode(LayerBench.flopConvention, forKey: JSONKey("flop_convention"))
    var layerMembers = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("layers"))
    for l in layers { try layerMembers.encode(l, forKey: JSONKey(l.layer.name)) }
    var demoMembers = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("demo"))
    try demoMembers.encode(
      "ArticleConvLayer forward + backward with SGD, as `convscope demo`", forKey: JSONKey("what"))
    try demo.encodeFigures(into: &demoMembers)
    var memory = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("memory"))
    try memory.encode(peakRSSKiB, forKey: JSONKey("peak_rss_kib"))
    try c.encode(ui, forKey: JSONKey("ui"))
    try c.encode(keys, forKey: JSONKey("keys"))
  }
}
