import ConvCore
import ConvStepper
import Foundation
import Testing

@testable import ConvDebug

// MARK: - Naming the bug

@Suite("Diagnosis: ranking, coincidences, several bugs, nothing known")
struct DiagnoseTests {
  /// The diagnosis of `user` for `s`.
  static func diagnose(_ s: Scenario, _ user: UserTensors) throws -> (Comparison, DiagnosisReport) {
    let c = try Comparison(trace: LayerTrace(s), user: user)
    return (c, c.diagnose())
  }

  @Test("a forward and a backward mistake at once are both named, each for its tensor")
  func twoMistakes() throws {
    let s = try Layers.random(batch: 3)
    var c = try Layers.correct(s)
    for k in c.y.data.indices { c.y.data[k] -= s.bias.data[k / 30 % 2] }  // 5×6 maps, 2 filters
    c.dw = c.dw.map { $0 / 3 }
    c.db = c.db.map { $0 / 3 }
    let (_, report) = try Self.diagnose(s, UserTensors(y: c.y, dx: c.dx, dw: c.dw, db: c.db))
    let byID = Dictionary(uniqueKeysWithValues: report.diagnoses.map { ($0.id, $0) })
    #expect(byID["bias-missing"]?.explains == [.y])
    #expect(byID["divided-by-batch"]?.explains == [.dw, .db])
    #expect(report.unexplained.isEmpty)
    #expect(report.diagnoses.first?.id == "divided-by-batch")  // explains more tensors
  }

  @Test("numbers no mistake explains: nothing named, the tensor is unexplained")
  func nothingKnown() throws {
    let s = try Layers.random()
    var y = try Layers.correct(s).y
    let noise = Tensor.uniform(shape: y.shape, seed: 42)
    for k in y.data.indices { y.data[k] += noise.data[k] }
    let (comparison, report) = try Self.diagnose(s, UserTensors(y: y))
    #expect(!comparison.allMatch)
    #expect(report.diagnoses.isEmpty)
    #expect(report.unexplained == [.y])
    let text = CheckReport.text(comparison, report)
    #expect(text.contains("No known mistake reproduces your numbers."))
    #expect(text.contains("first differing cell: y[0,0,0,0]"))
  }

  @Test("mistakes that coincide on this data are named together as indistinguishable")
  func indistinguishable() throws {
    // A kernel symmetric about its diagonal on a square input: transposing the input gives
    // the transposed output.
    var s = try Layers.random(batch: 1, channels: 1, filters: 1, input: Size2(5))
    s.weight.data = [1, 2, 3, 2, -1, 4, 3, 4, 0.5]
    let y = try Layers.correct(s).y
    var t = y
    for i in 0..<5 {
      for j in 0..<5 { t.data[i * 5 + j] = y.data[j * 5 + i] }
    }
    let (_, report) = try Self.diagnose(s, UserTensors(y: t))
    let ids = Set(report.diagnoses.map(\.id))
    #expect(ids == ["input-transposed", "output-transposed"])
    #expect(report.indistinguishableGroups.count == 1)
    let d = try #require(report.diagnoses.first { $0.id == "output-transposed" })
    #expect(d.indistinguishableFrom == ["input-transposed"])
    #expect(report.blindSpots.contains { $0.id == "kernel-transposed" })
  }

  @Test("a mistake that would also change a tensor the user has right yields to a narrower one")
  func contradicted() throws {
    let s = try Layers.random()
    var c = try Layers.correct(s)
    var flipped = s
    for f in 0..<2 {
      for ch in 0..<2 {
        for p in 0..<3 {
          for q in 0..<3 {
            flipped.weight[[f, ch, p, q]] = s.weight[[f, ch, 2 - p, 2 - q]]
          }
        }
      }
    }
    c.dx = try Layers.correct(flipped).dx
    let (_, report) = try Self.diagnose(s, UserTensors(y: c.y, dx: c.dx, dw: c.dw))
    #expect(report.diagnoses.map(\.id) == ["dx-unflipped-kernel"])
  }

