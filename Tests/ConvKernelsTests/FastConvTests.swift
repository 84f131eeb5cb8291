import Foundation
import Testing

@testable import ConvCore
@testable import ConvKernels

// MARK: - Helpers

/// One configuration of the sweep, with its input size and batch.
private struct Case: CustomStringConvertible {
  var n = 2
  var c = 2
  var f = 2
  var h = 5
  var w = 4
  var kh = 3
  var kw = 2
  var sh = 1
  var sw = 1
  var ph = 1
  var pw = 1
  var dh = 1
  var dw = 1

  var config: Conv2DConfig {
    Conv2DConfig(
      inChannels: c, filters: f, kernel: Size2(kh, kw), stride: Size2(sh, sw),
      padding: Size2(ph, pw), dilation: Size2(dh, dw))
  }

  /// The geometry, or nil when no window fits.
  var geometry: ConvGeometry? {
    try? ConvGeometry(config: config, inputShape: [n, c, h, w])
  }

  var description: String {
    "N\(n) C\(c) F\(f) \(h)×\(w) k\(kh)×\(kw) s\(sh),\(sw) p\(ph),\(pw) d\(dh),\(dw)"
  }
}

/// The unit roundoff of `Float`, 2⁻²⁴.
private let unitRoundoff = 0x1p-24

/// Small integers in `-r...r` (exactly representable; every sum of their products is exact).
private func integers(_ shape: [Int], _ r: Int, _ g: inout SeededGenerator) -> Tensor {
  var t = Tensor(shape: shape)
  for i in t.data.indices { t.data[i] = Float(Int(g.next() % UInt64(2 * r + 1)) - r) }
  return t
}

/// The documented bound: `|fast − reference| ≤ (K + 2)·u·Σ|terms|` (with 1 % to spare for the
/// second-order term of γ_K and the rounding of Σ|terms| itself), `K` the number of terms.
private func withinBound(
  _ fast: Tensor, _ reference: Tensor, magnitudes: Tensor, terms: Int
) -> (ok: Bool, worst: Double) {
  guard fast.shape == reference.shape else { return (false, .infinity) }
  var worst = 0.0
  var ok = true
  for i in fast.data.indices {
    let delta = abs(Double(fast.data[i]) - Double(reference.data[i]))
    let bound = 1.01 * Double(terms + 2) * unitRoundoff * Double(magnitudes.data[i])
    if !(delta <= bound) { ok = false }
    if bound > 0 { worst = max(worst, delta / bound) } else if delta > 0 { worst = .infinity }
  }
  return (ok, worst)
}

private func absolute(_ t: Tensor) -> Tensor { t.map { abs($0) } }

/// Forward and backward on the fast path with one strategy, thread count and kernel set.
private func fastPasses(
  x: Tensor, w: Tensor, b: Tensor, dy: Tensor, _ g: ConvGeometry,
  strategy: FastConv.Strategy = .automatic, threads: Int, kernels: FastKernelSet
) -> (y: Tensor, grads: Conv2DGradients) {
  let y = FastConv.forward(
    x: x, weight: w, bias: b, geometry: g, strategy: strategy, threads: threads, kernels: kernels)
  let grads = FastConv.backward(
    x: x, weight: w, dy: dy, geometry: g, strategy: strategy, threads: threads, kernels: kernels)
  return (y, grads)
}

/// The reference results for one set of tensors, and the magnitudes `Σ|terms|` of the bound.
private struct Oracle {
  let g: ConvGeometry
  let y: Tensor
  let grads: Conv2DGradients
  let yMagnitude: Tensor
  let gradMagnitudes: Conv2DGradients

  init(x: Tensor, w: Tensor, b: Tensor, dy: Tensor, _ g: ConvGeometry) {
    self.g = g
    y = ReferenceConv.forward(x: x, weight: w, bias: b, geometry: g)
    grads = ReferenceConv.backward(x: x, weight: w, dy: dy, geometry: g)
    yMagnitude = ReferenceConv.forward(
      x: absolute(x), weight: absolute(w), bias: absolute(b), geometry: g)
    gradMagnitudes = ReferenceConv.backward(
      x: absolute(x), weight: absolute(w), dy: absolute(dy), geometry: g)
  }

  /// Expects `y`, `dx`, `dw` and `db` within the documented bound of the reference.
  func expectWithinBound(_ y: Tensor, _ gr: Conv2DGradients, _ how: String) {
    let c = g.config
    let (taps, outputs) = (c.kernel.h * c.kernel.w, g.batch * g.output.h * g.output.w)
    let m = gradMagnitudes
    #expect(
      withinBound(y, self.y, magnitudes: yMagnitude, terms: c.inChannels * taps + 1).ok, "y \(how)")
    #expect(
      withinBound(gr.dx, grads.dx, magnitudes: m.dx, terms: c.filters * taps).ok, "dx \(how)")
    #expect(withinBound(gr.dw, grads.dw, magnitudes: m.dw, terms: outputs).ok, "dw \(how)")
    #expect(withinBound(gr.db, grads.db, magnitudes: m.db, terms: outputs).ok, "db \(how)")
  }
}

