import ConvCore
import ConvStepper
import Testing

@testable import ConvDebug

// MARK: - check on grouped and copy-padded layers (issue 15)

@Suite("check on grouped and copy-padded layers")
struct GroupPaddingCheckTests {
  /// Grouped layers with each copying padding mode (and a zero-padded one), strides and
  /// rectangular inputs.
  static let layers:
    [(
      groups: Int, channels: Int, filters: Int, mode: PaddingMode, stride: Int,
      padding: Size2
    )] = [
      (2, 4, 4, .reflect, 1, Size2(1, 1)),
      (3, 3, 6, .replicate, 2, Size2(2, 1)),
      (1, 2, 3, .circular, 1, Size2(1, 2)),
      (2, 4, 2, .zeros, 2, Size2(1, 1)),
    ]

  static func scenario(_ k: Int) throws -> Scenario {
    let l = layers[k]
    return try Layers.random(
      batch: 2, channels: l.channels, filters: l.filters, input: Size2(5, 6),
      stride: Size2(l.stride), padding: l.padding, seed: UInt64(10 + k), groups: l.groups,
      paddingMode: l.mode)
  }

  /// The input cells window `(n, f, i, j)` reads, by brute force (flat, channels first).
  static func cellsRead(_ g: ConvGeometry, n: Int, f: Int, i: Int, j: Int) -> Set<Int> {
    let cfg = g.config
    var cells = Set<Int>()
    for c in 0..<cfg.groupChannels {
      let ch = cfg.inputChannel(filter: f, weightChannel: c)
      for p in 0..<cfg.kernel.h {
        guard let h = g.sourceRow(g.inputRow(outputRow: i, kernelRow: p)) else { continue }
        for q in 0..<cfg.kernel.w {
          guard let w = g.sourceColumn(g.inputColumn(outputColumn: j, kernelColumn: q))
          else { continue }
          cells.insert(((n * cfg.inChannels + ch) * g.input.h + h) * g.input.w + w)
        }
      }
    }
    return cells
  }

  @Test("the correct tensors agree and nothing is named", arguments: 0..<layers.count)
  func correctAgrees(_ k: Int) throws {
    let s = try Self.scenario(k)
    let c = try Layers.correct(s)
    let comparison = try Comparison(
      trace: LayerTrace(s), user: UserTensors(y: c.y, dx: c.dx, dw: c.dw, db: c.db))
    #expect(comparison.allMatch, "\(comparison.mismatching)")
    #expect(comparison.diagnose().diagnoses.isEmpty)
  }

  @Test("the formulas of dx and dw sum to the correct values", arguments: 0..<layers.count)
  func formulasSum(_ k: Int) throws {
    let s = try Self.scenario(k)
    let comparison = try Comparison(trace: LayerTrace(s), user: UserTensors())
    let e = comparison.reference.expected
    let (dx, dw) = (try #require(e[.dx]), try #require(e[.dw]))
    for flat in dx.values.indices {
      let index = TensorComparison.unflatten(flat, shape: dx.shape)
      let sum = comparison.dxProducts(index).reduce(0) { $0 + $1.0 * $1.1 }
      #expect(abs(sum - dx.values[flat]) <= 1e-9 * max(1, dx.magnitude[flat]), "dx\(index)")
    }
    for flat in dw.values.indices {
      let index = TensorComparison.unflatten(flat, shape: dw.shape)
      let sum = comparison.dwProducts(index).reduce(0) { $0 + $1.0 * $1.1 }
      #expect(abs(sum - dw.values[flat]) <= 1e-9 * max(1, dw.magnitude[flat]), "dw\(index)")
    }
  }

  @Test(
    "a window's dx cells and the windows reading a cell follow groups and copies",
    arguments: 0..<layers.count)
  func windowsAndCells(_ k: Int) throws {
    let s = try Self.scenario(k)
    let c = try Layers.correct(s)
    let trace = try LayerTrace(s)
    let comparison = try Comparison(trace: trace, user: UserTensors(dx: c.dx))
    let g = trace.geometry
    var readers: [Int: Set<Int>] = [:]
    var window = 0
    for n in 0..<g.batch {
      for f in 0..<g.config.filters {
        for i in 0..<g.output.h {
          for j in 0..<g.output.w {
            let read = Self.cellsRead(g, n: n, f: f, i: i, j: j)
            let shown = comparison.cells(inWindow: window, of: .backward).map(\.flat)
            #expect(Set(shown) == read && shown.count == read.count, "window \(window)")
            for cell in read { readers[cell, default: []].insert(window) }
            window += 1
          }
        }
      }
    }
    for cell in 0..<g.inputShape.reduce(1, *) {
      #expect(
        comparison.backwardWindows(readingInput: cell) == (readers[cell] ?? []).sorted(),
        "cell \(cell)")
    }
  }

  @Test("a wrong dw cell marks its filter's update window; db and dw planes are C/G wide")
  func updateWindows() throws {
    let s = try Self.scenario(1)  // 3 groups, 1 channel per group, 2 filters per group
    var c = try Layers.correct(s)
    let per = s.config.groupChannels * 9
    c.dw.data[4 * per + 3] += 1
    let comparison = try Comparison(trace: LayerTrace(s), user: UserTensors(dw: c.dw))
    #expect(comparison.mismatchWindows(in: .update) == [4])
    let result = try GradcheckResult(trace: LayerTrace(s), maxCellsPerTensor: 20)
    #expect(result.map(.dw, plane: (5, 0)) != nil)
    #expect(result.map(.dw, plane: (5, 1)) == nil)
  }

  @Test("gradcheck passes on grouped, copy-padded layers", arguments: 0..<layers.count)
  func gradcheckPasses(_ k: Int) throws {
    let result = try GradcheckResult(trace: LayerTrace(Self.scenario(k)))
    #expect(result.passed)
  }

  @Test("each new mistake is named on a grouped, reflect-padded layer")
  func newMistakesNamed() throws {
    let s = try Self.scenario(0)
    let trace = try LayerTrace(s)
    let c = try Layers.correct(s)
    let reference = ReferenceData(trace: trace)
    let context = BugContext(
      geometry: trace.geometry, reference: reference, dy: reference.dy, dyIsUsersY: false,
      gradientIsOutput: false, learningRate: 0.1, user: UserTensors(),
      wanted: [.y, .dx, .dw, .db], tolerance: Tolerance())
    let cases: [(BugInfo, (BugContext) -> VariantResult?)] = [
      (.groupsFirstGroup, Bugs.groupsFirstGroup), (.groupsInterleaved, Bugs.groupsInterleaved),
      (.reflectAsReplicate, Bugs.reflectAsReplicate),
      (.paddingModeIgnored, Bugs.paddingModeIgnored),
      (.paddingGradientNotFolded, Bugs.paddingGradientNotFolded),
    ]
    for (info, compute) in cases {
      let result = try #require(compute(context), "\(info.id)")
      func tensor(_ name: CheckedTensor, _ correct: Tensor) throws -> Tensor {
        guard let e = result.tensors[name] else { return correct }
        return try Tensor(shape: e.shape, data: e.values.map { Float($0) })
      }
      let user = UserTensors(
        y: try tensor(.y, c.y), dx: try tensor(.dx, c.dx), dw: try tensor(.dw, c.dw), db: c.db)
      let comparison = try Comparison(trace: trace, user: user)
      let named = comparison.diagnose().diagnoses.map(\.id)
      #expect(!comparison.allMatch && named.first == info.id, "\(info.id): named \(named)")
    }
  }
}
