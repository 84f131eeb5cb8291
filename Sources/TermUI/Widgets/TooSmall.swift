// MARK: - TooSmall

/// The screen shown when the terminal is smaller than the layout needs: what size is needed
/// and what there is, centred, in the longest wording that fits (down to `!` at 1×1).
public struct TooSmall: Sendable {
  /// The size needed (columns, rows).
  public var required: (width: Int, height: Int)
  /// The size there is.
  public var actual: (width: Int, height: Int)
  /// An extra hint (e.g. how to quit).
  public var hint: String
  /// What the output can show.
  public var capabilities: Capabilities
  /// Styles.
  public var theme: Theme

  /// A too-small screen.
  public init(
    required: (width: Int, height: Int), actual: (width: Int, height: Int),
    hint: String = "Enlarge the window, or press q to quit.", capabilities: Capabilities,
    theme: Theme? = nil
  ) {
    self.required = required
    self.actual = actual
    self.hint = hint
    self.capabilities = capabilities
    self.theme = theme ?? .standard(for: capabilities)
  }

  /// The wordings from longest to shortest; each is a list of lines.
  func wordings() -> [[String]] {
    let x = capabilities.symbols.times
    let need = "\(required.width)\(x)\(required.height)"
    let have = "\(actual.width)\(x)\(actual.height)"
    return [
      ["Terminal too small", "need \(need), have \(have)", capabilities.drawable(hint)],
      ["Terminal too small", "need \(need), have \(have)"],
      ["Too small", "need \(need)"],
      ["need \(need)"],
      [need],
      ["!"],
    ]
  }

  /// Draws the message centred in `area` (cleared first).
  public func render(into buffer: inout CellBuffer, area: Rect) {
    let clip = area.intersection(buffer.area)
    guard !clip.isEmpty else { return }
    buffer.fill(clip, with: .blank)
    // The longest wording whose lines, wrapped, fit the area.
    for wording in wordings() {
      // Words are never split: every word must fit the width.
      let words = wording.flatMap { $0.split(separator: " ") }
      guard words.allSatisfy({ $0.count <= area.width }) else { continue }
      var lines: [String] = []
      for line in wording { lines += TextFit.wrap(line, width: area.width) }
      guard lines.count <= area.height, lines.allSatisfy({ $0.count <= area.width }),
        !lines.isEmpty
      else { continue }
      let top = area.y + (area.height - lines.count) / 2
      for (i, line) in lines.enumerated() {
        let x = area.x + (area.width - line.count) / 2
        let style = i == 0 ? theme.warning : (i >= 2 ? theme.dim : theme.text)
        buffer.write(line, x: x, y: top + i, style: style, clip: clip)
      }
      return
    }
  }
}
