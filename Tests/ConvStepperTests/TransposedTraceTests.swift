import ConvCore
import ConvStepper
import Testing

// MARK: - The transposed walk's numbers

/// Transposed layers covering stride, padding, output_padding, dilation, groups, batches and
/// rectangular shapes.
enum TransposedScenarios {
  static func make(
    c: Int, f: Int, k: Size2, size: Size2, batch: Int, stride: Size2 = Size2(1),
    padding: Size2 = Size2(0), outputPadding: Size2 = Size2(0), dilation: Size2 = Size2(1),
    groups: Int = 1, seed: UInt64 = 3
  ) -> TransposedScenario {
    TransposedScenario(
      spec: GeneralConvSpec(
        transposed: true, stride: stride, padding: padding, dilation: dilation,
        outputPadding: outputPadding, groups: groups),
      input: Tensor.normal(shape: [batch, c, size.h, size.w], seed: seed),
      weight: Tensor.normal(shape: [c, f / groups, k.h, k.w], seed: seed + 1),
      bias: Tensor.normal(shape: [f], seed: seed + 2), gradient: .random(seed: seed + 3),
      learningRate: 0.05)
  }

  static let all: [(String, TransposedScenario)] = [
    ("stride 2, k 3", make(c: 1, f: 1, k: Size2(3), size: Size2(3), batch: 1, stride: Size2(2))),
    (
      "stride 2×3, padding 1×0, output_padding 1×2, batch 2",
      make(
        c: 2, f: 3, k: Size2(3, 4), size: Size2(3, 2), batch: 2, stride: Size2(2, 3),
        padding: Size2(1, 0), outputPadding: Size2(1, 2))
    ),
    (
      "dilation 2×1, groups 2",
      make(
        c: 4, f: 2, k: Size2(2, 3), size: Size2(2, 3), batch: 2, stride: Size2(1, 2),
        dilation: Size2(2, 1), groups: 2)
    ),
    (
      "output_padding 1 under dilation 2, stride 1",
      make(
        c: 1, f: 2, k: Size2(2), size: Size2(3), batch: 1, outputPadding: Size2(1),
        dilation: Size2(2))
    ),
  ]
}

@Suite("The transposed walk's trace")
struct TransposedTraceTests {
  @Test("The stamps made one input cell at a time add up to y", arguments: TransposedScenarios.all)
  func stampsAddUp(_ name: String, _ s: TransposedScenario) throws {
    let t = try TransposedTrace(s)
    let d = t.dims
    let last = t.stepCount(.forward) - 1
    for n in 0..<d.n {
      for f in 0..<d.f {
        let partial = t.partialOutput(sample: n, channel: f, through: last)
        let base = (n * d.f + f) * d.oh * d.ow
        for k in partial.indices {
          #expect(abs(partial[k] - t.y.data[base + k]) < 1e-4, "\(name): y[\(n),\(f)] cell \(k)")
        }
        // Before the first stamp: the bias alone.
        let start = t.partialOutput(sample: n, channel: f, through: -1)
        #expect(start.allSatisfy { $0 == s.bias.data[f] })
      }
    }
  }

  @Test(
    "One step's terms sum to dx; walking every cell gives dw", arguments: TransposedScenarios.all)
  func backwardSteps(_ name: String, _ s: TransposedScenario) throws {
    let t = try TransposedTrace(s)
    let d = t.dims
    for n in 0..<d.n {
      for k in 0..<t.stepCount(.backward) {
        let (c, i, j) = t.inputCell(step: k)
        #expect(t.step(channel: c, row: i, column: j) == k)
        let sum = t.gradientTerms(sample: n, channel: c, row: i, column: j).reduce(Float(0)) {
          $0 + $1.weight * $1.gradient
        }
        let flat = ((n * d.c + c) * d.h + i) * d.w + j
        #expect(abs(sum - t.gradients.dx.data[flat]) < 1e-4, "\(name): dx[\(flat)]")
      }
    }
    let dw = t.partialWeightGradient(sample: d.n - 1, through: t.stepCount(.backward) - 1)
    for k in dw.data.indices {
      #expect(abs(dw.data[k] - t.gradients.dw.data[k]) < 1e-4, "\(name): dw[\(k)]")
    }
    // One kernel at a time, at every step of the last sample: the same numbers.
    for k in stride(from: -1, to: t.stepCount(.backward), by: 3) {
      let all = t.partialWeightGradient(sample: d.n - 1, through: k)
      for c in 0..<d.c {
        for f in d.outputChannels(ofInput: c) {
          let one = t.partialKernelGradient(sample: d.n - 1, input: c, output: f, through: k)
          let base = d.weightIndex(input: c, output: f, row: 0, column: 0)
          for q in one.indices {
            #expect(abs(one[q] - all.data[base + q]) < 1e-4, "\(name): dw[\(c),\(f)] at \(k)")
          }
        }
      }
    }
    let none = t.partialWeightGradient(sample: 0, through: -1)
    #expect(none.data.allSatisfy { $0 == 0 })
  }

