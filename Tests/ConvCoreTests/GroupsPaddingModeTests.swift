import ConvCore
import Testing

// MARK: - Groups and padding modes on every path

/// Groups and copying padding modes through every backend of ``Conv2D`` against two oracles:
/// ``ReferenceConv`` (gather form, padding as a function) and ``GeneralReference`` (scatter
/// form, written separately for the shared vectors). Dyadic data make every path exact, so the
/// comparisons are `==`.
@Suite("Groups and padding modes")
struct GroupsPaddingModeTests {
  /// (C, F, G) triples with G dividing both, depthwise with a channel multiplier among them.
  static let groupings: [(c: Int, f: Int, g: Int)] = [
    (2, 2, 2), (4, 2, 2), (2, 4, 2), (3, 3, 3), (3, 6, 3), (6, 4, 2), (4, 4, 1), (6, 3, 3),
  ]

  struct Geometry: CustomStringConvertible {
    var h: Int, w: Int, kernel: Size2, stride: Size2, padding: Size2, dilation: Size2
    var description: String { "\(h)×\(w) k\(kernel) s\(stride) p\(padding) d\(dilation)" }
  }

  static let geometries: [Geometry] = [
    Geometry(h: 5, w: 6, kernel: Size2(3), stride: Size2(1), padding: Size2(1), dilation: Size2(1)),
    Geometry(
      h: 4, w: 7, kernel: Size2(2, 3), stride: Size2(2, 1), padding: Size2(1, 2), dilation: Size2(1)
    ),
    Geometry(
      h: 6, w: 5, kernel: Size2(3), stride: Size2(1, 2), padding: Size2(2, 1), dilation: Size2(2, 1)
    ),
    Geometry(h: 3, w: 3, kernel: Size2(3), stride: Size2(1), padding: Size2(2), dilation: Size2(1)),
    Geometry(
      h: 7, w: 4, kernel: Size2(1, 2), stride: Size2(3, 1), padding: Size2(0, 3),
      dilation: Size2(1, 2)),
    Geometry(h: 8, w: 8, kernel: Size2(3), stride: Size2(1), padding: Size2(3), dilation: Size2(2)),
  ]

