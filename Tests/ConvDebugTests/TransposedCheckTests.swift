import ConvCore
import ConvFormats
import Foundation
import Testing

@testable import ConvDebug

// MARK: - Checking a transposed convolution

/// The transposed layers the tests check: every public and PyTorch-made `conv_transpose2d`
/// case (groups > 1, stride > 1, output_padding > 0, dilation > 1, rectangular shapes, batches
/// of 2), and generated ones with random float32 data.
enum TransposedCases {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The case files' paths.
  static let files: [String] = {
    var r: [String] = []
    for folder in ["Tests/Fixtures/conv-vectors", "Tests/Fixtures/torch-cases"] {
      let dir = root.appendingPathComponent(folder)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
      for name in names.sorted()
      where name.hasSuffix(".json") && (name.hasPrefix("convT_") || name.hasPrefix("torch_convT_"))
      {
        r.append(dir.appendingPathComponent(name).path)
      }
    }
    return r
  }()

  /// The layer of a case file.
  static func layer(_ path: String) throws -> TransposedLayer {
    let c = try ConvCase.load(path: path)
    let spec = try #require(c.general)
    return try TransposedLayer(
      x: c.tensor("x"), w: c.tensor("w"), b: c.tensor("b"), dy: c.tensors["dy"], spec: spec)
  }

  /// A generated layer with random float32 data: `x [n, c, h, w]`, `w [c, f/g, kernel]`.
  static func random(
    n: Int = 2, c: Int, f: Int, h: Int, w: Int, kernel: Size2, spec: GeneralConvSpec,
    seed: UInt64
  ) throws -> TransposedLayer {
    let x = Tensor.uniform(shape: [n, c, h, w], seed: seed)
    let wt = Tensor.uniform(shape: [c, f / spec.groups, kernel.h, kernel.w], seed: seed &+ 1)
    let b = Tensor.uniform(shape: [f], seed: seed &+ 2)
    let out = try GeneralReference.outputShape(x: x.shape, w: wt.shape, spec: spec)
    let dy = Tensor.uniform(shape: out, seed: seed &+ 3)
    return try TransposedLayer(x: x, w: wt, b: b, dy: dy, spec: spec)
  }

  /// Generated layers beside the files: rectangular, every parameter away from its default.
  static func generated() throws -> [TransposedLayer] {
    [
      try random(
        c: 4, f: 6, h: 3, w: 5, kernel: Size2(3, 2),
        spec: GeneralConvSpec(
          transposed: true, stride: Size2(2, 3), padding: Size2(1, 0), dilation: Size2(1, 2),
          outputPadding: Size2(1, 2), groups: 2), seed: 11),
      try random(
        n: 1, c: 3, f: 2, h: 4, w: 4, kernel: Size2(3),
        spec: GeneralConvSpec(
          transposed: true, stride: Size2(2), padding: Size2(1), outputPadding: Size2(1)),
        seed: 21),
      try random(
        c: 2, f: 4, h: 5, w: 3, kernel: Size2(2, 3),
        spec: GeneralConvSpec(
          transposed: true, stride: Size2(1), dilation: Size2(2, 1), outputPadding: Size2(1, 0),
          groups: 2), seed: 31),
    ]
  }

  /// Every layer: the case files and the generated ones.
  static func all() throws -> [TransposedLayer] {
    try files.map(layer) + generated()
  }
}

// MARK: - The mistakes, computed independently

/// Each mistake made the way a user's code would make it, on ConvCore's fast path (float32):
/// none of it goes through ``TransposedScatter``.
enum TransposedMistakes {
  /// Each kernel turned 180°.
  static func flipped(_ w: Tensor) -> Tensor {
    let (kh, kw) = (w.shape[2], w.shape[3])
    var r = w
    for k in 0..<(w.count / (kh * kw)) {
      for p in 0..<kh {
        for q in 0..<kw {
          r.data[(k * kh + p) * kw + q] = w.data[(k * kh + kh - 1 - p) * kw + kw - 1 - q]
        }
      }
    }
    return r
  }

  /// The zero-insertion form with the kernel not flipped: a conv2d over the zero-inserted
  /// input with ZeroInsertion's weights turned back; its gradients mapped back without the
  /// flip (dw as the user's form sees it).
  static func notFlipped(_ l: TransposedLayer) throws -> UserTensors {
    let z = try ZeroInsertion(spec: l.spec, x: l.x.shape, w: l.w.shape)
    let (xz, wz) = (z.input(l.x), flipped(z.weights(l.w)))
    let y = try Conv2D.forward(x: xz, weight: wz, bias: l.b, config: z.config, backend: .direct)
    let gz = try Conv2D.backward(x: xz, weight: wz, dy: l.dy, config: z.config, backend: .direct)
    let g = z.gradients(gz, weightShape: l.w.shape)
    return UserTensors(y: y, dx: g.dx, dw: flipped(g.dw), db: g.db)
  }

