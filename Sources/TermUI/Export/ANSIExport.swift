// MARK: - ANSI export

/// SGR escape sequences for styles (ECMA-48 "Select Graphic Rendition").
public enum ANSI {
  /// The escape character.
  public static let escape = "\u{1B}"
  /// Resets every attribute and colour: `ESC [ 0 m`.
  public static let reset = "\u{1B}[0m"
  /// Clears the screen and homes the cursor: `ESC [ H ESC [ 2 J`.
  public static let clearAndHome = "\u{1B}[H\u{1B}[2J"

  /// The SGR parameters that set `color` as foreground (or background), e.g. `31`,
  /// `38;5;196`, `48;2;10;20;30`, `39`.
  public static func parameters(for color: Color, background: Bool) -> String {
    switch color {
    case .default: return background ? "49" : "39"
    case .ansi(let n):
      let base = n < 8 ? (background ? 40 : 30) : (background ? 100 : 90)
      return String(base + Int(n & 7))
    case .indexed(let n): return (background ? "48;5;" : "38;5;") + String(n)
    case .rgb(let r, let g, let b):
      return (background ? "48;2;" : "38;2;") + "\(r);\(g);\(b)"
    }
  }

  /// SGR parameters of attributes: bold 1, dim 2, italic 3, underline 4, reverse 7.
  public static func parameters(for attributes: Attributes) -> [String] {
    var p: [String] = []
    if attributes.contains(.bold) { p.append("1") }
    if attributes.contains(.dim) { p.append("2") }
    if attributes.contains(.italic) { p.append("3") }
    if attributes.contains(.underline) { p.append("4") }
    if attributes.contains(.reverse) { p.append("7") }
    return p
  }

  /// The escape sequence that changes the terminal from style `from` to style `to`: only the
  /// parts that differ, or a reset followed by `to` when an attribute must be turned off.
  /// Empty when nothing changes.
  public static func transition(from: Style, to: Style) -> String {
    guard from != to else { return "" }
    var params: [String] = []
    var base = from
    if !from.attributes.isSubset(of: to.attributes) {
      params.append("0")
      base = .plain
    }
    params += parameters(for: to.attributes.subtracting(base.attributes))
    if to.fg != base.fg { params.append(parameters(for: to.fg, background: false)) }
    if to.bg != base.bg { params.append(parameters(for: to.bg, background: true)) }
    return params.isEmpty ? "" : escape + "[" + params.joined(separator: ";") + "m"
  }
}

extension CellBuffer {
  /// The buffer as text with SGR escapes for `capabilities`.
  ///
  /// Colours are reduced with ``Color/downgraded(to:)`` (truecolor `38;2;r;g;b`, 256 colours
  /// `38;5;n`, 8 colours `3x`/`4x`); with no colour there are no escapes at all. Only changes
  /// between cells are emitted, and every line that changed the style ends with a reset. Lines
  /// are joined with `lineEnding` (none after the last one).
  public func ansiText(capabilities: Capabilities, lineEnding: String = "\n") -> String {
    let level = capabilities.color
    var out = ""
    out.reserveCapacity(width * height * 2)
    for y in 0..<height {
      if y > 0 { out += lineEnding }
      var current = Style.plain
      for x in 0..<width {
        let cell = cells[y * width + x]
        if level != .none {
          var s = cell.style
          s.fg = s.fg.downgraded(to: level)
          s.bg = s.bg.downgraded(to: level)
          out += ANSI.transition(from: current, to: s)
          current = s
        }
        out.append(printable(cell.glyph))
      }
      if current != .plain { out += ANSI.reset }
    }
    return out
  }
}

/// Control characters (C0 and DEL) become blanks so exported text cannot drive a terminal.
func printable(_ c: Character) -> Character {
  guard c.unicodeScalars.count == 1, let u = c.unicodeScalars.first else { return c }
  return u.value < 0x20 || u.value == 0x7F ? " " : c
}

extension ANSI {
  /// `text` with every CSI escape sequence (`ESC [ … final-byte`) removed.
  public static func strip(_ text: String) -> String {
    var out = ""
    var it = text.unicodeScalars.makeIterator()
    while let c = it.next() {
      guard c == "\u{1B}" else {
        out.unicodeScalars.append(c)
        continue
      }
      guard let next = it.next() else { break }
      if next != "[" { continue }
      while let p = it.next() {
        if (0x40...0x7E).contains(p.value) { break }
      }
    }
    return out
  }
}
