import ConvCore
import ConvStepper
import Testing

@testable import ConvDebug

// MARK: - The tap engine

@Suite("TapEngine: the correct plan is the oracle's convolution")
struct EngineTests {
  @Test("forward and backward agree with ReferenceConv over a sweep of small layers")
  func sweep() throws {
    var checked = 0
    for (k, s, p, d) in [
      (Size2(1), Size2(1), Size2(0), Size2(1)), (Size2(3), Size2(1), Size2(1), Size2(1)),
      (Size2(2, 3), Size2(2, 1), Size2(0, 2), Size2(1)), (Size2(3), Size2(2), Size2(2), Size2(2)),
      (Size2(3, 1), Size2(3), Size2(1, 0), Size2(2, 1)),
    ] {
      for (n, c, f) in [(1, 1, 1), (2, 3, 2)] {
        let scenario = try Layers.random(
          batch: n, channels: c, filters: f, input: Size2(6, 7), kernel: k, stride: s,
          padding: p, dilation: d, seed: UInt64(checked))
        let g = try scenario.geometry()
        let (x, w, b) = (scenario.input.doubles, scenario.weight.doubles, scenario.bias.doubles)
        let dy = Tensor.uniform(shape: g.outputShape, seed: 9).doubles
        let y = TapEngine.forward(TapPlan(g), x: x, w: w, b: b)
        let ref = ReferenceConv.forward(x: x, w: w, b: b, geometry: g)
        #expect(y.shape == g.outputShape)
        #expect(zip(y.values, ref).allSatisfy { abs($0 - $1) < 1e-12 })
        let grads = try #require(
          TapEngine.backward(
            TapPlan(g), x: x, w: w, dy: dy, inputShape: g.inputShape, weightShape: g.weightShape))
        let r = ReferenceConv.backward(x: x, w: w, dy: dy, geometry: g)
        #expect(zip(grads.dx.values, r.dx).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(zip(grads.dw.values, r.dw).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(zip(grads.db.values, r.db).allSatisfy { abs($0 - $1) < 1e-12 })
        // The magnitude of a cell bounds its value.
        #expect(zip(y.values, y.magnitude).allSatisfy { abs($0) <= $1 + 1e-12 })
        checked += 1
      }
    }
    #expect(checked == 10)
  }

  @Test("edge and reflect reads follow NumPy's np.pad modes")
  func outsideModes() throws {
    var plan = TapPlan(try Layers.random().geometry())
    plan.outside = .reflect
    // np.pad(np.arange(4), 3, mode="reflect") == [3, 2, 1, 0, 1, 2, 3, 2, 1, 0]
    #expect((-3...6).map { plan.resolve($0, 4) } == [3, 2, 1, 0, 1, 2, 3, 2, 1, 0])
    plan.outside = .edge
    #expect((-2...5).map { plan.resolve($0, 4) } == [0, 0, 0, 1, 2, 3, 3, 3])
    plan.outside = .zero
    #expect(plan.resolve(-1, 4) == nil)
    #expect(plan.resolve(4, 4) == nil)
  }

  @Test("a backward pass for a differently shaped output gradient is refused")
  func backwardShape() throws {
    let g = try Layers.random().geometry()
    let r = TapEngine.backward(
      TapPlan(g), x: [Double](repeating: 0, count: g.inputShape.reduce(1, *)),
      w: [Double](repeating: 0, count: g.weightShape.reduce(1, *)), dy: [1, 2, 3],
      inputShape: g.inputShape, weightShape: g.weightShape)
    #expect(r == nil)
  }
}