  /// output_padding left out: the smaller output (`fill` nil), or the full one whose missing
  /// cells hold zeros or the bias; the gradients from the part of dy their output has.
  static func outputPaddingForgotten(_ l: TransposedLayer, fill: String?) throws -> UserTensors {
    var spec = l.spec
    spec.outputPadding = Size2(0)
    let small = try TransposedConv.forward(x: l.x, weight: l.w, bias: l.b, spec: spec)
    let (n, f, sh, sw) = (small.shape[0], small.shape[1], small.shape[2], small.shape[3])
    let (oh, ow) = (l.outputShape[2], l.outputShape[3])
    var y = small
    if let fill {
      y = Tensor(shape: l.outputShape)
      for plane in 0..<(n * f) {
        for i in 0..<oh {
          for j in 0..<ow {
            y.data[(plane * oh + i) * ow + j] =
              i < sh && j < sw
              ? small.data[(plane * sh + i) * sw + j] : fill == "bias" ? l.b.data[plane % f] : 0
          }
        }
      }
    }
    var dy = Tensor(shape: small.shape)
    for plane in 0..<(n * f) {
      for i in 0..<sh {
        for j in 0..<sw {
          dy.data[(plane * sh + i) * sw + j] = l.dy.data[(plane * oh + i) * ow + j]
        }
      }
    }
    let g = try TransposedConv.backward(x: l.x, weight: l.w, dy: dy, spec: spec)
    return UserTensors(y: y, dx: g.dx, dw: g.dw, db: g.db)
  }

  /// The full scatter, never cropped: the same layer with padding 0.
  static func paddingNotCropped(_ l: TransposedLayer) throws -> UserTensors {
    var spec = l.spec
    spec.padding = Size2(0)
    return UserTensors(y: try TransposedConv.forward(x: l.x, weight: l.w, bias: l.b, spec: spec))
  }

  /// Every output channel reading all C channels through `w[c, f % (F/G)]`: a one-group layer
  /// with those kernels laid out `[C, F]`; dw summed back over the outputs sharing a kernel.
  static func groupsIgnored(_ l: TransposedLayer) throws -> UserTensors {
    let (c, fg, kh, kw) = (l.w.shape[0], l.w.shape[1], l.w.shape[2], l.w.shape[3])
    let f = l.outputShape[1]
    let k = kh * kw
    var wide = Tensor(shape: [c, f, kh, kw])
    for ci in 0..<c {
      for fi in 0..<f {
        for t in 0..<k { wide.data[(ci * f + fi) * k + t] = l.w.data[(ci * fg + fi % fg) * k + t] }
      }
    }
    var spec = l.spec
    spec.groups = 1
    let y = try TransposedConv.forward(x: l.x, weight: wide, bias: l.b, spec: spec)
    let g = try TransposedConv.backward(x: l.x, weight: wide, dy: l.dy, spec: spec)
    var dw = Tensor(shape: l.w.shape)
    for ci in 0..<c {
      for fi in 0..<f {
        for t in 0..<k { dw.data[(ci * fg + fi % fg) * k + t] += g.dw.data[(ci * f + fi) * k + t] }
      }
    }
    return UserTensors(y: y, dx: g.dx, dw: dw, db: g.db)
  }

  /// w's flat data read as `[F, C/G, KH, KW]`: the kernel of `(c, f)` is `w[f, c % (C/G)]`;
  /// dw written back the same way.
  static func channelsSwapped(_ l: TransposedLayer) throws -> UserTensors {
    let (c, fg, kh, kw) = (l.w.shape[0], l.w.shape[1], l.w.shape[2], l.w.shape[3])
    let cg = c / l.spec.groups
    let k = kh * kw
    var used = Tensor(shape: l.w.shape)
    for ci in 0..<c {
      for fl in 0..<fg {
        let fi = ci / cg * fg + fl
        for t in 0..<k { used.data[(ci * fg + fl) * k + t] = l.w.data[(fi * cg + ci % cg) * k + t] }
      }
    }
    let y = try TransposedConv.forward(x: l.x, weight: used, bias: l.b, spec: l.spec)
    let g = try TransposedConv.backward(x: l.x, weight: used, dy: l.dy, spec: l.spec)
    var dw = Tensor(shape: l.w.shape)
    for ci in 0..<c {
      for fl in 0..<fg {
        let fi = ci / cg * fg + fl
        for t in 0..<k { dw.data[(fi * cg + ci % cg) * k + t] = g.dw.data[(ci * fg + fl) * k + t] }
      }
    }
    return UserTensors(y: y, dx: g.dx, dw: dw, db: g.db)
  }
}

