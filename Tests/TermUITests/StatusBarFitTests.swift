import Testing

@testable import TermUI

/// The status bar shows each segment whole, in one of its forms, or not at all.
@Suite("Status bar fitting")
struct StatusBarFitTests {
  /// A realistic bar: what the convolution view shows for the article's batch.
  static func bar(_ caps: Capabilities) -> StatusBar {
    StatusBar(
      left: [
        StatusSegment(" FORWARD", priority: 12),
        StatusSegment("sample 3/10", priority: 6, shorter: ["n 3/10"]),
        StatusSegment("filter 2/16", priority: 8, shorter: ["f 2/16"]),
        StatusSegment("ch all", priority: 3),
        StatusSegment("step 5/1024", priority: 11, shorter: ["5/1024"]),
        StatusSegment("window", priority: 5),
        StatusSegment("▶ playing 2×", priority: 6, shorter: ["▶ 2×"]),
        StatusSegment("✗ 12 cells differ · n/N", priority: 9),
      ],
      right: [
        StatusSegment(
          "O = ⌊(32 + 2·2 − 1·(5−1) − 1)/1⌋ + 1 = 32", priority: 4, shorter: ["O = 32"]),
        StatusSegment("? help ", priority: 10),
      ],
      capabilities: caps)
  }

  static let levels = [Capabilities.full, Capabilities.plain]

  typealias Placed = (side: Int, index: Int, seg: StatusSegment)

  /// Each segment's position: side, index.
  private static func positions(_ bar: StatusBar) -> [Placed] {
    bar.left.enumerated().map { (0, $0.offset, $0.element) }
      + bar.right.enumerated().map { (1, $0.offset, $0.element) }
  }

  @Test(
    "every width from 1 to 250: whole segments, no overlap, priorities kept", arguments: [0, 1])
  func everyWidth(level: Int) throws {
    let caps = Self.levels[level]
    let bar = Self.bar(caps)
    let sep = " " + caps.drawable(String(caps.symbols.separator)) + " "
    var previous: Set<String> = []
    for width in 1...250 {
      let (l, r) = bar.fitted(width: width)
      // Each shown segment is exactly one of its (drawable) forms.
      let all = Self.positions(bar)
      var shownPositions: [(Int, Int)] = []
      for (side, segs) in [(0, l), (1, r)] {
        var searchFrom = 0
        for s in segs {
          let match = all.firstIndex { item in
            item.side == side && item.index >= searchFrom
              && ([item.seg.text] + item.seg.shorter).map(caps.drawable).contains(s.text)
          }
          let i = try #require(match, "\(width): \(s.text) is not a whole form")
          shownPositions.append((side, all[i].index))
          searchFrom = all[i].index + 1
          #expect(!s.text.contains("…") && !s.text.contains("~"))
        }
      }
      // A dropped segment never outranks a shown one; among equals it is to the right.
      for item in all where !shownPositions.contains(where: { $0 == (item.side, item.index) }) {
        for (side, index) in shownPositions {
          let shown = (side == 0 ? bar.left : bar.right)[index]
          #expect(item.seg.priority <= shown.priority)
          if item.seg.priority == shown.priority {
            #expect(item.side > side || (item.side == side && item.index > index))
          }
        }
      }
      // Rendered: exactly the left group, blanks, the right group, within the width.
      var b = CellBuffer(width: 260, height: 1)
      b.fill(b.area, with: Cell("#"))
      bar.render(into: &b, area: Rect(x: 0, y: 0, width: width, height: 1))
      let line = b.line(0)
      let leftText = l.isEmpty ? "" : " " + l.map(\.text).joined(separator: sep)
      let rightText = r.isEmpty ? "" : r.map(\.text).joined(separator: sep) + " "
      let gap = width - leftText.count - rightText.count
      #expect(gap >= (l.isEmpty || r.isEmpty ? 0 : 2), "\(width): the sides overlap")
      if gap >= 0 {
        let expected = leftText + String(repeating: " ", count: gap) + rightText
        #expect(String(line.prefix(width)) == expected, "\(width)")
      }
      #expect(line.dropFirst(width).allSatisfy { $0 == "#" }, "\(width): drawn past the width")
      #expect(!line.contains("…"))
      // A wider bar never loses a segment a narrower one showed.
      let shownNow = Set(shownPositions.map { "\($0.0).\($0.1)" })
      #expect(previous.isSubset(of: shownNow), "\(width)")
      previous = shownNow
    }
  }

  @Test("phase and step outlast `? help`, which outlasts everything else")
  func helpSurvivesLongest() {
    let bar = Self.bar(.full)
    let (l, r) = bar.fitted(width: 33)
    #expect(l.map(\.text) == [" FORWARD", "step 5/1024"])
    #expect(r.map(\.text) == ["? help "])
    let (l2, r2) = bar.fitted(width: 19)
    #expect(l2.map(\.text) == [" FORWARD", "5/1024"])
    #expect(r2.isEmpty)
    #expect(bar.fitted(width: 32).right.isEmpty)
    #expect(bar.fitted(width: 18).left.map(\.text) == [" FORWARD"])
  }
}