/// The kernel sets the tests run: every set this processor has, or only the one
/// `CONVSCOPE_KERNELS` names (`CONVSCOPE_KERNELS=portable make test` runs every fast-path test on
/// the portable kernels).
private let testedSets: [FastKernelSet] =
  FastKernelSet.requested.map { [$0] } ?? FastKernelSet.available

/// Every (strategy, thread count, kernel set) the fast path can run a case with.
private let variants: [(FastConv.Strategy, Int, FastKernelSet)] = testedSets.flatMap { set in
  [(FastConv.Strategy.automatic, 1), (.implicit, 1), (.im2col, 1), (.implicit, 3), (.im2col, 2)]
    .map { ($0.0, $0.1, set) }
}

/// Whether `a` and `b` give the same bits for `y` and `dx`: both fuse every multiply–add in the
/// same chains (AVX2 and AVX-512; the portable kernels too on arm64, where they fuse).
private func sameChains(_ a: FastKernelSet, _ b: FastKernelSet) -> Bool {
  #if arch(arm64)
    return true
  #else
    return a != .portable && b != .portable
  #endif
}

/// Checks one case on dyadic data (exact equality) and on normal data (the bound).
private func check(_ k: Case, seed: UInt64) {
  guard let g = k.geometry else { return }
  var gen = SeededGenerator(seed: seed)

  // Exact: small integers, so that every product and partial sum is exact in Float.
  let xi = integers(g.inputShape, 3, &gen)
  let wi = integers(g.weightShape, 3, &gen)
  let bi = integers([k.f], 4, &gen)
  let dyi = integers(g.outputShape, 3, &gen)
  let yRef = ReferenceConv.forward(x: xi, weight: wi, bias: bi, geometry: g)
  let gRef = ReferenceConv.backward(x: xi, weight: wi, dy: dyi, geometry: g)
  for (strategy, threads, set) in variants {
    let (y, gr) = fastPasses(
      x: xi, w: wi, b: bi, dy: dyi, g, strategy: strategy, threads: threads, kernels: set)
    let how = "\(k) \(strategy) \(threads) \(set)"
    #expect(y == yRef, "y exact \(how)")
    #expect(gr.dx == gRef.dx, "dx exact \(how)")
    #expect(gr.dw == gRef.dw, "dw exact \(how)")
    #expect(gr.db == gRef.db, "db exact \(how)")
  }

  // Rounding only: normal data within the documented bound.
  let x = Tensor.normal(shape: g.inputShape, seed: gen.next())
  let w = Tensor.normal(shape: g.weightShape, seed: gen.next())
  let b = Tensor.normal(shape: [k.f], seed: gen.next())
  let dy = Tensor.normal(shape: g.outputShape, seed: gen.next())
  let oracle = Oracle(x: x, w: w, b: b, dy: dy, g)
  var firstRuns: [(FastKernelSet, Tensor, Conv2DGradients)] = []
  for (strategy, threads, set) in variants {
    let (y, gr) = fastPasses(
      x: x, w: w, b: b, dy: dy, g, strategy: strategy, threads: threads, kernels: set)
    let how = "\(k) \(strategy) \(threads) \(set)"
    oracle.expectWithinBound(y, gr, how)
    if strategy == .automatic && threads == 1 {
      for (other, y0, g0) in firstRuns {
        // db is the same additions on every set; y and dx the same chains of FMAs where both
        // sets fuse (the portable set on x86-64 does not: it is held to the bound above).
        #expect(gr.db == g0.db, "db bits differ between \(other) and \(how)")
        if sameChains(set, other) {
          #expect(y == y0, "y bits differ between \(other) and \(how)")
          #expect(gr.dx == g0.dx, "dx bits differ between \(other) and \(how)")
        }
      }
      firstRuns.append((set, y, gr))
    }
  }
}

// MARK: - FastConvTests

@Suite("FastConv agrees with the reference")
struct FastConvTests {
  @Test("AVX2 and AVX-512 are offered exactly when the processor has them; the best is the default")
  func kernelSets() {
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let flags = Set(
      info.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ")
        .map(String.init) ?? [])
    #if arch(x86_64)
      if !flags.isEmpty {
        var expected: [FastKernelSet] = [.portable]
        if flags.isSuperset(of: ["avx2", "fma"]) { expected.append(.avx2) }
        if flags.isSuperset(of: ["avx2", "fma", "avx512f", "avx512vl"]) {
          expected.append(.avx512)
        }
        #expect(FastKernelSet.available == expected)
      }
    #else
      #expect(FastKernelSet.available == [.portable])
    #endif
    #expect(FastKernelSet.best == FastKernelSet.available.last)
    #expect(FastConv.kernels == (FastKernelSet.requested ?? FastKernelSet.best))
  }

