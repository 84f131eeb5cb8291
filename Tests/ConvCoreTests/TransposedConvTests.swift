import ConvCore
import Testing

// MARK: - Transposed convolution on the fast path

/// ``TransposedConv`` (the conv2d kernels run as a transposed convolution) against
/// ``GeneralReference`` (the scatter form in `Double`) over a spread of geometries, with
/// dyadic data so that the agreement is exact.
@Suite("TransposedConv: the fast path against the oracle")
struct TransposedConvTests {
  struct Case: CustomStringConvertible {
    var n, c, f, h, w: Int
    var kernel: Size2
    var spec: GeneralConvSpec
    var description: String {
      "N\(n) C\(c) F\(f) \(h)×\(w) k\(kernel) s\(spec.stride) p\(spec.padding) "
        + "op\(spec.outputPadding) d\(spec.dilation) g\(spec.groups)"
    }
  }

  /// Stride, padding, output padding, dilation and groups, each at non-default values, on
  /// rectangular shapes and batches above 1.
  static let cases: [Case] = {
    var r: [Case] = []
    let geometries: [(Size2, Size2, Size2, Size2)] = [
      (Size2(1), Size2(0), Size2(0), Size2(1)), (Size2(2), Size2(0), Size2(1), Size2(1)),
      (Size2(2), Size2(1), Size2(1), Size2(1)), (Size2(3, 2), Size2(1, 0), Size2(2, 1), Size2(1)),
      (Size2(1, 2), Size2(0, 1), Size2(0, 1), Size2(2)),
      (Size2(2), Size2(2), Size2(0), Size2(2, 1)),
      // Output padding at or above the stride (allowed below the dilation).
      (Size2(1), Size2(0), Size2(1), Size2(2)), (Size2(2, 1), Size2(1), Size2(2, 1), Size2(3, 2)),
    ]
    let kernels = [Size2(3), Size2(2, 3), Size2(1), Size2(3, 1)]
    let channels: [(c: Int, f: Int, g: Int)] = [(1, 1, 1), (2, 3, 1), (4, 2, 2), (3, 6, 3)]
    for (k, (s, p, op, d)) in geometries.enumerated() {
      for (j, ch) in channels.enumerated() {
        r.append(
          Case(
            n: 1 + (k + j) % 3, c: ch.c, f: ch.f, h: 3 + j, w: 5 - j % 2,
            kernel: kernels[(k + j) % kernels.count],
            spec: GeneralConvSpec(
              transposed: true, stride: s, padding: p, dilation: d, outputPadding: op,
              groups: ch.g)))
      }
    }
    return r
  }()

  @Test("forward and backward agree exactly with GeneralReference", arguments: cases)
  func agrees(c: Case) throws {
    let seed = UInt64(c.n * 1000 + c.c * 100 + c.f * 10 + c.h)
    let x = dyadic([c.n, c.c, c.h, c.w], seed: seed)
    let w = dyadic([c.c, c.f / c.spec.groups, c.kernel.h, c.kernel.w], seed: seed &+ 1)
    let b = dyadic([c.f], seed: seed &+ 2)
    guard let out = try? GeneralReference.outputShape(x: x.shape, w: w.shape, spec: c.spec) else {
      // A padding that leaves no output: both refuse it.
      #expect(throws: ConvError.self) {
        try TransposedConv.forward(x: x, weight: w, bias: b, spec: c.spec)
      }
      return
    }
    let y = try TransposedConv.forward(x: x, weight: w, bias: b, spec: c.spec)
    #expect(y == (try GeneralReference.forward(x: x, weight: w, bias: b, spec: c.spec)), "y \(c)")
    let dy = dyadic(out, seed: seed &+ 3)
    let g = try TransposedConv.backward(x: x, weight: w, dy: dy, spec: c.spec)
    let r = try GeneralReference.backward(x: x, weight: w, dy: dy, spec: c.spec)
    #expect(g.dx == r.dx, "dx \(c)")
    #expect(g.dw == r.dw, "dw \(c)")
    #expect(g.db == r.db, "db \(c)")
  }

  @Test(
    "the public transposed vectors on the fast path",
    arguments: ["convT_s1", "convT_s2_p1_op1", "convT_d2_g2"])
  func publicVectors(name: String) throws {
    let c = try Fixtures.loadCase(name)
    let spec = try #require(c.general)
    let y = try TransposedConv.forward(
      x: c.tensor("x"), weight: c.tensor("w"), bias: c.tensor("b"), spec: spec)
    let g = try TransposedConv.backward(
      x: c.tensor("x"), weight: c.tensor("w"), dy: c.tensor("dy"), spec: spec)
    for (key, value) in [("y", y), ("dx", g.dx), ("dw", g.dw), ("db", g.db)] {
      #expect(allClose(value, try c.tensor(key), rtol: 1e-5, atol: 1e-5), "\(name) \(key)")
    }
  }

  @Test("conv2d's input gradient is the transposed convolution of dy with the same weights")
  func dxIsTransposed() throws {
    let config = Conv2DConfig(
      inChannels: 4, filters: 6, kernel: Size2(3, 2), stride: Size2(2, 1), padding: Size2(1, 0),
      dilation: Size2(1, 2), groups: 2)
    let x = dyadic([2, 4, 8, 6], seed: 5)
    let g = try ConvGeometry(config: config, inputShape: x.shape)
    let w = dyadic(config.weightShape, seed: 6)
    let dy = dyadic(g.outputShape, seed: 7)
    let dx = try Conv2D.backward(x: x, weight: w, dy: dy, config: config).dx
    // ConvTranspose2d(F → C) with conv2d's w as its [F, C/G, KH, KW] weights; the output
    // padding restores the rows and columns the conv2d's floor dropped.
    func outputPadding(_ n: Int, _ o: Int, _ k: Int, _ s: Int, _ p: Int, _ d: Int) -> Int {
      n - ((o - 1) * s - 2 * p + d * (k - 1) + 1)
    }
    let op = Size2(
      outputPadding(8, g.output.h, 3, 2, 1, 1), outputPadding(6, g.output.w, 2, 1, 0, 2))
    #expect(op.h > 0, "the floor dropped a row: the output padding must restore it")
    let spec = GeneralConvSpec(
      transposed: true, stride: config.stride, padding: config.padding,
      dilation: config.dilation, outputPadding: op, groups: 2)
    let t = try TransposedConv.forward(x: dy, weight: w, bias: Tensor(shape: [4]), spec: spec)
    #expect(t == dx)
  }
}

