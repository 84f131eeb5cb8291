import ConvCore
import Testing

// MARK: - Gradient check

@Suite("Finite-difference gradient check")
struct GradientCheckTests {
  static func setup(seed: UInt64 = 3) throws -> (
    x: Tensor, w: Tensor, b: Tensor, dy: Tensor, config: Conv2DConfig
  ) {
    let config = Conv2DConfig(
      inChannels: 2, filters: 3, kernel: Size2(3, 2), stride: Size2(2, 1), padding: Size2(1, 0),
      dilation: Size2(1, 2))
    let x = Tensor.normal(shape: [2, 2, 7, 6], seed: seed)
    let g = try ConvGeometry(config: config, inputShape: x.shape)
    return (
      x, Tensor.normal(shape: config.weightShape, seed: seed + 1),
      Tensor.normal(shape: [3], seed: seed + 2),
      Tensor.normal(shape: g.outputShape, seed: seed + 3),
      config
    )
  }

  @Test("the analytic gradients of every backend pass", arguments: ConvBackend.allCases)
  func passes(backend: ConvBackend) throws {
    let s = try Self.setup()
    let analytic = try Conv2D.backward(
      x: s.x, weight: s.w, dy: s.dy, config: s.config, backend: backend)
    let report = try GradientCheck.conv2d(
      x: s.x, weight: s.w, bias: s.b, dy: s.dy, config: s.config, analytic: analytic)
    #expect(report.passed(), "max relative error \(report.maxRelativeError)")
    #expect(report.maxRelativeError < 1e-4)
    #expect(report.dx.checked == s.x.count && report.dw.checked == s.w.count)
  }

  @Test("a wrong gradient is caught, and the worst cell is the wrong one")
  func catchesBugs() throws {
    let s = try Self.setup()
    var analytic = try Conv2D.backward(x: s.x, weight: s.w, dy: s.dy, config: s.config)
    analytic.dw.data[5] += 0.5
    analytic.db.data[1] *= -1
    let report = try GradientCheck.conv2d(
      x: s.x, weight: s.w, bias: s.b, dy: s.dy, config: s.config, analytic: analytic)
    #expect(!report.passed())
    #expect(report.dw.worstIndex == 5)
    #expect(report.db.worstIndex == 1)
    #expect(report.dx.maxRelativeError < 1e-4)
  }

  @Test("a flipped kernel in dx (a classic bug) fails the check")
  func flippedKernel() throws {
    let s = try Self.setup()
    var analytic = try Conv2D.backward(x: s.x, weight: s.w, dy: s.dy, config: s.config)
    var flipped = s.w
    let (kh, kw) = (3, 2)
    for f in 0..<3 {
      for c in 0..<2 {
        for p in 0..<kh {
          for q in 0..<kw {
            flipped[n: f, c: c, h: p, w: q] = s.w[n: f, c: c, h: kh - 1 - p, w: kw - 1 - q]
          }
        }
      }
    }
    analytic.dx = try Conv2D.backward(x: s.x, weight: flipped, dy: s.dy, config: s.config).dx
    let report = try GradientCheck.conv2d(
      x: s.x, weight: s.w, bias: s.b, dy: s.dy, config: s.config, analytic: analytic)
    #expect(report.dx.maxRelativeError > 0.1)
  }

  @Test("sampling checks the requested number of cells, reproducibly")
  func sampling() throws {
    let s = try Self.setup()
    let analytic = try Conv2D.backward(x: s.x, weight: s.w, dy: s.dy, config: s.config)
    let a = try GradientCheck.conv2d(
      x: s.x, weight: s.w, bias: s.b, dy: s.dy, config: s.config, analytic: analytic,
      maxCellsPerTensor: 10, seed: 4)
    let b = try GradientCheck.conv2d(
      x: s.x, weight: s.w, bias: s.b, dy: s.dy, config: s.config, analytic: analytic,
      maxCellsPerTensor: 10, seed: 4)
    #expect(a.dx.checked == 10 && a.dw.checked == 10 && a.db.checked == 3)
    #expect(a == b)
  }
}