  @Test("CONVSCOPE_KERNELS names a set; auto, unknown and unavailable names mean the best")
  func environmentNames() {
    #expect(FastKernelSet.named("portable") == .portable)
    for set in FastKernelSet.allCases {
      #expect(FastKernelSet.named(set.rawValue) == (set.isAvailable ? set : nil))
    }
    for value in ["auto", "", "AVX2", "simd8", "bogus", nil] {
      #expect(FastKernelSet.named(value) == nil, "\(value ?? "unset")")
    }
  }

  @Test("the bound check fails a result one part in a thousand off")
  func boundCanFail() throws {
    let config = Conv2DConfig(inChannels: 3, filters: 4, kernel: 3, padding: 1)
    let g = try ConvGeometry(config: config, inputShape: [2, 3, 8, 7])
    let (x, w) = (
      Tensor.normal(shape: g.inputShape, seed: 1), Tensor.normal(shape: g.weightShape, seed: 2)
    )
    let b = Tensor.normal(shape: [4], seed: 3)
    let y = ReferenceConv.forward(x: x, weight: w, bias: b, geometry: g)
    let magnitude = ReferenceConv.forward(
      x: absolute(x), weight: absolute(w), bias: absolute(b), geometry: g)
    let terms = config.inChannels * 9 + 1
    #expect(withinBound(y, y, magnitudes: magnitude, terms: terms).ok)
    var off = y
    off.data[5] += 1e-3 * magnitude.data[5]
    #expect(!withinBound(off, y, magnitudes: magnitude, terms: terms).ok)
  }

  @Test("each axis of the sweep on its own, around a non-square base case")
  func axesOneAtATime() {
    // Each parameter over its whole small range, the others at the base case's values.
    let axes: [(WritableKeyPath<Case, Int>, ClosedRange<Int>)] = [
      (\.h, 1...6), (\.w, 1...6), (\.kh, 1...4), (\.kw, 1...4), (\.sh, 1...3), (\.sw, 1...3),
      (\.c, 1...3), (\.f, 1...3), (\.ph, 0...2), (\.pw, 0...2), (\.dh, 1...2), (\.dw, 1...2),
      (\.n, 1...2),
    ]
    var cases: [Case] = []
    for (axis, range) in axes {
      for v in range {
        var k = Case()
        k[keyPath: axis] = v
        cases.append(k)
      }
    }
    for (i, k) in cases.enumerated() { check(k, seed: UInt64(i)) }
  }

  @Test("square sizes crossed with kernel, stride, padding and dilation")
  func squareCross() {
    var seed: UInt64 = 1000
    for size in 1...6 {
      for kernel in 1...4 {
        for stride in 1...3 {
          for padding in 0...2 {
            for dilation in 1...2 {
              let k = Case(
                n: 2, c: 2, f: 3, h: size, w: size, kh: kernel, kw: kernel, sh: stride,
                sw: stride, ph: padding, pw: padding, dh: dilation, dw: dilation)
              check(k, seed: seed)
              seed += 1
            }
          }
        }
      }
    }
  }

  @Test("random non-square configurations from the whole sweep")
  func randomCross() {
    var gen = SeededGenerator(seed: 7)
    func pick(_ r: ClosedRange<Int>) -> Int {
      r.lowerBound + Int(gen.next() % UInt64(r.count))
    }
    var checked = 0
    while checked < 150 {
      let k = Case(
        n: pick(1...2), c: pick(1...3), f: pick(1...3), h: pick(1...6), w: pick(1...6),
        kh: pick(1...4), kw: pick(1...4), sh: pick(1...3), sw: pick(1...3), ph: pick(0...2),
        pw: pick(0...2), dh: pick(1...2), dw: pick(1...2))
      guard k.geometry != nil else { continue }
      check(k, seed: gen.next())
      checked += 1
    }
  }

  @Test("shapes that exercise every tile remainder and several blocks per sample")
  func tileRemainders() {
    // F and C around the 4-row panels and 4×3 gradient tiles; widths past one 24-column tile
    // and one 384-column block; a depth past one 256-deep block (C·KH·KW = 261).
    let cases = [
      Case(n: 1, c: 5, f: 7, h: 9, w: 29, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1),
      Case(n: 2, c: 1, f: 6, h: 20, w: 23, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2, dh: 1, dw: 1),
      Case(n: 1, c: 29, f: 5, h: 4, w: 5, kh: 3, kw: 3, sh: 1, sw: 2, ph: 1, pw: 0, dh: 1, dw: 1),
      Case(n: 1, c: 29, f: 9, h: 5, w: 6, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1),
    ]
    for (i, k) in cases.enumerated() { check(k, seed: UInt64(500 + i)) }
  }