// MARK: - Zero insertion

/// conv_arithmetic's picture of a transposed convolution (zeros inserted, padded, the kernel
/// flipped) computes the same numbers as the transposed form, forward and backward.
@Suite("ZeroInsertion: a transposed convolution as a plain one")
struct ZeroInsertionTests {
  @Test(
    "the plain convolution over the zero-inserted input equals the transposed one",
    arguments: TransposedConvTests.cases)
  func same(c: TransposedConvTests.Case) throws {
    let seed = UInt64(c.n * 1000 + c.c * 100 + c.f * 10 + c.h)
    let x = dyadic([c.n, c.c, c.h, c.w], seed: seed)
    let w = dyadic([c.c, c.f / c.spec.groups, c.kernel.h, c.kernel.w], seed: seed &+ 1)
    let b = dyadic([c.f], seed: seed &+ 2)
    guard let out = try? GeneralReference.outputShape(x: x.shape, w: w.shape, spec: c.spec) else {
      return
    }
    let z = try ZeroInsertion(spec: c.spec, x: x.shape, w: w.shape)
    let xz = z.input(x)
    let wz = z.weights(w)
    let y = try Conv2D.forward(x: xz, weight: wz, bias: b, config: z.config, backend: .direct)
    #expect(y == (try TransposedConv.forward(x: x, weight: w, bias: b, spec: c.spec)), "y \(c)")
    let dy = dyadic(out, seed: seed &+ 3)
    let gz = try Conv2D.backward(x: xz, weight: wz, dy: dy, config: z.config, backend: .direct)
    let g = z.gradients(gz, weightShape: w.shape)
    let r = try TransposedConv.backward(x: x, weight: w, dy: dy, spec: c.spec)
    #expect(g.dx == r.dx && g.dw == r.dw && g.db == r.db, "gradients \(c)")
  }

  @Test("stride 2: one zero between cells, padding d·(K−1)−p around them, the kernel flipped")
  func picture() throws {
    let spec = GeneralConvSpec(transposed: true, stride: Size2(2), padding: Size2(1))
    let x = try Tensor(shape: [1, 1, 2, 2], data: [1, 2, 3, 4])
    let w = try Tensor(shape: [1, 1, 3, 3], data: (1...9).map(Float.init))
    let z = try ZeroInsertion(spec: spec, x: x.shape, w: w.shape)
    #expect(z.lead == Size2(1) && z.size == Size2(5))
    #expect(
      z.input(x).data == [
        0, 0, 0, 0, 0,
        0, 1, 0, 2, 0,
        0, 0, 0, 0, 0,
        0, 3, 0, 4, 0,
        0, 0, 0, 0, 0,
      ])
    #expect(z.weights(w).data == (1...9).reversed().map(Float.init))
  }
}