// MARK: - Tests

@Suite("TransposedComparison: checking a transposed convolution")
struct TransposedCheckTests {
  /// The correct numbers of a layer, from the fast path.
  static func correct(_ l: TransposedLayer) throws -> UserTensors {
    let y = try TransposedConv.forward(x: l.x, weight: l.w, bias: l.b, spec: l.spec)
    let g = try TransposedConv.backward(x: l.x, weight: l.w, dy: l.dy, spec: l.spec)
    return UserTensors(y: y, dx: g.dx, dw: g.dw, db: g.db)
  }

  @Test("the scatter in Double agrees with GeneralReference and every case file's own numbers")
  func scatterIsRight() throws {
    #expect(TransposedCases.files.count >= 10)
    for path in TransposedCases.files {
      let l = try TransposedCases.layer(path)
      let c = try ConvCase.load(path: path)
      let user = UserTensors(
        y: c.tensors["y"], dx: c.tensors["dx"], dw: c.tensors["dw"], db: c.tensors["db"])
      let comparison = try TransposedComparison(layer: l, user: user)
      #expect(comparison.results.count == 4, "\(path)")
      #expect(comparison.allMatch, "\(path): \(comparison.mismatching)")
      let y = try GeneralReference.forward(x: l.x, weight: l.w, bias: l.b, spec: l.spec)
      #expect(comparison.correct(.y)?.maxAbsDifference(to: y) ?? 1 < 1e-5, "\(path)")
    }
  }

  @Test("correct numbers (the fast path's) agree, and no mistake is named")
  func correctIsNotDiagnosed() throws {
    for l in try TransposedCases.all() {
      let comparison = try TransposedComparison(layer: l, user: try Self.correct(l))
      #expect(comparison.allMatch, "\(l.line)")
      let report = comparison.diagnose()
      #expect(report.diagnoses.isEmpty, "\(l.line): \(report.diagnoses.map(\.id))")
      #expect(CheckReport.exitStatus(comparison) == 0)
    }
  }

  /// The ids `diagnose` names for `user`, best first; every tensor that differs is explained.
  static func named(_ l: TransposedLayer, _ user: UserTensors) throws -> [String] {
    let comparison = try TransposedComparison(layer: l, user: user)
    let report = comparison.diagnose()
    #expect(report.unexplained.isEmpty, "\(l.line): unexplained \(report.unexplained)")
    return report.diagnoses.map(\.id)
  }

  @Test("the kernel not flipped in the zero-insertion form is named")
  func notFlipped() throws {
    var tried = 0
    for l in try TransposedCases.all() where l.w.shape[2] * l.w.shape[3] > 1 {
      let user = try TransposedMistakes.notFlipped(l)
      #expect(try Self.named(l, user).first == "transposed-kernel-not-flipped", "\(l.line)")
      tried += 1
    }
    #expect(tried >= 8)
  }

  @Test("output_padding forgotten is named: a smaller y, or its missing cells zeros or the bias")
  func outputPaddingForgotten() throws {
    var tried = 0
    for l in try TransposedCases.all() where l.spec.outputPadding != Size2(0) {
      for fill in [nil, "zeros", "bias"] {
        let user = try TransposedMistakes.outputPaddingForgotten(l, fill: fill)
        // Rows no tap reaches hold the bias in the correct output too (output_padding below
        // the dilation, at stride 1): filled with the bias, y is right there.
        if fill == "bias",
          try TransposedComparison(layer: l, user: UserTensors(y: user.y))
            .allMatch
        {
          continue
        }
        let ids = try Self.named(l, user)
        #expect(ids.first == "transposed-output-padding-forgotten", "\(l.line) \(fill ?? "-")")
        // y alone (its shape is the only clue when the shape differs).
        let yOnly = try Self.named(l, UserTensors(y: user.y))
        #expect(yOnly == ["transposed-output-padding-forgotten"], "\(l.line) \(fill ?? "-")")
      }
      tried += 1
    }
    #expect(tried >= 7)
  }

  @Test("padding not cropped is named from y alone, whose shape is the only clue")
  func paddingNotCropped() throws {
    var tried = 0
    for l in try TransposedCases.all() where l.spec.padding != Size2(0) {
      let user = try TransposedMistakes.paddingNotCropped(l)
      #expect(try Self.named(l, user) == ["transposed-padding-not-cropped"], "\(l.line)")
      tried += 1
    }
    #expect(tried >= 5)
  }

