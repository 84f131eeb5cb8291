import ConvCore
import Testing

// MARK: - Every small configuration

/// The production paths against the oracle over every small configuration, in the style of
/// swift-collections' tests against a naive model.
///
/// One axis of a convolution is described by (input length, kernel, stride, padding, dilation):
/// 6·4·3·3·2 = 432 combinations. Every height combination is crossed with a width combination
/// taken at a co-prime offset, so each of the 432 appears on both axes with differing partners
/// (an h/w mix-up cannot hide), and the channel/filter/batch triple cycles through all 18 values.
/// A second pass crosses every (C, F, N) triple with a set of geometries. Data are dyadic, so the
/// agreement is exact: `==`, not a tolerance.
@Suite("Exhaustive agreement with the reference")
struct ExhaustiveAgreementTests {
  struct Axis: CustomStringConvertible {
    var length, kernel, stride, padding, dilation: Int
    var description: String { "n\(length) k\(kernel) s\(stride) p\(padding) d\(dilation)" }
  }

  static let axes: [Axis] = {
    var r: [Axis] = []
    for length in 1...6 {
      for kernel in 1...4 {
        for stride in 1...3 {
          for padding in 0...2 {
            for dilation in 1...2 {
              r.append(
                Axis(
                  length: length, kernel: kernel, stride: stride, padding: padding,
                  dilation: dilation))
            }
          }
        }
      }
    }
    return r
  }()

  static let triples: [(c: Int, f: Int, n: Int)] = {
    var r: [(c: Int, f: Int, n: Int)] = []
    for c in 1...3 {
      for f in 1...3 {
        for n in 1...2 { r.append((c, f, n)) }
      }
    }
    return r
  }()

  /// Runs one configuration through every backend; returns false when the kernel does not fit
  /// (then it checks that every backend refuses it with the same error).
  @discardableResult
  static func check(_ h: Axis, _ w: Axis, c: Int, f: Int, n: Int, seed: UInt64) throws -> Bool {
    let config = Conv2DConfig(
      inChannels: c, filters: f, kernel: Size2(h.kernel, w.kernel),
      stride: Size2(h.stride, w.stride), padding: Size2(h.padding, w.padding),
      dilation: Size2(h.dilation, w.dilation))
    let x = dyadic([n, c, h.length, w.length], seed: seed)
    let weight = dyadic(config.weightShape, seed: seed &+ 1)
    let bias = dyadic([f], seed: seed &+ 2)
    let geometry: ConvGeometry
    do {
      geometry = try ConvGeometry(config: config, inputShape: x.shape)
    } catch let error as ConvError {
      for backend in ConvBackend.allCases {
        #expect(throws: error) {
          try Conv2D.forward(x: x, weight: weight, bias: bias, config: config, backend: backend)
        }
      }
      return false
    }
    let dy = dyadic(geometry.outputShape, seed: seed &+ 3)
    let yRef = try Conv2D.forward(
      x: x, weight: weight, bias: bias, config: config, backend: .reference)
    let gRef = try Conv2D.backward(
      x: x, weight: weight, dy: dy, config: config, backend: .reference)
    for backend in [ConvBackend.direct, .fast] {
      let y = try Conv2D.forward(x: x, weight: weight, bias: bias, config: config, backend: backend)
      let g = try Conv2D.backward(x: x, weight: weight, dy: dy, config: config, backend: backend)
      let label = "\(backend) H[\(h)] W[\(w)] C\(c) F\(f) N\(n)"
      #expect(y == yRef, "y \(label)")
      #expect(g.dx == gRef.dx, "dx \(label)")
      #expect(g.dw == gRef.dw, "dw \(label)")
      #expect(g.db == gRef.db, "db \(label)")
    }
    return true
  }

  @Test("every axis combination on both axes, with every channel/filter/batch triple")
  func everyAxisCombination() throws {
    var ran = 0
    for (k, h) in Self.axes.enumerated() {
      let w = Self.axes[(k * 7 + 113) % Self.axes.count]
      let t = Self.triples[k % Self.triples.count]
      if try Self.check(h, w, c: t.c, f: t.f, n: t.n, seed: UInt64(k)) { ran += 1 }
      // And the same axis on both sides (square configurations).
      let t2 = Self.triples[(k + 9) % Self.triples.count]
      if try Self.check(h, h, c: t2.c, f: t2.f, n: t2.n, seed: UInt64(k + 1000)) { ran += 1 }
    }
    // About two thirds of the combinations fit; make sure the sweep really ran.
    #expect(ran > 400)
  }

  @Test("every channel/filter/batch triple on a spread of geometries")
  func everyTriple() throws {
    for (k, t) in Self.triples.enumerated() {
      for j in stride(from: k, to: Self.axes.count, by: 37) {
        let h = Self.axes[j]
        let w = Self.axes[(j * 5 + 11) % Self.axes.count]
        try Self.check(h, w, c: t.c, f: t.f, n: t.n, seed: UInt64(5000 + j))
      }
    }
  }

  @Test("random normal data: fast and direct stay within float rounding of the oracle")
  func normalData() throws {
    var worst: Float = 0
    for k in stride(from: 0, to: Self.axes.count, by: 5) {
      let h = Self.axes[k]
      let w = Self.axes[(k * 11 + 3) % Self.axes.count]
      let config = Conv2DConfig(
        inChannels: 3, filters: 2, kernel: Size2(h.kernel, w.kernel),
        stride: Size2(h.stride, w.stride), padding: Size2(h.padding, w.padding),
        dilation: Size2(h.dilation, w.dilation))
      let x = Tensor.normal(shape: [2, 3, h.length, w.length], seed: UInt64(k))
      guard let g = try? ConvGeometry(config: config, inputShape: x.shape) else { continue }
      let wt = Tensor.normal(shape: config.weightShape, seed: UInt64(k + 1))
      let b = Tensor.normal(shape: [2], seed: UInt64(k + 2))
      let dy = Tensor.normal(shape: g.outputShape, seed: UInt64(k + 3))
      let yRef = try Conv2D.forward(x: x, weight: wt, bias: b, config: config, backend: .reference)
      let gRef = try Conv2D.backward(x: x, weight: wt, dy: dy, config: config, backend: .reference)
      for backend in [ConvBackend.direct, .fast] {
        let y = try Conv2D.forward(x: x, weight: wt, bias: b, config: config, backend: backend)
        let gr = try Conv2D.backward(x: x, weight: wt, dy: dy, config: config, backend: backend)
        // At most 3·4·4 = 48 terms of magnitude ~N(0,1)²: 1e-4 absolute is ~100 ulps of the sum.
        for (a, r) in [(y, yRef), (gr.dx, gRef.dx), (gr.dw, gRef.dw), (gr.db, gRef.db)] {
          worst = max(worst, a.maxAbsDifference(to: r))
          #expect(allClose(a, r, rtol: 1e-5, atol: 1e-4))
        }
      }
    }
    #expect(worst > 0, "normal data should show some rounding difference (else the test is moot)")
  }
}