  /// One layer through the three production backends and the two oracles; false when the
  /// padding mode refuses the geometry (checked to be refused by every backend).
  @discardableResult
  static func check(_ geo: Geometry, c: Int, f: Int, groups: Int, mode: PaddingMode, n: Int)
    throws -> Bool
  {
    let config = Conv2DConfig(
      inChannels: c, filters: f, kernel: geo.kernel, stride: geo.stride, padding: geo.padding,
      dilation: geo.dilation, groups: groups, paddingMode: mode)
    let seed = UInt64(c * 1000 + f * 100 + groups * 10 + geo.h)
    let x = dyadic([n, c, geo.h, geo.w], seed: seed)
    let weight = dyadic(config.weightShape, seed: seed &+ 1)
    let bias = dyadic([f], seed: seed &+ 2)
    let label = "\(geo) C\(c) F\(f) G\(groups) \(mode) N\(n)"
    guard let g = try? ConvGeometry(config: config, inputShape: x.shape) else {
      for backend in ConvBackend.allCases {
        #expect(throws: ConvError.self, "\(label) \(backend)") {
          try Conv2D.forward(x: x, weight: weight, bias: bias, config: config, backend: backend)
        }
      }
      return false
    }
    let dy = dyadic(g.outputShape, seed: seed &+ 3)
    let spec = GeneralConvSpec(
      stride: geo.stride, padding: geo.padding, dilation: geo.dilation, groups: groups,
      paddingMode: mode)
    let yOracle = try GeneralReference.forward(x: x, weight: weight, bias: bias, spec: spec)
    let gOracle = try GeneralReference.backward(x: x, weight: weight, dy: dy, spec: spec)
    for backend in ConvBackend.allCases {
      let y = try Conv2D.forward(x: x, weight: weight, bias: bias, config: config, backend: backend)
      let gr = try Conv2D.backward(x: x, weight: weight, dy: dy, config: config, backend: backend)
      #expect(y == yOracle, "y \(backend) \(label)")
      #expect(gr.dx == gOracle.dx, "dx \(backend) \(label)")
      #expect(gr.dw == gOracle.dw, "dw \(backend) \(label)")
      #expect(gr.db == gOracle.db, "db \(backend) \(label)")
    }
    return true
  }

  @Test(
    "every grouping, padding mode and geometry agrees with both oracles",
    arguments: PaddingMode.allCases)
  func everyCombination(mode: PaddingMode) throws {
    var ran = 0
    for (k, t) in Self.groupings.enumerated() {
      for geo in Self.geometries {
        if try Self.check(geo, c: t.c, f: t.f, groups: t.g, mode: mode, n: 1 + k % 2) { ran += 1 }
      }
    }
    // Reflect refuses padding ≥ the input (the 3×3 input with padding 2 and the last 8×8
    // row with padding 3 are legal; the 4-wide input with padding 3 is not).
    #expect(ran >= Self.groupings.count * (Self.geometries.count - 1))
  }

  @Test("a padding cell's gradient lands on the cell it copies")
  func paddingGradientFlowsBack() throws {
    // One 1×3 input, a 1×1 kernel of weight 1 and padding 1 along the width: y is the padded
    // row, so dx is the sum of dy over every padded cell that holds each input cell.
    let x = try Tensor(shape: [1, 1, 1, 3], data: [1, 2, 3])
    let w = try Tensor(shape: [1, 1, 1, 1], data: [1])
    let dy = try Tensor(shape: [1, 1, 1, 5], data: [10, 1, 2, 3, 20])
    let expected: [PaddingMode: ([Float], [Float])] = [
      .zeros: ([0, 1, 2, 3, 0], [1, 2, 3]),
      .reflect: ([2, 1, 2, 3, 2], [1, 32, 3]),
      .replicate: ([1, 1, 2, 3, 3], [11, 2, 23]),
      .circular: ([3, 1, 2, 3, 1], [21, 2, 13]),
    ]
    for (mode, (y, dx)) in expected {
      let config = Conv2DConfig(
        inChannels: 1, filters: 1, kernel: Size2(1), padding: Size2(0, 1), paddingMode: mode)
      for backend in ConvBackend.allCases {
        let out = try Conv2D.forward(
          x: x, weight: w, bias: Tensor(shape: [1]), config: config, backend: backend)
        #expect(out.data == y, "y \(mode) \(backend)")
        let g = try Conv2D.backward(x: x, weight: w, dy: dy, config: config, backend: backend)
        #expect(g.dx.data == dx, "dx \(mode) \(backend)")
      }
    }
  }

  @Test("groups must divide both channel counts; the error lists the divisors")
  func groupValidation() {
    let bad = Conv2DConfig(inChannels: 6, filters: 4, kernel: Size2(3), groups: 3)
    #expect(throws: ConvError.self) { try bad.validate() }
    do {
      try bad.validate()
    } catch {
      #expect("\(error)".contains("1, 2"), "\(error)")
    }
    #expect(throws: ConvError.self) {
      try Conv2DConfig(inChannels: 2, filters: 2, kernel: Size2(1), groups: 0).validate()
    }
    let depthwise = Conv2DConfig(inChannels: 3, filters: 6, kernel: Size2(3), groups: 3)
    #expect(depthwise.weightShape == [6, 1, 3, 3])
    #expect(depthwise.inputChannel(filter: 5, weightChannel: 0) == 2)
    #expect(depthwise.inputChannel(filter: 1, weightChannel: 0) == 0)
  }

  @Test("reflect pads less than the input, circular at most the input (PyTorch's limits)")
  func paddingModeLimits() throws {
    func fits(_ mode: PaddingMode, padding: Int, input: Int) -> Bool {
      let c = Conv2DConfig(
        inChannels: 1, filters: 1, kernel: Size2(1), padding: Size2(padding), paddingMode: mode)
      return (try? c.outputSize(input: Size2(input))) != nil
    }
    #expect(fits(.reflect, padding: 3, input: 4))
    #expect(!fits(.reflect, padding: 4, input: 4))
    #expect(fits(.circular, padding: 4, input: 4))
    #expect(!fits(.circular, padding: 5, input: 4))
    #expect(fits(.replicate, padding: 9, input: 4))
    #expect(fits(.zeros, padding: 9, input: 4))
  }

  @Test("a position's partial backward pass of a grouped, copy-padded layer matches the replay")
  func partialBackward() throws {
    for mode in PaddingMode.allCases {
      let config = Conv2DConfig(
        inChannels: 4, filters: 6, kernel: Size2(3), stride: Size2(1, 2), padding: Size2(2, 1),
        groups: 2, paddingMode: mode)
      let x = dyadic([2, 4, 5, 7], seed: 7)
      let g = try ConvGeometry(config: config, inputShape: x.shape)
      let w = dyadic(config.weightShape, seed: 8)
      let dy = dyadic(g.outputShape, seed: 9)
      let perSample = config.filters * g.output.h * g.output.w
      for windows in [0, 1, g.output.w + 2, 2 * g.output.h * g.output.w + 3, perSample] {
        let fast = PartialBackward.sample(
          x: x, weight: w, dy: dy, geometry: g, sample: 1, windows: windows)
        var dx = [Float](repeating: 0, count: x.count)
        var dw = [Float](repeating: 0, count: w.count)
        var db = [Float](repeating: 0, count: config.filters)
        let oh = g.output.h
        let ow = g.output.w
        x.data.withUnsafeBufferPointer { xb in
          w.data.withUnsafeBufferPointer { wb in
            dx.withUnsafeMutableBufferPointer { dxb in
              dw.withUnsafeMutableBufferPointer { dwb in
                db.withUnsafeMutableBufferPointer { dbb in
                  for k in 0..<windows {
                    let (f, i, j) = (k / (oh * ow), (k / ow) % oh, k % ow)
                    CanonicalConv.accumulateWindow(
                      x: xb, w: wb, gradient: dy.data[((config.filters + f) * oh + i) * ow + j],
                      geometry: g, n: 1, f: f, i: i, j: j, dx: dxb, dw: dwb, db: dbb)
                  }
                }
              }
            }
          }
        }
        let sampleSize = 4 * 5 * 7
        #expect(fast.dx == Array(dx[sampleSize...]), "dx \(mode) \(windows)")
        #expect(fast.dw == dw, "dw \(mode) \(windows)")
        #expect(fast.db == db, "db \(mode) \(windows)")
      }
    }
  }

  @Test(
    "the public vectors for groups and padding modes agree on every backend",
    arguments: [
      "conv_groups2", "conv_depthwise", "conv_pad_reflect", "conv_pad_replicate",
      "conv_pad_circular",
    ])
  func publicVectors(name: String) throws {
    let c = try Fixtures.loadCase(name)
    let config = try #require(c.conv, "\(name) should read as a conv2d layer")
    #expect(!config.isPlain)
    for backend in ConvBackend.allCases {
      let y = try Conv2D.forward(
        x: c.tensor("x"), weight: c.tensor("w"), bias: c.tensor("b"), config: config,
        backend: backend)
      let g = try Conv2D.backward(
        x: c.tensor("x"), weight: c.tensor("w"), dy: c.tensor("dy"), config: config,
        backend: backend)
      for (key, value) in [("y", y), ("dx", g.dx), ("dw", g.dw), ("db", g.db)] {
        #expect(allClose(value, try c.tensor(key), rtol: 1e-5, atol: 1e-5), "\(key) \(backend)")
      }
    }
  }
}
