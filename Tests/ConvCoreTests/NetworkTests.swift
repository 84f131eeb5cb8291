import ConvCore
import Foundation
import Testing

// MARK: - A whole network

@Suite("network: layers, loss, gradients")
struct NetworkTests {
  /// A small network of every layer kind: a strided grouped conv with reflect padding, ReLU, a
  /// padded max-pool, a plain conv, flatten and linear. Input [N, 2, 7, 6].
  static func sample(seed: UInt64 = 3) throws -> Network {
    let spec = NetSpec(layers: [
      .conv2d(
        ConvLayerSpec(filters: 4, kernel: Size2(3), padding: 1, groups: 2, paddingMode: .reflect)),
      .relu,
      .maxPool2d(MaxPool2DConfig(kernel: 2, stride: 2, padding: 1)),
      .conv2d(
        ConvLayerSpec(filters: 3, kernel: Size2(2, 3), stride: Size2(1, 2), padding: Size2(1, 0))),
      .relu,
      .flatten,
      .linear(outputs: 5),
      .relu,
      .linear(outputs: 3),
    ])
    var net = try spec.initialized(input: [2, 2, 7, 6], seed: seed)
    // Non-zero biases, so their gradients and the layers' use of them are checked too.
    for k in net.layers.indices where net.layers[k].hasWeights {
      let count = net.layers[k].bias?.count ?? 0
      net.layers[k].bias = Tensor.uniform(shape: [count], in: -0.3...0.3, seed: seed + UInt64(k))
    }
    return net
  }

  static let x = Tensor.uniform(shape: [2, 2, 7, 6], in: -1...1, seed: 11)
  static let targets = [2, 0]

  // MARK: Linear

  @Test("linear: y = x·wᵀ + b, by hand and on the fast path against the Double reference")
  func linear() throws {
    let x = try Tensor(shape: [2, 3], data: [1, 2, 3, -1, 0, 2])
    let w = try Tensor(shape: [2, 3], data: [1, 0, -1, 0.5, 0.5, 0.5])
    let b = try Tensor(shape: [2], data: [0.25, -1])
    for backend in ConvBackend.allCases {
      let y = try Linear.forward(x: x, weight: w, bias: b, backend: backend)
      #expect(y.shape == [2, 2])
      #expect(y.data == [-1.75, 2, -2.75, -0.5], "\(backend)")
      let dy = try Tensor(shape: [2, 2], data: [1, 2, -1, 0.5])
      let g = try Linear.backward(x: x, weight: w, dy: dy, backend: backend)
      // dx = dy·w, dw = dyᵀ·x, db = Σ_n dy.
      #expect(g.dx.data == [2, 1, 0, -0.75, 0.25, 1.25], "\(backend)")
      #expect(g.dw.data == [2, 2, 1, 1.5, 4, 7], "\(backend)")
      #expect(g.db.data == [0, 2.5], "\(backend)")
    }
    let bx = Tensor.uniform(shape: [5, 37], seed: 1)
    let bw = Tensor.uniform(shape: [11, 37], seed: 2)
    let bb = Tensor.uniform(shape: [11], seed: 3)
    let bdy = Tensor.uniform(shape: [5, 11], seed: 4)
    let fast = try Linear.forward(x: bx, weight: bw, bias: bb)
    let ref = try Linear.forward(x: bx, weight: bw, bias: bb, backend: .reference)
    #expect(fast.maxAbsDifference(to: ref) < 1e-5)
    let gf = try Linear.backward(x: bx, weight: bw, dy: bdy)
    let gr = try Linear.backward(x: bx, weight: bw, dy: bdy, backend: .reference)
    #expect(gf.dx.maxAbsDifference(to: gr.dx) < 1e-5)
    #expect(gf.dw.maxAbsDifference(to: gr.dw) < 1e-5)
    #expect(gf.db.maxAbsDifference(to: gr.db) < 1e-5)
  }

