import ConvCore
import ConvStepper
import NumberText
import Testing

@testable import ConvDebug

// MARK: - Comparison

@Suite("Comparison: shapes, layouts, mismatching cells and their windows")
struct ComparisonTests {
  @Test("the correct tensors agree, bit for bit")
  func correctAgrees() throws {
    let s = try Layers.random()
    let c = try Layers.correct(s)
    let comparison = try Comparison(
      trace: LayerTrace(s), user: UserTensors(y: c.y, dx: c.dx, dw: c.dw, db: c.db))
    #expect(comparison.allMatch)
    #expect(comparison.results.map(\.tensor) == [.y, .dx, .dw, .db])
    #expect(comparison.results.allSatisfy { $0.exact })
    #expect(comparison.mismatchWindows(in: .forward).isEmpty)
    #expect(comparison.diagnose().diagnoses.isEmpty)
  }

  @Test("under nhwc a dw laid out HWIO, as TensorFlow writes it, is read as [F, KH, KW, C]")
  func hwioWeightGradient() throws {
    let s = try Layers.random(batch: 2, channels: 2, filters: 3)
    let c = try Layers.correct(s)
    let k = s.config.kernel
    let hwio = c.dw.permuted([2, 3, 1, 0])  // [F, C, KH, KW] → [KH, KW, C, F]
    #expect(hwio.shape == [k.h, k.w, 2, 3])
    let comparison = try Comparison(
      trace: LayerTrace(s), user: UserTensors(dw: hwio, layout: .nhwc, sources: [.dw: "dw.npy"]))
    #expect(comparison.allMatch)
    #expect(
      comparison.user.notes == [
        "dw.npy: HWIO (\(k.h), \(k.w), 2, 3) read as [F, KH, KW, C] (3, \(k.h), \(k.w), 2)"
      ])
    // Channels first, the same array is a wrong shape, not silently reordered.
    let nchw = try Comparison(trace: LayerTrace(s), user: UserTensors(dw: hwio))
    #expect(!nchw.allMatch && nchw.user.notes.isEmpty)
  }

  @Test("axes of size 1 may be left out; other shapes are reported, not refused")
  func shapes() throws {
    let s = try Layers.random(batch: 1, channels: 1, filters: 1)
    let c = try Layers.correct(s)
    let squeezed = try c.y.reshaped([c.y.shape[2], c.y.shape[3]])
    let ok = try Comparison(trace: LayerTrace(s), user: UserTensors(y: squeezed))
    #expect(ok.allMatch)
    let wrong = try Tensor(shape: [3], data: [1, 2, 3])
    let bad = try Comparison(trace: LayerTrace(s), user: UserTensors(y: wrong))
    let r = try #require(bad[.y])
    #expect(!r.shapeMatches)
    #expect(r.userShape == [3])
    #expect(r.mismatchCount == r.cellCount)
    #expect(r.mismatches.isEmpty)
    #expect(!bad.allMatch)
  }

  @Test("channels-last files are compared as channels first; indices are channels first")
  func nhwc() throws {
    let s = try Layers.random(filters: 3)
    let c = try Layers.correct(s)
    var y = c.y
    y.data[17] += 1  // one wrong cell, flat channels-first index 17
    let user = UserTensors(y: Layout.nchwToNHWC(y), dx: Layout.nchwToNHWC(c.dx), layout: .nhwc)
    let comparison = try Comparison(trace: LayerTrace(s), user: user)
    let r = try #require(comparison[.y])
    #expect(r.mismatches == [17])
    #expect(r.expectedUserShape == DataLayout.nhwc.shape(fromNCHW: c.y.shape))
    #expect(comparison[.dx]?.matches == true)
    // The same file read as channels first is a different tensor.
    let misread = try Comparison(
      trace: LayerTrace(s), user: UserTensors(y: try Layout.nchwToNHWC(c.y).reshaped(c.y.shape)))
    #expect(misread[.y]?.matches == false)
  }

  @Test("NaN in the user's numbers differs and is counted")
  func nan() throws {
    let s = try Layers.random()
    var y = try Layers.correct(s).y
    y.data[3] = .nan
    let r = try #require(try Comparison(trace: LayerTrace(s), user: UserTensors(y: y))[.y])
    #expect(r.mismatches == [3])
    #expect(r.userNaNCount == 1)
    #expect(r.maxAbsoluteError == .infinity)
  }

  @Test("mismatch windows: y cells are forward windows, dx cells map to the windows reading them")
  func windows() throws {
    let s = try Layers.random(stride: 2, padding: 1)
    let trace = try LayerTrace(s)
    var c = try Layers.correct(s)
    c.y.data[5] += 1
    c.y.data[9] += 1
    c.dx.data[7] += 1
    c.dw.data[20] += 1
    c.db.data[0] += 1
    let comparison = try Comparison(
      trace: trace, user: UserTensors(y: c.y, dx: c.dx, dw: c.dw, db: c.db))
    #expect(comparison.mismatchWindows(in: .forward) == [5, 9])
    #expect(comparison.nextMismatchWindow(after: 5, in: .forward) == 9)
    #expect(comparison.nextMismatchWindow(after: 9, in: .forward) == nil)
    #expect(comparison.previousMismatchWindow(before: 9, in: .forward) == 5)
    #expect(comparison.previousMismatchWindow(before: 5, in: .forward) == nil)
    #expect(comparison.isMismatchWindow(9, in: .forward))
    // Backward windows whose taps read input cell 7, found by walking every window's taps.
    let timeline = try Timeline(trace: trace, phase: .backward)
    let g = trace.geometry
    var expected: [Int] = []
    for k in 0..<timeline.windowCount {
      let w = timeline.window(k)
      let reads = timeline.taps(of: w).contains { t in
        !t.isPadding
          && ((w.sample * g.config.inChannels + t.channel) * g.input.h + t.inputRow) * g.input.w
            + t.inputColumn == 7
      }
      if reads { expected.append(w.global) }
    }
    #expect(!expected.isEmpty)
    #expect(comparison.mismatchWindows(in: .backward) == expected)
    // dw cell 20 belongs to filter 20 / (C·KH·KW) = 1; db cell 0 to filter 0.
    #expect(comparison.mismatchWindows(in: .update) == [0, 1])
    #expect(comparison.mismatchWindows(in: .relu).isEmpty)
  }

  @Test("cells of a window and the correct formula of a cell")
  func cellsAndFormulas() throws {
    let s = try Layers.random(batch: 1, channels: 1, filters: 1, input: Size2(4))
    var c = try Layers.correct(s)
    c.dx.data[0] += 2
    let comparison = try Comparison(
      trace: LayerTrace(s), user: UserTensors(y: c.y, dx: c.dx, db: c.db))
    let y = try #require(comparison.cells(inWindow: 0, of: .forward).first)
    #expect(y.label == "y[0,0,0,0]" && !y.differs)
    // Window (0, 0) with padding 1 reads input cells (0..1, 0..1): dx cell 0 among them.
    let back = comparison.cells(inWindow: 0, of: .backward)
    #expect(back.filter { $0.tensor == .dx }.count == 4)
    #expect(back.contains { $0.tensor == .dx && $0.flat == 0 && $0.differs })
    #expect(back.contains { $0.tensor == .db })
    #expect(!back.contains { $0.tensor == .dw })  // not given
    #expect(comparison.cell(.dw, flat: 0) == nil)
    let formula = try #require(comparison.correctFormula(.dx, flat: 0))
    #expect(formula.hasPrefix("dx[0,0,0,0] = Σ dy·w = "))
    #expect(formula.hasSuffix("= " + NumberFormat.short(c.dx.data[0] - 2)))
    let db = try #require(comparison.correctFormula(.db, flat: 0, maxTerms: 3))
    #expect(db.contains("… (13 more)"))
    let yFormula = try #require(comparison.correctFormula(.y, flat: 0))
    #expect(yFormula.hasPrefix("y[0,0,0,0] = b + Σ x·w = "))
    #expect(comparison.correctFormula(.y, flat: 10_000) == nil)
  }

  @Test("a differing cell's text shows enough digits to see the difference (issue 13)")
  func cellTextDigits() {
    let close = CellCheck(
      tensor: .y, flat: 0, index: [0, 0, 0, 0], user: 1.73001, correct: 1.73002, differs: true)
    #expect(close.text() == "y[0,0,0,0]: yours 1.73001 ≠ correct 1.73002")
    #expect(close.text(ascii: true) == "y[0,0,0,0]: yours 1.73001 != correct 1.73002")
    let far = CellCheck(
      tensor: .dx, flat: 0, index: [0, 0, 1, 2], user: 1.5, correct: -2.25, differs: true)
    #expect(far.text() == "dx[0,0,1,2]: yours 1.5 ≠ correct −2.25")
    // The report's 7 significant digits grow when they would read the same.
    let v = Float(1.2345678)
    let tight = CellCheck(
      tensor: .y, flat: 0, index: [0, 0, 0, 0], user: v.nextUp, correct: v, differs: true)
    let words = tight.text(digits: 7).split(separator: " ")
    #expect(words[2] != words[5], "\(words)")
    #expect(close.text(digits: 7) == "y[0,0,0,0]: yours 1.73001 ≠ correct 1.73002")
  }
}