  @Test("the padding value is estimated from y and named")
  func paddingValue() throws {
    let c = try #require(
      BugFixtures.manifest.cases.first { $0.name == "A-padding-value-minus-half" })
    let comparison = try Comparison(
      trace: LayerTrace(BugFixtures.scenario(for: c)), user: BugFixtures.user(for: c))
    let d = try #require(comparison.diagnose().diagnoses.first)
    #expect(d.id == "padding-value")
    #expect(d.title.hasSuffix("(the padding value is -0.5)"))
  }

  @Test("the article's mistakes carry their errata row")
  func errata() {
    let rows = Dictionary(
      uniqueKeysWithValues: (BugCatalog.all + [.articleIntOutputSize]).compactMap { b in
        b.erratum.map { (b.id, $0) }
      })
    #expect(rows["article-loops"] == 2)
    #expect(rows["article-backward-unpadded"] == 3)
    #expect(rows["bias-missing"] == 4)
    #expect(rows["article-per-sample-update"] == 5)
    #expect(rows["article-int-output-size"] == 6)
    #expect(BugCatalog.info("kernel-flipped")?.title.contains("flipped") == true)
    #expect(BugCatalog.info("nonsense") == nil)
  }

  @Test("every mistake has words, a fix, a hint and a unique id")
  func catalog() {
    let all = BugCatalog.all + [.articleIntOutputSize]
    #expect(Set(all.map(\.id)).count == all.count)
    for b in all {
      #expect(!b.title.isEmpty && !b.explanation.isEmpty && !b.fix.isEmpty, "\(b.id)")
      #expect(!b.separatingHint.isEmpty && !b.affects.isEmpty, "\(b.id)")
    }
  }

  @Test("no window fits: int() truncation to 0 is the article's bug 6, only for an empty y")
  func noWindow() throws {
    let error = ConvError.kernelDoesNotFit(axis: "height", effectiveKernel: 5, paddedInput: 3)
    let empty = Tensor(shape: [1, 1, 0, 0])
    #expect(
      NoWindowDiagnosis.diagnose(error, stride: 2, userY: empty)?.id == "article-int-output-size")
    #expect(
      NoWindowDiagnosis.diagnose(error, stride: 2, userY: Tensor(shape: [1, 1, 1, 1])) == nil)
    #expect(NoWindowDiagnosis.diagnose(error, stride: 2, userY: nil) == nil)
    // int((3 - 5)/1 + 1) = -1: NumPy would refuse the negative size itself.
    #expect(NoWindowDiagnosis.diagnose(error, stride: 1, userY: empty) == nil)
    #expect(
      NoWindowDiagnosis.truncatedOutputLength(paddedInput: 2, effectiveKernel: 5, stride: 2) == 0)
  }

  @Test(
    "gradients of another dy name the --grad that reproduces them (issue 13)",
    arguments: [
      (GradientSource.random(seed: 0), "--grad random --seed 0"),
      (.ones, "--grad ones"), (.output, "--grad output"),
    ])
  func otherGradient(_ used: GradientSource, _ words: String) throws {
    let checked = try Layers.random(gradient: .random(seed: 7))
    var theirs = checked
    theirs.gradient = used
    let t = try Layers.correct(theirs)
    let y = try Layers.correct(checked).y
    let comparison = try Comparison(
      trace: LayerTrace(checked), user: UserTensors(y: y, dx: t.dx, dw: t.dw, db: t.db))
    let report = comparison.diagnose()
    let d = try #require(report.diagnoses.first { $0.id == "backward-other-dy" })
    #expect(d.explains == [.dx, .dw, .db] && d.contradicts.isEmpty)
    #expect(d.detail?.contains(words) == true, "\(d.detail ?? "")")
    #expect(report.diagnoses.count == 1, "\(report.diagnoses.map(\.id))")
  }

  @Test("a scaled dy is named with its factor; a right backward pass is not")
  func scaledGradient() throws {
    let s = try Layers.random()
    let c = try Layers.correct(s)
    let twice = { (t: Tensor) in t.map { $0 * 2 } }
    let comparison = try Comparison(
      trace: LayerTrace(s), user: UserTensors(dx: twice(c.dx), dw: twice(c.dw), db: twice(c.db)))
    let d = try #require(comparison.diagnose().diagnoses.first)
    #expect(d.id == "backward-other-dy" && d.detail?.contains("dy × 2") == true)
    let right = try Comparison(
      trace: LayerTrace(s), user: UserTensors(dx: c.dx, dw: c.dw, db: c.db))
    #expect(right.diagnose().diagnoses.isEmpty && right.diagnose().blindSpots.isEmpty)
  }
}
