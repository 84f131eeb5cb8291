// MARK: - TextBlock

/// Word-wrapped paragraphs, each in its own style, scrolled by whole lines.
///
/// Lines beyond the area are cut; when text was cut, the last visible line ends with `…`.
public struct TextBlock: Sendable {
  /// A paragraph and its style.
  public struct Paragraph: Sendable, Hashable {
    /// The text (newlines start new lines).
    public var text: String
    /// Its style (`nil`: the theme's text style).
    public var style: Style?

    /// A paragraph.
    public init(_ text: String, style: Style? = nil) {
      self.text = text
      self.style = style
    }
  }

  /// The paragraphs, separated by a blank line when `spacing` is set.
  public var paragraphs: [Paragraph]
  /// Whether a blank line separates paragraphs.
  public var spacing: Bool
  /// Horizontal alignment of each line.
  public var alignment: TextFit.Alignment
  /// The first line shown.
  public var scroll: Int
  /// What the output can show.
  public var capabilities: Capabilities
  /// Styles.
  public var theme: Theme

  /// A text block.
  public init(
    _ paragraphs: [Paragraph], spacing: Bool = true, alignment: TextFit.Alignment = .left,
    scroll: Int = 0, capabilities: Capabilities, theme: Theme? = nil
  ) {
    self.paragraphs = paragraphs
    self.spacing = spacing
    self.alignment = alignment
    self.scroll = scroll
    self.capabilities = capabilities
    self.theme = theme ?? .standard(for: capabilities)
  }

  /// A text block of one paragraph.
  public init(_ text: String, style: Style? = nil, capabilities: Capabilities, theme: Theme? = nil)
  {
    self.init([Paragraph(text, style: style)], capabilities: capabilities, theme: theme)
  }

  /// The wrapped lines for `width` columns, with their styles.
  public func lines(width: Int) -> [(text: String, style: Style)] {
    guard width > 0 else { return [] }
    var out: [(text: String, style: Style)] = []
    for (i, p) in paragraphs.enumerated() {
      if i > 0 && spacing { out.append(("", theme.text)) }
      let text = capabilities.unicode ? p.text : TextFit.ascii(p.text)
      for line in TextFit.wrap(text, width: width).map(TextFit.singleLine) {
        out.append((line, p.style ?? theme.text))
      }
    }
    return out
  }

  /// Draws the text; returns the total number of wrapped lines (for scrolling).
  @discardableResult
  public func render(into buffer: inout CellBuffer, area: Rect) -> Int {
    let clip = area.intersection(buffer.area)
    let all = lines(width: area.width)
    guard !clip.isEmpty else { return all.count }
    buffer.fill(clip, with: .blank)
    let start = min(max(0, scroll), max(0, all.count - 1))
    let shown = all.dropFirst(start).prefix(area.height)
    let cut = start + shown.count < all.count
    for (i, line) in shown.enumerated() {
      var text = line.text
      if cut && i == shown.count - 1 {
        // More below: end the last visible line with an ellipsis.
        text = String(text.prefix(max(0, area.width - 1))) + String(capabilities.symbols.ellipsis)
      }
      if alignment != .left { text = TextFit.pad(text, width: area.width, alignment: alignment) }
      buffer.write(text, x: area.x, y: area.y + i, style: line.style, clip: clip)
    }
    return all.count
  }
}

// MARK: - MessageLine

/// A one-line message: information, success, warning or error, cut with `…` to the width.
public struct MessageLine: Sendable {
  /// How serious the message is.
  public enum Kind: Sendable, Hashable, CaseIterable {
    /// Neutral information.
    case info
    /// Something worked.
    case success
    /// Something to notice.
    case warning
    /// Something failed.
    case error
  }

  /// The message.
  public var text: String
  /// Its kind.
  public var kind: Kind
  /// What the output can show.
  public var capabilities: Capabilities
  /// Styles.
  public var theme: Theme

  /// A message line.
  public init(_ text: String, kind: Kind = .info, capabilities: Capabilities, theme: Theme? = nil) {
    self.text = text
    self.kind = kind
    self.capabilities = capabilities
    self.theme = theme ?? .standard(for: capabilities)
  }

  /// The prefix naming the kind (`error: `, `warning: `; none for info and success).
  public var prefix: String {
    switch kind {
    case .info, .success: return ""
    case .warning: return "warning: "
    case .error: return "error: "
    }
  }

  /// The message's style.
  public var style: Style {
    switch kind {
    case .info: return theme.info
    case .success: return theme.success
    case .warning: return theme.warning
    case .error: return theme.error
    }
  }

  /// Draws the message on the first row of `area` (the row is cleared first).
  public func render(into buffer: inout CellBuffer, area: Rect) {
    let clip = area.intersection(buffer.area)
    guard !clip.isEmpty else { return }
    let row = Rect(x: area.x, y: area.y, width: area.width, height: 1).intersection(clip)
    buffer.fill(row, with: .blank)
    buffer.write(
      capabilities.drawable(prefix + text), x: area.x, y: area.y, width: area.width, style: style,
      ellipsis: capabilities.symbols.ellipsis, clip: row)
  }
}