  @Test("the same bits with any thread count, in both strategies, on every kernel set")
  func threadCountIndependence() throws {
    // Several blocks and slots per pass, C < 4 (dcol path) and C ≥ 4 (flipped product).
    for (c, n) in [(1, 6), (5, 3)] {
      let config = Conv2DConfig(inChannels: c, filters: 6, kernel: 3, padding: 1)
      let g = try ConvGeometry(config: config, inputShape: [n, c, 23, 21])
      let x = Tensor.normal(shape: g.inputShape, seed: 21)
      let w = Tensor.normal(shape: g.weightShape, seed: 22)
      let b = Tensor.normal(shape: [6], seed: 23)
      let dy = Tensor.normal(shape: g.outputShape, seed: 24)
      for strategy in [FastConv.Strategy.implicit, .im2col] {
        for set in testedSets {
          let (y1, g1) = fastPasses(
            x: x, w: w, b: b, dy: dy, g, strategy: strategy, threads: 1, kernels: set)
          for threads in [2, 3, 5] {
            let (y, gr) = fastPasses(
              x: x, w: w, b: b, dy: dy, g, strategy: strategy, threads: threads, kernels: set)
            let how = "C=\(c) \(strategy) \(threads) threads \(set)"
            #expect(y == y1, "y \(how)")
            #expect(gr.dw == g1.dw, "dw \(how)")
            #expect(gr.db == g1.db, "db \(how)")
            // dx on few channels takes the flipped product when samples are scarce per thread.
            if c >= 4 || n >= 2 * threads {
              #expect(gr.dx == g1.dx, "dx \(how)")
            }
          }
        }
      }
    }
  }

  @Test("the public API routes .fast here and honours the thread setting")
  func publicAPI() throws {
    let config = Conv2DConfig(inChannels: 2, filters: 3, kernel: 3, padding: 1)
    let x = Tensor.normal(shape: [2, 2, 7, 6], seed: 1)
    let w = Tensor.normal(shape: config.weightShape, seed: 2)
    let b = Tensor.normal(shape: config.biasShape, seed: 3)
    let y = try Conv2D.forward(x: x, weight: w, bias: b, config: config, backend: .fast)
    let g = try ConvGeometry(config: config, inputShape: x.shape)
    #expect(y == FastConv.forward(x: x, weight: w, bias: b, geometry: g, threads: 1))
    #expect(FastConv.threads(for: g) == 1 || FastConv.threadCount > 0)
  }
}

// MARK: - Benchmark layers

@Suite("FastConv on the benchmark layers")
struct FastConvLayerTests {
  /// One benchmark layer against the Double-accumulated oracle, within the documented bound.
  /// The oracle is computed once (it dominates the time in debug builds), then every kernel set.
  private func checkLayer(_ config: Conv2DConfig, batch: Int, size: Int) throws {
    let g = try ConvGeometry(config: config, inputShape: [batch, config.inChannels, size, size])
    let x = Tensor.normal(shape: g.inputShape, seed: 11)
    let w = Tensor.normal(shape: g.weightShape, seed: 12)
    let b = Tensor.normal(shape: [config.filters], seed: 13)
    let dy = Tensor.normal(shape: g.outputShape, seed: 14)
    let oracle = Oracle(x: x, w: w, b: b, dy: dy, g)
    var ys: [FastKernelSet: Tensor] = [:]
    for set in testedSets {
      let (y, gr) = fastPasses(x: x, w: w, b: b, dy: dy, g, threads: 2, kernels: set)
      oracle.expectWithinBound(y, gr, "\(set)")
      ys[set] = y
    }
    // The choice takes effect: on x86-64 the portable set multiplies and adds separately, so
    // over 10⁵ outputs of ≥ 25 terms some round differently from the fused sets.
    #if arch(x86_64)
      if let portable = ys[.portable], let fused = ys[.avx2] ?? ys[.avx512] {
        #expect(portable != fused, "the portable set gave the fused set's bits everywhere")
      }
    #endif
  }

  @Test("the article's layer: N=10, C=1, 32×32, F=16, 5×5, padding 2")
  func articleLayer() throws {
    try checkLayer(
      Conv2DConfig(inChannels: 1, filters: 16, kernel: 5, padding: 2), batch: 10, size: 32)
  }

  @Test("the large layer: N=8, C=16, 64×64, F=32, 3×3, padding 1")
  func largeLayer() throws {
    try checkLayer(
      Conv2DConfig(inChannels: 16, filters: 32, kernel: 3, padding: 1), batch: 8, size: 64)
  }
}
