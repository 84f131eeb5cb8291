import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvFormats

// MARK: - DecimalScanner

/// The one number scanner reads every decimal to the same value as `Double(String)`, and the
/// readers built on it keep the values they gave before: a text grid `Float(Double(text))`, a
/// case file the same, a lesson block `Float(text)` (see ConvLessonsTests for the lesson).
@Suite("Formats: the decimal scanner")
struct DecimalScannerTests {
  /// The scanner on a whole string.
  static func scan(_ text: String) -> Double? {
    Array(text.utf8).withUnsafeBufferPointer { DecimalScanner.double($0, 0, $0.count) }
  }

  @Test("random decimals read as Double(String) does, and to the same Float as before")
  func randomDecimals() throws {
    let fuzz = FuzzRun(name: "DecimalScannerTests", defaultIterations: 20_000)
    var rng = SeededGenerator(seed: fuzz.seed)
    for _ in 0..<fuzz.iterations {
      let text = RandomDecimal.make(&rng)
      guard let expected = Double(text) else {
        Issue.record("Double(\"\(text)\") is nil; \(fuzz.replay)")
        continue
      }
      let got = Self.scan(text)
      #expect(
        got?.bitPattern == expected.bitPattern,
        "\(text): scanner \(String(describing: got)), Double(String) \(expected); \(fuzz.replay)")
      let grid = try TextGridReader.values(text, source: "v")
      #expect(
        grid.first?.bitPattern == Float(expected).bitPattern,
        "\(text): grid \(grid), before \(Float(expected)); \(fuzz.replay)")
      if let d = got, let f = DecimalScanner.float(exactlyFrom: d), let direct = Float(text) {
        #expect(f.bitPattern == direct.bitPattern, "\(text): \(f) vs Float(String) \(direct)")
      }
    }
  }

  @Test("what the scanner refuses: anything but one plain decimal")
  func refusals() {
    for text in [
      "", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "1,5", " 1", "1 ", "0x10", "nan", "inf",
      "1f", "--1", "+-1", "1e5.5", "١",
    ] {
      #expect(Self.scan(text) == nil, "\(text) was read")
    }
    #expect(Self.scan("1.") == 1)
    #expect(Self.scan(".5") == 0.5)
    #expect(Self.scan("-0")?.sign == .minus)
    #expect(Self.scan("1e999999999999999999") == .infinity)
    #expect(Self.scan("-1e-999999999999999") == 0)
    #expect(
      Self.scan(String(repeating: "9", count: 400)) == Double(String(repeating: "9", count: 400)))
  }

  /// Just above the halfway point between 1 and the next float: `Double` rounds it down onto the
  /// halfway point, so `Float(Double(text))` is 1 (ties to even) while `Float(text)` is the
  /// next float. A grid keeps the first, `float(exactlyFrom:)` declines to guess.
  @Test("double rounding at a halfway point is left to the slow path")
  func halfway() throws {
    let text = "1.0000000596046447753906250000000001"
    let d = try #require(Self.scan(text))
    #expect(d == 1 + 0x1p-24)
    #expect(DecimalScanner.float(exactlyFrom: d) == nil)
    #expect(try TextGridReader.values(text, source: "v") == [1])
    #expect(Float(text) == Float(1).nextUp)
    #expect(DecimalScanner.float(exactlyFrom: 0.1) == Float(0.1))
    #expect(DecimalScanner.float(exactlyFrom: 1e300) == nil)
    #expect(DecimalScanner.float(exactlyFrom: .infinity) == .infinity)
  }

  @Test("nan and infinities are spelled in a grid as before")
  func nonFinite() throws {
    for text in ["nan", "NaN", "-nan", "inf", "-Inf", "+INF", "infinity", "-Infinity"] {
      let expected = try #require(Double(text).map(Float.init))
      let got = try TextGridReader.values(text, source: "v")
      #expect(got.count == 1 && got[0].bitPattern == expected.bitPattern, "\(text)")
    }
  }
}
