import ConvCore
import ConvKernels

// MARK: - BenchLayer

/// A convolution layer the benchmark times: its name, configuration, batch and input size.
struct BenchLayer {
  /// The key in the JSON report (`article`, `large`).
  let name: String
  /// A one-line description for the table.
  let title: String
  /// The layer's hyper-parameters.
  let config: Conv2DConfig
  /// Batch size `N`.
  let batch: Int
  /// Input height and width.
  let size: Int

  /// The article's demo layer: N=10, C=1, 32×32, F=16, 5×5, padding 2.
  static let article = BenchLayer(
    name: "article", title: "N=10 C=1 32×32 F=16 5×5 pad 2",
    config: Conv2DConfig(inChannels: 1, filters: 16, kernel: 5, padding: 2), batch: 10, size: 32)

  /// A larger layer: N=8, C=16, 64×64, F=32, 3×3, padding 1.
  static let large = BenchLayer(
    name: "large", title: "N=8 C=16 64×64 F=32 3×3 pad 1",
    config: Conv2DConfig(inChannels: 16, filters: 32, kernel: 3, padding: 1), batch: 8, size: 64)

  /// The geometry of the layer on its input.
  func geometry() throws -> ConvGeometry {
    try ConvGeometry(config: config, inputShape: [batch, config.inChannels, size, size])
  }
}

// MARK: - Timing

/// The timings of one pass: every run in seconds, after the warm-up runs.
struct PassTiming {
  /// The pass: `forward`, `backward` or `forward_backward`.
  let name: String
  /// FLOP of one run by the convention of ``LayerBench/flopConvention``.
  let flop: Double
  /// Seconds of every timed run.
  let runs: [Double]

  /// The median run in seconds.
  var median: Double {
    let s = runs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
  }

  /// The fastest run in seconds.
  var best: Double { runs.min() ?? .nan }

  /// GFLOP/s at the median.
  var gflops: Double { flop / median / 1e9 }

  /// GFLOP/s at the best run.
  var bestGflops: Double { flop / best / 1e9 }

}

extension PassTiming: Encodable {
  /// `median_s`, `best_s`, `gflops`, `best_gflops`, `mflop`, `runs`; `null` for a figure that
  /// is not finite (no runs).
  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: JSONKey.self)
    try encodeFigures(into: &c)
  }

  /// The figures as members of `c` (the `demo` section adds a `what` beside them).
  func encodeFigures(into c: inout KeyedEncodingContainer<JSONKey>) throws {
    try c.encode(finiteOrNull(median), forKey: JSONKey("median_s"))
    try c.encode(finiteOrNull(best), forKey: JSONKey("best_s"))
    try c.encode(finiteOrNull(gflops), forKey: JSONKey("gflops"))
    try c.encode(finiteOrNull(bestGflops), forKey: JSONKey("best_gflops"))
    try c.encode(finiteOrNull(flop / 1e6), forKey: JSONKey("mflop"))
    try c.encode(runs.count, forKey: JSONKey("runs"))
  }
}

/// The timings of one layer.
struct LayerTiming {
  /// The layer timed.
  let layer: BenchLayer
  /// Threads the fast path used.
  let threads: Int
  /// `forward`, `backward`, `forward_backward`.
  let passes: [PassTiming]

}

extension LayerTiming: Encodable {
  /// `shape` (the layer's sizes), `threads`, then one member per pass.
  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: JSONKey.self)
    let c = layer.config
    let shape = [
      "batch": layer.batch, "channels": c.inChannels, "height": layer.size, "width": layer.size,
      "filters": c.filters, "kernel": c.kernel.h, "stride": c.stride.h, "padding": c.padding.h,
      "dilation": c.dilation.h,
    ]
    try container.encode(shape, forKey: JSONKey("shape"))
    try container.encode(threads, forKey: JSONKey("threads"))
    for p in passes { try container.encode(p, forKey: JSONKey(p.name)) }
  }
}

