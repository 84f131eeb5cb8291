import TermUI

/// The help overlay read back from the cells on screen, column by column, as a user reads it.
public struct HelpScreen: Sendable {
  /// One binding as read: the keys and the description, its wrapped lines joined by spaces
  /// (the overlay's own entry type, so a reading compares equal to what was drawn).
  public typealias Entry = HelpSection.Entry

  /// Section titles in reading order.
  public var titles: [String] = []
  /// Bindings in reading order.
  public var entries: [Entry] = []
  /// Cells that hold text where none belongs (the box's padding, the gaps between columns).
  public var strayText: [String] = []

  /// Reads the overlay that `layout` describes from `buffer`. A description whose first line is
  /// scrolled away is not read.
  public init(_ buffer: CellBuffer, _ layout: HelpOverlayLayout) {
    let box = layout.box
    let rows = Array(buffer.lines.map { Array($0) })
    for y in (box.y + 1)..<max(box.y + 1, box.maxY - 1) {
      for x in [box.x + 1, box.maxX - 2] where rows[y][x] != " " {
        strayText.append("padding at (\(x), \(y)): \(rows[y][x])")
      }
    }
    for (c, rect) in layout.columns.enumerated() {
      let gapEnd = c + 1 < layout.columns.count ? layout.columns[c + 1].x : box.maxX - 2
      var current: Entry?
      for y in rect.y..<rect.maxY {
        let text = String(rows[y][rect.x..<rect.maxX])
        for x in rect.maxX..<gapEnd where rows[y][x] != " " && x != gapEnd - 2 {
          strayText.append("past column \(c) at (\(x), \(y)): \(rows[y][x])")
        }
        read(text, into: &current)
      }
      if let current { entries.append(current) }
    }
  }

  private mutating func read(_ text: String, into current: inout Entry?) {
    let trimmed = text.trimmingSpaces
    guard !trimmed.isEmpty else { return }
    if !text.hasPrefix(" ") {
      if let e = current { entries.append(e) }
      current = nil
      titles.append(trimmed)
    } else if text.hasPrefix("  "), text.dropFirst(2).first != " " {
      if let e = current { entries.append(e) }
      let body = String(text.dropFirst(2))
      if let gap = body.range(of: "  ") {
        current = Entry(
          String(body[..<gap.lowerBound]), String(body[gap.upperBound...]).trimmingSpaces)
      } else {
        current = Entry(body.trimmingSpaces, "")
      }
    } else if var e = current {
      e.description += (e.description.isEmpty ? "" : " ") + trimmed
      current = e
    }
  }

  /// `text` with runs of spaces made one and the ends trimmed, as a wrapped description reads.
  public static func normalised(_ text: String) -> String {
    text.split(separator: " ").joined(separator: " ")
  }
}

extension String {
  fileprivate var trimmingSpaces: String {
    var s = Substring(self)
    while s.first == " " { s = s.dropFirst() }
    while s.last == " " { s = s.dropLast() }
    return String(s)
  }
}
