import ConvCore
import Testing

// MARK: - The general oracle

@Suite("GeneralReference: groups, padding modes, transposed")
struct GeneralReferenceTests {
  @Test("padding modes read the cells NumPy's np.pad copies (reflect, replicate, wrap)")
  func paddingSources() {
    // np.pad(range(4), 3, mode): reflect 3 2 1|0 1 2 3|2 1 0, edge 0 0 0|…|3 3 3, wrap 1 2 3|…|0 1 2
    let indices = Array(-3..<7)
    #expect(
      indices.map { PaddingMode.reflect.source($0, length: 4) } == [3, 2, 1, 0, 1, 2, 3, 2, 1, 0])
    #expect(
      indices.map { PaddingMode.replicate.source($0, length: 4) } == [0, 0, 0, 0, 1, 2, 3, 3, 3, 3])
    #expect(
      indices.map { PaddingMode.circular.source($0, length: 4) } == [1, 2, 3, 0, 1, 2, 3, 0, 1, 2])
    #expect(
      indices.map { PaddingMode.zeros.source($0, length: 4) } == [
        nil, nil, nil, 0, 1, 2, 3, nil, nil, nil,
      ])
  }

  @Test(
    "groups 1 with zero padding is the plain oracle, forward and backward",
    arguments: [(1, 2, 3, 1, 0, 1), (2, 3, 2, 2, 1, 1), (3, 1, 3, 1, 2, 2), (2, 2, 2, 3, 1, 1)])
  func plain(c: Int, f: Int, k: Int, stride: Int, padding: Int, dilation: Int) throws {
    let config = Conv2DConfig(
      inChannels: c, filters: f, kernel: Size2(k), stride: Size2(stride), padding: Size2(padding),
      dilation: Size2(dilation))
    let x = Tensor.normal(shape: [2, c, 7, 6], seed: 3)
    let w = Tensor.normal(shape: config.weightShape, seed: 4)
    let b = Tensor.normal(shape: [f], seed: 5)
    let g = try ConvGeometry(config: config, inputShape: x.shape)
    let spec = GeneralConvSpec(
      stride: Size2(stride), padding: Size2(padding), dilation: Size2(dilation))
    let y = try GeneralReference.forward(x: x, weight: w, bias: b, spec: spec)
    #expect(
      y.maxAbsDifference(to: ReferenceConv.forward(x: x, weight: w, bias: b, geometry: g)) < 1e-5)
    let dy = Tensor.normal(shape: g.outputShape, seed: 6)
    let ours = try GeneralReference.backward(x: x, weight: w, dy: dy, spec: spec)
    let theirs = ReferenceConv.backward(x: x, weight: w, dy: dy, geometry: g)
    #expect(ours.dx.maxAbsDifference(to: theirs.dx) < 1e-5)
    #expect(ours.dw.maxAbsDifference(to: theirs.dw) < 1e-5)
    #expect(ours.db.maxAbsDifference(to: theirs.db) < 1e-5)
  }

  @Test(
    "conv2d's dx is the transposed convolution of dy with the same w (output_padding fills the floor)",
    arguments: [(1, 0, 1), (2, 1, 1), (2, 0, 2), (3, 2, 1)])
  func dxIsTransposed(stride: Int, padding: Int, dilation: Int) throws {
    let config = Conv2DConfig(
      inChannels: 2, filters: 3, kernel: Size2(3), stride: Size2(stride), padding: Size2(padding),
      dilation: Size2(dilation))
    let x = Tensor.normal(shape: [1, 2, 9, 8], seed: 7)
    let w = Tensor.normal(shape: config.weightShape, seed: 8)
    let g = try ConvGeometry(config: config, inputShape: x.shape)
    let dy = Tensor.normal(shape: g.outputShape, seed: 9)
    let dx = ReferenceConv.backward(x: x, weight: w, dy: dy, geometry: g).dx
    func extra(_ input: Int, _ output: Int) -> Int {
      input - ((output - 1) * stride - 2 * padding + dilation * 2 + 1)
    }
    let spec = GeneralConvSpec(
      transposed: true, stride: Size2(stride), padding: Size2(padding), dilation: Size2(dilation),
      outputPadding: Size2(extra(9, g.output.h), extra(8, g.output.w)))
    let t = try GeneralReference.forward(x: dy, weight: w, bias: Tensor(shape: [2]), spec: spec)
    #expect(t.shape == dx.shape)
    #expect(t.maxAbsDifference(to: dx) < 1e-5)
  }

  @Test("shapes that do not fit are one-line errors: groups, output_padding, reflect")
  func refusals() {
    let x = Tensor(shape: [1, 4, 5, 5])
    #expect(throws: ConvError.self) {
      try GeneralReference.forward(
        x: x, weight: Tensor(shape: [6, 2, 3, 3]), bias: Tensor(shape: [6]),
        spec: GeneralConvSpec(groups: 3))
    }
    #expect(throws: ConvError.self) {
      try GeneralReference.forward(
        x: x, weight: Tensor(shape: [4, 2, 3, 3]), bias: Tensor(shape: [2]),
        spec: GeneralConvSpec(transposed: true, stride: Size2(2), outputPadding: Size2(2)))
    }
    #expect(throws: ConvError.self) {
      try GeneralReference.forward(
        x: x, weight: Tensor(shape: [2, 4, 3, 3]), bias: Tensor(shape: [2]),
        spec: GeneralConvSpec(padding: Size2(5), paddingMode: .reflect))
    }
  }
}
