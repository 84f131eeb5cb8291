import ConvCore
import Testing

@testable import ConvDebug

// MARK: - Tolerance

@Suite("Tolerance: numpy.allclose plus the float32 allowance")
struct ToleranceTests {
  @Test("numpy.allclose's rule without the allowance")
  func allclose() {
    let t = Tolerance(float32Allowance: false)
    #expect(t.accepts(1.000009, correct: 1, magnitude: 1, terms: 10))
    #expect(!t.accepts(1.0001, correct: 1, magnitude: 1, terms: 10))
    #expect(t.accepts(0, correct: 1e-8, magnitude: 100, terms: 10))
    #expect(!t.accepts(1e-6, correct: 0, magnitude: 100, terms: 10))
  }

  @Test("the allowance grows with the terms' magnitude and count, not with the result")
  func allowance() {
    let t = Tolerance()
    // A cell whose terms cancel: result 0.001 from terms of size 10.
    #expect(t.accepts(Float(0.001 + 1e-5), correct: 0.001, magnitude: 20, terms: 75))
    #expect(
      !Tolerance(float32Allowance: false).accepts(
        Float(0.001 + 1e-5), correct: 0.001, magnitude: 20, terms: 75))
    // …but a mistake, a change of about the size of a term, still shows.
    #expect(!t.accepts(Float(0.001 + 0.5), correct: 0.001, magnitude: 20, terms: 75))
    #expect(
      t.bound(correct: 0, magnitude: 1, terms: 9) == 1e-8 + 10 * Tolerance.float32UnitRoundoff)
  }

  @Test("NaN agrees only with a NaN; an infinity only with the same infinity")
  func nonFinite() {
    let t = Tolerance()
    #expect(t.accepts(.nan, correct: .nan, magnitude: 0, terms: 1))
    #expect(!t.accepts(.nan, correct: 1, magnitude: 1, terms: 1))
    #expect(!t.accepts(1, correct: .nan, magnitude: 1, terms: 1))
    #expect(t.accepts(.infinity, correct: .infinity, magnitude: 0, terms: 1))
    #expect(!t.accepts(-.infinity, correct: .infinity, magnitude: 0, terms: 1))
    #expect(!t.accepts(.infinity, correct: 1e30, magnitude: 1e30, terms: 1))
  }

  @Test("negative or non-finite tolerances are refused", arguments: [-1, Double.nan, .infinity])
  func invalid(_ v: Double) {
    #expect(throws: ConvError.self) { try Tolerance(rtol: v).validate() }
    #expect(throws: ConvError.self) { try Tolerance(atol: v).validate() }
  }
}