  @Test("linear refuses an input that is not flat, naming flatten")
  func linearShapes() throws {
    let w = Tensor(shape: [2, 4])
    let b = Tensor(shape: [2])
    #expect(throws: ConvError.self) {
      try Linear.forward(x: Tensor(shape: [1, 1, 2, 2]), weight: w, bias: b)
    }
    do {
      _ = try Linear.forward(x: Tensor(shape: [1, 3]), weight: w, bias: b)
      Issue.record("no error")
    } catch {
      #expect("\(error)".contains("(2, 4)"))
    }
  }

  // MARK: Cross-entropy

  /// The textbook formula in Double, without the max shift: −log(exp(z_t) / Σ exp(z_k)).
  static func naiveCrossEntropy(_ z: [[Double]], _ t: [Int]) -> (Double, [[Double]]) {
    var loss = 0.0
    var grad: [[Double]] = []
    for (row, target) in zip(z, t) {
      let e = row.map { Foundation.exp($0) }
      let s = e.reduce(0, +)
      loss += -Foundation.log(e[target] / s)
      grad.append(e.indices.map { (e[$0] / s - ($0 == target ? 1 : 0)) / Double(z.count) })
    }
    return (loss / Double(z.count), grad)
  }

  @Test("cross-entropy: the mean over the batch and its gradient, against the Double formula")
  func crossEntropy() throws {
    let logits = Tensor.uniform(shape: [4, 5], in: -3...3, seed: 7)
    let targets = [0, 4, 2, 2]
    let (loss, grad) = try CrossEntropy.lossAndGradient(logits: logits, targets: targets)
    let rows = (0..<4).map { r in (0..<5).map { Double(logits.data[r * 5 + $0]) } }
    let (refLoss, refGrad) = Self.naiveCrossEntropy(rows, targets)
    #expect(abs(loss - refLoss) < 1e-12)
    for r in 0..<4 {
      for k in 0..<5 { #expect(abs(Double(grad.data[r * 5 + k]) - refGrad[r][k]) < 1e-7) }
    }
    // Each row's gradient sums to 0 (softmax sums to 1).
    for r in 0..<4 { #expect(abs((0..<5).map { grad.data[r * 5 + $0] }.reduce(0, +)) < 1e-6) }
  }

  @Test("cross-entropy is stable for large logits, and refuses bad targets in one line")
  func crossEntropyStable() throws {
    let logits = try Tensor(shape: [1, 3], data: [1000, 0, -1000])
    let (loss, grad) = try CrossEntropy.lossAndGradient(logits: logits, targets: [1])
    #expect(abs(loss - 1000) < 1e-9)
    #expect(grad.data.allSatisfy { $0.isFinite })
    #expect(abs(grad.data[0] - 1) < 1e-6 && abs(grad.data[1] + 1) < 1e-6)
    for bad in [[3], [-1], [0, 1]] {
      do {
        _ = try CrossEntropy.lossAndGradient(logits: logits, targets: bad)
        Issue.record("accepted \(bad)")
      } catch {
        #expect("\(error)".contains("target") && !"\(error)".contains("\n"))
      }
    }
  }

  // MARK: The whole network

  @Test("every layer on the fast path agrees with the Double reference, forward and backward")
  func fastAgainstReference() throws {
    let net = try Self.sample()
    let fast = try net.lossAndGradients(x: Self.x, targets: Self.targets)
    let ref = try net.lossAndGradients(x: Self.x, targets: Self.targets, backend: .reference)
    #expect(fast.logits.shape == [2, 3])
    #expect(fast.logits.maxAbsDifference(to: ref.logits) < 1e-5)
    #expect(abs(fast.loss - ref.loss) < 1e-5)
    #expect(fast.dx.shape == Self.x.shape)
    #expect(fast.dx.maxAbsDifference(to: ref.dx) < 1e-5)
    for k in net.layers.indices {
      #expect((fast.layers[k].dw == nil) == !net.layers[k].hasWeights)
      guard let dw = fast.layers[k].dw, let db = fast.layers[k].db else { continue }
      #expect(dw.shape == net.layers[k].weight?.shape && db.shape == net.layers[k].bias?.shape)
      #expect(try dw.maxAbsDifference(to: #require(ref.layers[k].dw)) < 1e-5, "layer \(k)")
      #expect(try db.maxAbsDifference(to: #require(ref.layers[k].db)) < 1e-5, "layer \(k)")
    }
    // Each layer's activations too.
    let a = try net.forward(Self.x)
    let r = try net.forward(Self.x, backend: .reference)
    for (u, v) in zip(a.values, r.values) { #expect(u.maxAbsDifference(to: v) < 1e-5) }
    #expect(a.values.map(\.shape) == (try net.shapes(input: Self.x.shape)))
  }

  /// Where the network is not smooth at `x`: every ReLU input's sign and every pool's winners.
  static func kinks(_ net: Network, _ x: Tensor) throws -> [[Int]] {
    let pass = try net.forward(x, backend: .reference)
    var result = pass.argmax
    for k in net.layers.indices where net.layers[k].kind == .relu {
      result.append(pass.values[k].data.map { $0 > 0 ? 1 : 0 })
    }
    return result
  }

  static func loss(_ net: Network, _ x: Tensor) throws -> Double {
    try net.lossAndGradients(x: x, targets: targets, backend: .reference).loss
  }

  @Test("finite differences of the loss match dx, dw and db of the whole network")
  func finiteDifferences() throws {
    let net = try Self.sample()
    let g = try net.lossAndGradients(x: Self.x, targets: Self.targets)
    let eps: Float = 2e-3
    var checked = 0
    func compare(_ analytic: Float, plus: (Network, Tensor), minus: (Network, Tensor)) throws {
      // A coordinate whose ±eps crosses a ReLU or pool kink has no derivative to compare.
      guard try Self.kinks(plus.0, plus.1) == Self.kinks(minus.0, minus.1) else { return }
      let numeric = (try Self.loss(plus.0, plus.1) - Self.loss(minus.0, minus.1)) / Double(2 * eps)
      #expect(abs(numeric - Double(analytic)) <= 2e-3 + 2e-2 * abs(numeric))
      checked += 1
    }
    for i in stride(from: 0, to: Self.x.count, by: 7) {
      var (xp, xm) = (Self.x, Self.x)
      xp.data[i] += eps
      xm.data[i] -= eps
      try compare(g.dx.data[i], plus: (net, xp), minus: (net, xm))
    }
    for k in net.layers.indices where net.layers[k].hasWeights {
      let (w, b) = (try #require(net.layers[k].weight), try #require(net.layers[k].bias))
      for i in stride(from: 0, to: w.count, by: 3) {
        var (np, nm) = (net, net)
        np.layers[k].weight?.data[i] += eps
        nm.layers[k].weight?.data[i] -= eps
        try compare(try #require(g.layers[k].dw).data[i], plus: (np, Self.x), minus: (nm, Self.x))
      }
      for i in 0..<b.count {
        var (np, nm) = (net, net)
        np.layers[k].bias?.data[i] += eps
        nm.layers[k].bias?.data[i] -= eps
        try compare(try #require(g.layers[k].db).data[i], plus: (np, Self.x), minus: (nm, Self.x))
      }
    }
    #expect(checked >= 40, "only \(checked) coordinates away from kinks")
  }

  @Test("a wrong gradient fails the finite-difference comparison (the check can fail)")
  func finiteDifferencesCatchMistakes() throws {
    let net = try Self.sample()
    var g = try net.lossAndGradients(x: Self.x, targets: Self.targets)
    g.dx.data[0] += 0.05
    let eps: Float = 2e-3
    var (xp, xm) = (Self.x, Self.x)
    xp.data[0] += eps
    xm.data[0] -= eps
    let numeric = (try Self.loss(net, xp) - Self.loss(net, xm)) / Double(2 * eps)
    #expect(abs(numeric - Double(g.dx.data[0])) > 2e-3 + 2e-2 * abs(numeric))
  }

  // MARK: Architecture and initialisation

  @Test("He initialisation: the same seed gives the same weights, another seed others")
  func heInit() throws {
    let a = try Self.sample(seed: 5)
    let b = try Self.sample(seed: 5)
    let c = try Self.sample(seed: 6)
    #expect(a == b)
    #expect(a.layers[0].weight != c.layers[0].weight)
    let spec = NetSpec(layers: [.flatten, .linear(outputs: 400)])
    let big = try spec.initialized(input: [1, 2, 5, 5], seed: 1)
    let w = try #require(big.layers[1].weight)
    #expect(w.shape == [400, 50])
    let variance = w.data.map { Double($0 * $0) }.reduce(0, +) / Double(w.count)
    #expect(abs(variance - 2.0 / 50) < 0.004, "variance \(variance), He wants 2/fan_in")
    #expect(big.layers[1].bias?.data.allSatisfy { $0 == 0 } == true)
  }

  @Test("shape inference names the layer that does not fit and the shape it is given")
  func shapeErrors() throws {
    let spec = NetSpec(layers: [
      .conv2d(ConvLayerSpec(filters: 2, kernel: Size2(3))), .relu, .linear(outputs: 10),
    ])
    do {
      _ = try spec.shapes(input: [1, 1, 8, 8])
      Issue.record("no error")
    } catch {
      #expect(error.layer == 2 && error.input == [1, 2, 6, 6])
      #expect(error.description.contains("layer 3") && error.description.contains("flatten"))
    }
    let ok = NetSpec(layers: [
      .conv2d(ConvLayerSpec(filters: 2, kernel: Size2(3), padding: 1)),
      .maxPool2d(MaxPool2DConfig(kernel: 2)), .flatten, .linear(outputs: 10),
    ])
    #expect(
      try ok.shapes(input: [4, 1, 8, 8]) == [
        [4, 1, 8, 8], [4, 2, 8, 8], [4, 2, 4, 4], [4, 32], [4, 10],
      ])
  }
}
