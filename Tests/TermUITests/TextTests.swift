import Testing

@testable import TermUI

@Suite("Text fitting and number formatting")
struct TextTests {
  @Test func truncation() {
    #expect(TextFit.truncate("hello world", width: 5) == "hell…")
    #expect(TextFit.truncate("hello", width: 5) == "hello")
    #expect(TextFit.truncate("hello", width: 1) == "…")
    #expect(TextFit.truncate("hello", width: 0) == "")
    #expect(TextFit.truncateMiddle("abcdefghij", width: 5) == "ab…ij")
    #expect(TextFit.truncateMiddle("abcdefghij", width: 4) == "ab…j")
    #expect(TextFit.pad("ab", width: 5, alignment: .center) == " ab  ")
    #expect(TextFit.pad("ab", width: 4, alignment: .right) == "  ab")
  }

  @Test func wrapping() {
    #expect(TextFit.wrap("the quick brown fox", width: 9) == ["the quick", "brown fox"])
    #expect(TextFit.wrap("a  b", width: 10) == ["a b"])
    #expect(TextFit.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
    #expect(TextFit.wrap("one\n\ntwo", width: 10) == ["one", "", "two"])
    #expect(TextFit.wrap("anything", width: 0) == [])
    for w in 1...12 {
      for line in TextFit.wrap("Lorem ipsum dolor sit amet, consectetur adipiscing", width: w) {
        #expect(line.count <= w)
      }
    }
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
}
