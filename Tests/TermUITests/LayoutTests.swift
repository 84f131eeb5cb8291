import Testing

@testable import TermUI

@Suite("Layout")
struct LayoutTests {
  private func widths(_ length: Int, _ c: [Constraint], gap: Int = 0) -> [Int] {
    Layout.split(Rect(x: 0, y: 0, width: length, height: 1), .horizontal, c, gap: gap).map(\.width)
  }

  @Test func fixedAndFill() {
    #expect(widths(20, [.fixed(5), .fill(1)]) == [5, 15])
    #expect(widths(20, [.fixed(5), .fill(1), .fill(3)]) == [5, 4, 11])
    #expect(widths(20, [.fill(1), .fill(1), .fill(1)]) == [7, 7, 6])
  }

  @Test func percentAndMin() {
    #expect(widths(100, [.percent(30), .fill(1)]) == [30, 70])
    #expect(widths(10, [.min(3), .fixed(2)]) == [8, 2])
    #expect(widths(10, [.min(3), .min(1)]) == [6, 4])
  }

  @Test func gapsArePlacedBetweenParts() {
    let rects = Layout.split(
      Rect(x: 2, y: 1, width: 20, height: 3), .horizontal,
      [.fixed(5), .fill(1), .fixed(3)], gap: 1)
    #expect(rects.map(\.x) == [2, 8, 19])
    #expect(rects.map(\.width) == [5, 10, 3])
    #expect(rects.allSatisfy { $0.y == 1 && $0.height == 3 })
    let rows = Rect(x: 0, y: 0, width: 4, height: 10).rows([.fixed(1), .fill(1), .fixed(1)])
    #expect(rows.map(\.y) == [0, 1, 9])
    #expect(rows.map(\.height) == [1, 8, 1])
  }

  @Test func shortSpaceShrinksGapsThenLastPartsFirst() {
    #expect(widths(10, [.fixed(5), .fixed(5)], gap: 2) == [5, 5])
    #expect(widths(7, [.fixed(5), .fixed(5)]) == [5, 2])
    #expect(widths(7, [.fixed(3), .percent(50), .fixed(3)]) == [3, 1, 3])
    #expect(widths(0, [.fixed(3), .fill(1), .percent(40)]) == [0, 0, 0])
  }

  @Test func neverNegativeAndAlwaysInsideForEverySmallCase() {
    let pool: [Constraint] = [
      .fixed(0), .fixed(3), .min(2), .percent(50), .percent(150),
      .fill(1), .fill(0), .fixed(-4), .percent(-10), .fill(-2),
    ]
    for length in 0...12 {
      for gap in 0...3 {
        for a in pool {
          for b in pool {
            for c in [[a], [a, b], [a, b, .fill(2)]] {
              let rects = Layout.split(
                Rect(x: 3, y: 0, width: length, height: 1), .horizontal, c,
                gap: gap)
              #expect(rects.count == c.count)
              #expect(rects.allSatisfy { $0.width >= 0 && $0.x >= 3 && $0.maxX <= 3 + length })
              for (l, r) in zip(rects, rects.dropFirst()) { #expect(l.maxX <= r.x) }
            }
          }
        }
      }
    }
  }

  @Test func emptyConstraints() {
    #expect(Layout.split(Rect(x: 0, y: 0, width: 5, height: 5), .vertical, []).isEmpty)
  }

  @Test func rectHelpers() {
    let r = Rect(x: 10, y: 5, width: 20, height: 10)
    #expect(r.centered(width: 6, height: 4) == Rect(x: 17, y: 8, width: 6, height: 4))
    #expect(r.centered(width: 60, height: 40) == r)
    #expect(r.bottom(2) == Rect(x: 10, y: 13, width: 20, height: 2))
    #expect(r.right(30) == r)
    #expect(r.inset(top: 1, left: 2, bottom: 20, right: 0).height == 0)
  }
}
