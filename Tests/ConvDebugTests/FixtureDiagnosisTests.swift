import ConvCore
import ConvStepper
import Foundation
import Testing

@testable import ConvDebug

// MARK: - Every fixture bug is named

@Suite("Diagnosis of the NumPy-written bug fixtures")
struct FixtureDiagnosisTests {
  static let cases = BugFixtures.manifest.cases

  @Test("the manifest is there and covers every known mistake")
  func coverage() {
    #expect(Self.cases.count >= 40, "run scripts/make_bug_fixtures.py")
    let expected = Set(Self.cases.compactMap(\.expect))
    let known = Set(BugCatalog.all.map(\.id) + [BugInfo.articleIntOutputSize.id])
    #expect(known.subtracting(expected).isEmpty, "no fixture for \(known.subtracting(expected))")
    #expect(expected.subtracting(known).isEmpty, "unknown ids \(expected.subtracting(known))")
  }

  @Test("names the bug, and only plausible others", arguments: cases)
  func names(_ c: BugFixtures.Case) throws {
    let user = try BugFixtures.user(for: c)
    let scenario: ConvStepper.Scenario
    do {
      scenario = try BugFixtures.scenario(for: c)
    } catch {
      // The no-fit layer: the diagnosis comes from the error itself.
      let s = try #require(BugFixtures.manifest.scenarios[c.scenario])
      let x = try BugFixtures.tensor(s.x)
      let w = try BugFixtures.tensor(s.w)
      let config = Conv2DConfig(
        inChannels: w.shape[1], filters: w.shape[0], kernel: Size2(w.shape[2], w.shape[3]),
        stride: Size2(s.stride[0], s.stride[1]), padding: Size2(s.padding[0], s.padding[1]))
      let failure = #expect(throws: ConvError.self) {
        _ = try config.outputSize(input: Size2(x.shape[2], x.shape[3]))
      }
      let d = try #require(
        failure.flatMap {
          NoWindowDiagnosis.diagnose($0, stride: config.stride, userY: user.y)
        })
      #expect(d.id == c.expect)
      return
    }
    let comparison = try Comparison(trace: LayerTrace(scenario), user: user)
    let report = comparison.diagnose()
    let named = report.diagnoses.map(\.id)
    guard let expected = c.expect else {
      #expect(named.isEmpty, "\(c.name): named \(named)")
      guard let words = c.pattern else {
        #expect(comparison.allMatch, "\(c.name): \(comparison.mismatching) differ")
        return
      }
      #expect(!comparison.allMatch && report.unexplained == comparison.mismatching)
      let patterns = report.unexplained.compactMap { comparison.differencePattern($0) }
      #expect(
        patterns.contains { $0.text.contains(words) },
        "\(c.name): the patterns are \(patterns.map(\.text))")
      let text = CheckReport.text(comparison, report)
      #expect(text.contains("Pattern: ") && text.contains("No known mistake reproduces"))
      return
    }
    #expect(!comparison.allMatch)
    #expect(
      named.contains(expected), "\(c.name): named \(named), unexplained \(report.unexplained)")
    let others = Set(named).subtracting([expected]).subtracting(c.allow)
    #expect(others.isEmpty, "\(c.name): also named \(others)")
    #expect(report.unexplained.isEmpty, "\(c.name): nothing explains \(report.unexplained)")
    if let words = c.detail {
      let detail = report.diagnoses.first { $0.id == expected }?.detail ?? ""
      #expect(detail.contains(words), "\(c.name): the detail is \"\(detail)\"")
    }
  }
}