  @Test("The zero-insertion conv2d walks to the same y and dw", arguments: TransposedScenarios.all)
  func zeroInsertion(_ name: String, _ s: TransposedScenario) throws {
    let t = try TransposedTrace(s)
    let conv = try LayerTrace(s.zeroInsertionScenario(dy: t.dy))
    #expect(conv.y.shape == t.y.shape)
    for k in t.y.data.indices { #expect(abs(conv.y.data[k] - t.y.data[k]) < 1e-4, "\(name)") }
    for k in t.gradients.db.data.indices {
      #expect(abs(conv.gradients.db.data[k] - t.gradients.db.data[k]) < 1e-4)
    }
  }

  @Test("The adjoint conv2d's dx is y − b and its forward is dx")
  func adjoint() throws {
    for (name, s) in TransposedScenarios.all {
      let t = try TransposedTrace(s)
      let outputPaddingBelowStride =
        s.spec.outputPadding.h < s.spec.stride.h && s.spec.outputPadding.w < s.spec.stride.w
      guard outputPaddingBelowStride else {
        #expect(throws: ConvError.self, "\(name)") { try s.adjointScenario(dy: t.dy) }
        continue
      }
      let conv = try LayerTrace(s.adjointScenario(dy: t.dy))
      let plane = t.dims.oh * t.dims.ow
      for k in t.y.data.indices {
        let yMinusB = t.y.data[k] - s.bias.data[(k / plane) % t.dims.f]
        #expect(abs(conv.gradients.dx.data[k] - yMinusB) < 1e-4, "\(name): y − b [\(k)]")
      }
      for k in t.gradients.dx.data.indices {
        #expect(abs(conv.y.data[k] - t.gradients.dx.data[k]) < 1e-4, "\(name): dx [\(k)]")
      }
      for k in t.gradients.dw.data.indices {
        #expect(abs(conv.gradients.dw.data[k] - t.gradients.dw.data[k]) < 1e-4, "\(name): dw")
      }
    }
  }

  @Test("Stride 2 with a 3×3 kernel overlaps in a checkerboard")
  func checkerboard() throws {
    let t = try TransposedTrace(TransposedScenarios.all[0].1)
    // 3×3 input, stride 2, k 3: a 7×7 output; rows 0, 2, 4, 6 of a stamp meet.
    #expect(t.dims.oh == 7 && t.dims.ow == 7)
    let counts = t.overlapCounts()
    #expect(Array(counts[0..<7]) == [1, 1, 2, 1, 2, 1, 1])
    #expect(Array(counts[14..<21]) == [2, 2, 4, 2, 4, 2, 2])
    #expect(t.stepCount(.forward) == 9 && t.stepCount(.update) == 2)
  }

  @Test("A layer that does not fit is refused in one line")
  func refusals() {
    var s = TransposedScenarios.make(c: 2, f: 2, k: Size2(3), size: Size2(3), batch: 1)
    s.spec.outputPadding = Size2(1)
    #expect(throws: ConvError.self) { try TransposedTrace(s) }
    s = TransposedScenarios.make(c: 3, f: 2, k: Size2(3), size: Size2(3), batch: 1, groups: 2)
    #expect(throws: (any Error).self) { try TransposedTrace(s) }
    s = TransposedScenarios.make(c: 1, f: 1, k: Size2(3), size: Size2(3), batch: 1)
    s.startPhase = .relu
    #expect(throws: ConvError.self) { try s.validate() }
  }
}