  @Test("groups ignored is named when there is more than one group")
  func groupsIgnored() throws {
    var tried = 0
    for l in try TransposedCases.all() where l.spec.groups > 1 {
      let user = try TransposedMistakes.groupsIgnored(l)
      #expect(try Self.named(l, user).first == "transposed-groups-ignored", "\(l.line)")
      tried += 1
    }
    #expect(tried >= 5)
  }

  @Test("w read with its channel axes swapped is named")
  func channelsSwapped() throws {
    var tried = 0
    // Only where a group has more than one input and output channel: otherwise both
    // readings are the same.
    for l in try TransposedCases.all()
    where l.x.shape[1] / l.spec.groups > 1 && l.w.shape[1] > 1 {
      let user = try TransposedMistakes.channelsSwapped(l)
      let ids = try Self.named(l, user)
      #expect(ids.first == "transposed-channels-swapped", "\(l.line) \(ids)")
      tried += 1
    }
    #expect(tried >= 5)
  }

  @Test("a mistake that cannot show on a layer is not tried (a 1×1 kernel is never flipped)")
  func notApplicable() throws {
    let l = try TransposedCases.random(
      c: 2, f: 2, h: 3, w: 3, kernel: Size2(1), spec: GeneralConvSpec(transposed: true),
      seed: 5)
    func context(_ l: TransposedLayer) -> TransposedBugContext {
      TransposedBugContext(
        layer: l, x: l.x.doubles, w: l.w.doubles, b: l.b.doubles, dy: l.dy.doubles,
        user: UserTensors(y: l.x), tolerance: Tolerance())
    }
    #expect(TransposedBugs.notFlipped(context(l)) == nil)
    #expect(TransposedBugs.groupsIgnored(context(l)) == nil)
    #expect(TransposedBugs.outputPaddingForgotten(context(l)) == nil)
    #expect(TransposedBugs.channelsSwapped(context(l)) != nil)
    // One input channel per group: w[c, f′] and w[f, c′] are the same kernel.
    let depthwise = try TransposedCases.random(
      c: 2, f: 4, h: 3, w: 3, kernel: Size2(3), spec: GeneralConvSpec(transposed: true, groups: 2),
      seed: 6)
    #expect(TransposedBugs.channelsSwapped(context(depthwise)) == nil)
    #expect(TransposedBugs.groupsIgnored(context(depthwise)) != nil)
  }

  @Test("a differing y cell: its formula lists the products that land on it, and sums right")
  func formula() throws {
    let l = try TransposedCases.layer(TransposedCases.files[0])
    var user = try Self.correct(l)
    user.y?.data[5] += 1
    let comparison = try TransposedComparison(layer: l, user: user)
    #expect(comparison[.y]?.mismatches == [5])
    let formula = try #require(comparison.correctFormula(.y, flat: 5))
    #expect(formula.hasPrefix("y[0,0,0,5] = b + Σ x·w = "), "\(formula)")
    let text = CheckReport.text(comparison, comparison.diagnose())
    #expect(text.contains("first differing cell: y[0,0,0,5]"))
    #expect(text.contains("a transposed layer has no window"))
    #expect(text.contains("No known mistake of transposed convolutions reproduces your numbers."))
    let cells = l.outputShape.reduce(1, *)
    #expect(
      text.contains("Pattern: y differs in 1 of \(cells) cells: only on the border"), "\(text)")
    let pattern = try #require(comparison.differencePattern(.y))
    #expect(pattern.axes.map(\.differing) == [[0], [0], [0], [5]])
    #expect(pattern.text.contains("only output channel f = 0 (of 0…1)"))
    #expect(pattern.windows.isEmpty && pattern.windowsText == nil)
    for t in CheckedTensor.allCases {
      #expect(comparison.correctFormula(t, flat: 0) != nil)
    }
  }

  @Test("the report names the mistake in text and JSON, with the layer marked transposed")
  func report() throws {
    let l = try TransposedCases.generated()[0]
    let comparison = try TransposedComparison(
      layer: l, user: try TransposedMistakes.groupsIgnored(l))
    let diagnosis = comparison.diagnose()
    let text = CheckReport.text(comparison, diagnosis)
    #expect(text.contains("[transposed-groups-ignored] reproduces your y, dx, dw"))
    #expect(text.contains("transposed convolution (ConvTranspose2d)"))
    #expect(text.hasSuffix("Result: y, dx, dw differ (exit status 1).\n"))
    let json = try #require(
      try JSONSerialization.jsonObject(
        with: Data(CheckReport.json(comparison, diagnosis).utf8)) as? [String: Any])
    let layer = try #require(json["layer"] as? [String: Any])
    #expect(layer["transposed"] as? Bool == true)
    #expect(layer["output_padding"] as? [Int] == [1, 2])
    #expect(layer["groups"] as? Int == 2)
    let diagnoses = try #require(json["diagnoses"] as? [[String: Any]])
    #expect(diagnoses.first?["id"] as? String == "transposed-groups-ignored")
    #expect(json["match"] as? Bool == false)
  }

  @Test("diagnose reports its progress: once before each known mistake")
  func progress() throws {
    let l = try TransposedCases.generated()[0]
    let comparison = try TransposedComparison(
      layer: l, user: try TransposedMistakes.groupsIgnored(l))
    var calls: [Int] = []
    var totals: Set<Int> = []
    _ = comparison.diagnose(progress: { done, total in
      calls.append(done)
      totals.insert(total)
    })
    #expect(calls == Array(0..<BugCatalog.transposed.count))
    #expect(totals == [BugCatalog.transposed.count])
  }

  @Test("the transposed mistakes have ids, titles, explanations and fixes of their own")
  func catalogue() {
    let ids = BugCatalog.transposed.map(\.id)
    #expect(
      ids == [
        "transposed-kernel-not-flipped", "transposed-output-padding-forgotten",
        "transposed-padding-not-cropped", "transposed-groups-ignored",
        "transposed-channels-swapped",
      ])
    let conv2d = Set(BugCatalog.all.map(\.id))
    for info in BugCatalog.transposed {
      #expect(!conv2d.contains(info.id))
      #expect(!info.title.isEmpty && !info.explanation.isEmpty && !info.fix.isEmpty)
    }
  }
}

