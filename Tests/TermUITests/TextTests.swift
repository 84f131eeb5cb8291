import Testing

@testable import TermUI

@Suite("Text fitting")
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
}
