import ConvCore
import ConvStepper
import Foundation
import Testing

@testable import ConvDebug

// MARK: - Reports

@Suite("CheckReport: text and JSON")
struct ReportTests {
  @Test("JSON: the documented keys, null for non-finite numbers")
  func json() throws {
    let s = try Layers.random()
    var c = try Layers.correct(s)
    c.y.data[0] = .nan
    c.db = c.db.map { $0 / 2 }
    let comparison = try Comparison(
      trace: LayerTrace(s), user: UserTensors(y: c.y, db: c.db, sources: [.y: "y.npy"]))
    let text = CheckReport.json(comparison, comparison.diagnose())
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "layer", "layout", "tolerance", "match", "tensors", "diagnoses", "unexplained",
        "patterns", "blind_spots", "notes",
      ])
    #expect(object["match"] as? Bool == false)
    // The NaN in y[0,0,0,0] is no known mistake: its pattern is that one cell.
    let patterns = try #require(object["patterns"] as? [[String: Any]])
    let yPattern = try #require(patterns.first { $0["tensor"] as? String == "y" })
    #expect(yPattern["differing"] as? Int == 1)
    #expect((yPattern["text"] as? String)?.contains("only row i = 0") == true)
    let tensors = try #require(object["tensors"] as? [[String: Any]])
    let y = try #require(tensors.first)
    #expect(y["name"] as? String == "y")
    #expect(y["file"] as? String == "y.npy")
    #expect(y["max_abs_error"] is NSNull)
    #expect(y["nan_in_yours"] as? Int == 1)
    let first = try #require(y["first_mismatch"] as? [String: Any])
    #expect(first["index"] as? [Int] == [0, 0, 0, 0])
    #expect(first["yours"] is NSNull)
    #expect((first["formula"] as? String)?.hasPrefix("y[0,0,0,0] = ") == true)
    let diagnoses = try #require(object["diagnoses"] as? [[String: Any]])
    #expect(diagnoses.first?["id"] as? String == "divided-by-batch")
    #expect(diagnoses.first?["explains"] as? [String] == ["db"])
    #expect(object["unexplained"] as? [String] == ["y"])
  }

  @Test("text: exit status, tolerance line, the result line")
  func text() throws {
    let s = try Layers.random()
    let c = try Layers.correct(s)
    let comparison = try Comparison(
      trace: LayerTrace(s), user: UserTensors(dx: c.dx), tolerance: Tolerance(rtol: 1e-3))
    #expect(CheckReport.exitStatus(comparison) == 0)
    let text = CheckReport.text(comparison, comparison.diagnose())
    #expect(text.contains("tolerance: |yours − correct| ≤ atol + rtol·|correct| (rtol 0.001"))
    #expect(text.contains("dx  agrees: shape (2, 2, 5, 6), all 120 cells within tolerance"))
    #expect(text.hasSuffix("Result: everything agrees (exit status 0).\n"))
  }

  @Test("wrapping keeps words whole and indents")
  func wrap() {
    let lines = TextWrap.wrap("aaa bbb ccc ddd", width: 9, indent: "  ", first: "> ")
    #expect(lines == ["> aaa bbb", "  ccc ddd"])
    #expect(TextWrap.number(0.000123456) == "0.0001235")
    #expect(TextWrap.number(.infinity) == "inf")
  }
}