// MARK: - The programs of a transposed layer

@Suite("CodeExport: the programs of a transposed layer")
struct TransposedCodeExportTests {
  @Test("NumPy: the scatter loops, the layer's parameters, no torch, the fixed print form")
  func numpy() throws {
    let l = try TransposedCases.generated()[0]
    let e = CodeExport(transposed: l, language: .numpy, dataDirectory: "")
    #expect(!e.source.contains("torch"))
    #expect(e.source.contains("def conv_transpose2d_forward("))
    #expect(e.source.contains("y[:, fs, oi, oj] += np.outer(x[:, c, i, j], w[c, :, p, q])"))
    #expect(
      e.source.contains(
        "stride, padding, output_padding, dilation = (2, 3), (1, 0), (1, 2), (1, 2)"))
    #expect(e.source.contains("groups = 2  # w is [C, F/groups, KH, KW]"))
    #expect(e.source.contains("dx, dw, db = conv_transpose2d_backward("))
    #expect(e.source.contains("show(\"db\", db)"))
    #expect(e.source.contains("# " + l.line))
  }

  @Test("PyTorch: nn.ConvTranspose2d with every parameter, autograd on the case's dy")
  func pytorch() throws {
    let l = try TransposedCases.generated()[1]
    let e = CodeExport(transposed: l, language: .pytorch, dataDirectory: "")
    #expect(
      e.source.contains(
        "conv = torch.nn.ConvTranspose2d(3, 2, (3, 3), stride=stride, padding=padding, "
          + "output_padding=output_padding,"))
    #expect(e.source.contains("groups=groups, dilation=dilation, bias=True, dtype=torch.float64"))
    #expect(e.source.contains("y.backward(dy)"))
    #expect(e.source.contains("conv.weight.grad.numpy(), conv.bias.grad.numpy()"))
    #expect(e.source.contains("# the output gradient, from the case"))
  }

  @Test("all-ones dy is written as ones; tensors over the inline limit become .npy files")
  func onesAndFiles() throws {
    let x = Tensor.uniform(shape: [1, 1, 21, 21], seed: 3)
    let w = Tensor.uniform(shape: [1, 1, 3, 3], seed: 4)
    let l = try TransposedLayer(
      x: x, w: w, b: Tensor(shape: [1]), dy: nil, spec: GeneralConvSpec(transposed: true))
    let e = CodeExport(transposed: l, language: .numpy, dataDirectory: "/d")
    #expect(e.source.contains("dy = np.ones_like(y)"))
    #expect(e.files.map(\.name) == ["x.npy"])
    #expect(e.source.contains("DATA = \"/d\""))
    #expect(e.source.contains("x = np.load(os.path.join(DATA, \"x.npy\")).astype(np.float64)"))
  }
}