/// `v` when finite, else nil (JSON `null`: JSON has no NaN or infinity).
func finiteOrNull(_ v: Double) -> Double? { v.isFinite ? v : nil }

// MARK: - LayerBench

/// Times the fast path's forward, backward and forward+backward passes on benchmark layers.
enum LayerBench {
  /// How FLOP are counted (the convention).
  static let flopConvention =
    "forward = 2·N·F·OH·OW·C·KH·KW; backward (dx and dw) = 2 × forward; "
    + "forward_backward = 3 × forward; db and the bias add are not counted"

  /// Runs `body` `warmup` times, then `runs` times with a clock around each run.
  static func time(warmup: Int, runs: Int, _ body: () throws -> Float) rethrows -> [Double] {
    let clock = ContinuousClock()
    var sink: Float = 0
    for _ in 0..<warmup { sink += try body() }
    var seconds: [Double] = []
    seconds.reserveCapacity(runs)
    for _ in 0..<runs {
      let start = clock.now
      sink += try body()
      let (s, atto) = (clock.now - start).components
      seconds.append(Double(s) + Double(atto) * 1e-18)
    }
    // Using the results keeps the calls from being optimised away.
    if sink.isNaN { seconds.append(0) }
    return seconds
  }

  /// Times the three passes of `layer` through the public API with `backend: .fast`.
  static func run(_ layer: BenchLayer, warmup: Int, runs: Int) throws -> LayerTiming {
    let g = try layer.geometry()
    let config = layer.config
    let x = Tensor.normal(shape: g.inputShape, seed: 1)
    let fanIn = Float(config.inChannels * config.kernel.h * config.kernel.w)
    let w = Tensor.normal(shape: g.weightShape, std: (2 / fanIn).squareRoot(), seed: 2)
    let b = Tensor.normal(shape: config.biasShape, std: 0.1, seed: 3)
    let dy = Tensor.normal(shape: g.outputShape, seed: 4)
    let forwardFlop = 2 * Double(g.forwardMACs)

    let forward = try time(warmup: warmup, runs: runs) {
      try Conv2D.forward(x: x, weight: w, bias: b, config: config, backend: .fast).data[0]
    }
    let backward = try time(warmup: warmup, runs: runs) {
      try Conv2D.backward(x: x, weight: w, dy: dy, config: config, backend: .fast).dw.data[0]
    }
    let both = try time(warmup: warmup, runs: runs) {
      let y = try Conv2D.forward(x: x, weight: w, bias: b, config: config, backend: .fast)
      let grads = try Conv2D.backward(x: x, weight: w, dy: dy, config: config, backend: .fast)
      return y.data[0] + grads.dw.data[0]
    }
    return LayerTiming(
      layer: layer, threads: FastConv.threads(for: g),
      passes: [
        PassTiming(name: "forward", flop: forwardFlop, runs: forward),
        PassTiming(name: "backward", flop: 2 * forwardFlop, runs: backward),
        PassTiming(name: "forward_backward", flop: 3 * forwardFlop, runs: both),
      ])
  }

  /// Times the article's program: `ArticleConvLayer` forward, then backward with its SGD step
  /// and the layout conversions, as `convscope demo` runs it (median seconds, best seconds).
  static func demo(warmup: Int, runs: Int) throws -> PassTiming {
    var layer = try ArticleConvLayer(
      inputSize: 32, filterSize: 5, numFilters: 16, stride: 1, padding: 2, alpha: 0.01, seed: 0)
    let x = Tensor.normal(shape: [10, 32, 32], seed: 5)
    let dOut = Tensor.normal(shape: [10, 32, 32, 16], seed: 6)
    let seconds = try time(warmup: warmup, runs: runs) {
      let out = try layer.forward(x)
      let dx = try layer.backward(dOut)
      return out.data[0] + dx.data[0]
    }
    let g = try BenchLayer.article.geometry()
    return PassTiming(name: "demo", flop: 6 * Double(g.forwardMACs), runs: seconds)
  }
}
