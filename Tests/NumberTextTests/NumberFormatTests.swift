import Testing

@testable import NumberText

// MARK: - NumberFormat

/// Every mode of the one number formatter, with the outputs the three former copies gave
/// (TermUI's NumberFormat, ConvStepper's ValueFormat, the demo's and the bench's formatting).
@Suite("Number formatting")
struct NumberFormatTests {
  @Test("ordinals: 1st 2nd 3rd, the teens in th, 21st 102nd")
  func ordinals() {
    let cases = [
      (1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
      (21, "21st"), (22, "22nd"), (101, "101st"), (102, "102nd"), (111, "111th"), (0, "0th"),
    ]
    for (n, text) in cases { #expect(NumberFormat.ordinal(n) == text) }
  }

  @Test func fixedPoint() {
    #expect(NumberFormat.fixed(Float(1.25)) == "1.25")
    #expect(NumberFormat.fixed(Float(-0.5)) == "-0.5")
    #expect(NumberFormat.fixed(Float(12)) == "12")
    #expect(NumberFormat.fixed(Float(-0.001)) == "0")
    #expect(NumberFormat.fixed(Float(0.1)) == "0.1")
    #expect(NumberFormat.fixed(2.0 / 3.0, decimals: 3) == "0.667")
    #expect(NumberFormat.fixed(Float(1e20)).contains("e"))
  }

  @Test func compactFitsTheWidth() {
    #expect(NumberFormat.compact(1.25, width: 5) == "1.25")
    #expect(NumberFormat.compact(1.25, width: 3) == "1.3")
    #expect(NumberFormat.compact(-0.25, width: 3) == "-.3")
    #expect(NumberFormat.compact(0.25, width: 3) == "0.3")
    #expect(NumberFormat.compact(0.01, width: 3) == ".01")
    #expect(NumberFormat.compact(12345, width: 4) == "1e4")
    #expect(NumberFormat.compact(12345, width: 5) == "12345")
    #expect(NumberFormat.compact(0.001, width: 5) == "1e-3")
    #expect(NumberFormat.compact(0, width: 3) == "0")
    #expect(NumberFormat.compact(-0.0, width: 3) == "0")
    #expect(NumberFormat.compact(.nan, width: 4) == "NaN")
    #expect(NumberFormat.compact(.infinity, width: 4, unicode: false) == "inf")
    #expect(NumberFormat.compact(-.infinity, width: 2) == "-∞")
    #expect(NumberFormat.compact(-123456, width: 2) == "##")
    let samples: [Float] = [0, 1, -1, 0.5, -0.125, 3.14159, 1e-7, -2.5e9, 99.99, -0.004, .nan]
    for v in samples {
      for w in 0...8 {
        let s = NumberFormat.compact(v, width: w)
        #expect(s.count <= w, "\(v) in \(w): \(s)")
        if v != 0 && !v.isNaN { #expect(s != "0" && s != "-0", "\(v) shown as zero") }
      }
    }
  }

  @Test("short: a learner's numbers, with a true minus sign")
  func short() {
    let cases: [(Float, String)] = [
      (3, "3"), (-1, "−1"), (0.25, "0.25"), (1.34, "1.34"), (-0.125, "−0.125"), (0, "0"),
      (-0.0, "0"), (0.1, "0.1"), (123_456, "123456"), (123_456.5, "1.2e5"),
      (0.000_5, "5e-4"), (1.234_567, "1.23"), (0.012_345_6, "0.012"), (0.3333, "0.3333"),
      (999_999.5, "1e6"), (2e6, "2e6"), (.nan, "NaN"), (.infinity, "∞"),
      (-.infinity, "−∞"), (1_000_000, "1e6"), (0.000_14, "1.4e-4"),
    ]
    for (v, text) in cases {
      #expect(NumberFormat.short(v) == text, "\(v)")
    }
    #expect(NumberFormat.short(-2.5, ascii: true) == "-2.5")
    #expect(NumberFormat.short(-.infinity, ascii: true) == "-inf")
    #expect(NumberFormat.short(.infinity, ascii: true) == "inf")
  }

  @Test("decimals: exactly that many, - when not finite")
  func decimals() {
    #expect(NumberFormat.decimals(12.5, 2) == "12.50")
    #expect(NumberFormat.decimals(-0.125, 3) == "-0.125")
    #expect(NumberFormat.decimals(-0.06, 1) == "-0.1")
    #expect(NumberFormat.decimals(-0.01, 1) == "0.0")
    #expect(NumberFormat.decimals(2.5, 0) == "3")
    #expect(NumberFormat.decimals(1234.5678, 3) == "1234.568")
    #expect(NumberFormat.decimals(.nan, 1) == "-")
    #expect(NumberFormat.decimals(.infinity, 1) == "-")
  }

  @Test("the demo's forms: three decimals as Swift prints them, else three digits and an exponent")
  func demo() {
    #expect(NumberFormat.rounded(0) == "0")
    #expect(NumberFormat.rounded(1) == "1.0")
    #expect(NumberFormat.rounded(0.0123456) == "0.012")
    #expect(NumberFormat.rounded(12.34567) == "12.346")
    #expect(NumberFormat.rounded(-2.5) == "-2.5")
    #expect(NumberFormat.rounded(3.14159e-7) == "3.14e-07")
    #expect(NumberFormat.rounded(0.001) == "1.0e-03")
    #expect(NumberFormat.rounded(123_456) == "1.23e+05")
    #expect(NumberFormat.rounded(-9.996e-5) == "-1.0e-04")
    #expect(NumberFormat.threeDigitExponent(1.5e12) == "1.5e+12")
    #expect(NumberFormat.threeDigitExponent(0) == "0")
    #expect(NumberFormat.threeDigitExponent(-.infinity) == "-inf")
    #expect(NumberFormat.roundedText(0.123456, decimals: 3) == "0.123")
    #expect(NumberFormat.roundedText(2, decimals: 2) == "2.0")
  }

  @Test("two different values read differently: as many digits as it takes (issue 13)")
  func apart() {
    // The short forms alone would both be 1.73.
    let (a, b) = NumberFormat.apart(Float(1.73001), Float(1.73002))
    #expect(NumberFormat.short(Float(1.73001)) == NumberFormat.short(Float(1.73002)))
    #expect(a != b)
    #expect(a == "1.73001" && b == "1.73002")
    #expect(NumberFormat.apart(Float(-2.000001), Float(-2.000002)) == ("−2.000001", "−2.000002"))
    #expect(
      NumberFormat.apart(Float(-2.000001), Float(-2.000002), ascii: true)
        == ("-2.000001", "-2.000002"))
    // Neighbouring floats, far from 1 and tiny.
    let big = Float(123456.7)
    let (c, d) = NumberFormat.apart(big, big.nextUp)
    #expect(c != d)
    let tiny = Float(1.5e-7)
    let (e, f) = NumberFormat.apart(tiny, tiny.nextUp)
    #expect(e != f)
    // Values that read differently already, or are equal, keep their short form.
    #expect(NumberFormat.apart(Float(1.5), Float(2.25)) == ("1.5", "2.25"))
    #expect(NumberFormat.apart(Float(1.5), Float(1.5)) == ("1.5", "1.5"))
    for k in 0..<200 {
      let v = Float(k) * 0.0137 - 1
      let (x, y) = NumberFormat.apart(v, v.nextUp)
      #expect(x != y, "\(v)")
    }
  }
}
