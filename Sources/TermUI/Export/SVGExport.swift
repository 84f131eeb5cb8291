import NumberText

// MARK: - SVG export

/// Options of the SVG exporter.
public struct SVGOptions: Sendable, Hashable {
  /// Width of a cell in pixels.
  public var cellWidth: Double
  /// Height of a cell in pixels.
  public var cellHeight: Double
  /// Font size in pixels.
  public var fontSize: Double
  /// CSS font family list (monospace last).
  public var fontFamily: String
  /// What ``Color/default`` means as a foreground.
  public var defaultForeground: RGB
  /// What ``Color/default`` means as a background.
  public var defaultBackground: RGB
  /// An optional `<title>`.
  public var title: String?

  /// Options; the defaults match a 14 px monospace font on a dark terminal.
  public init(
    cellWidth: Double = 8.4, cellHeight: Double = 17, fontSize: Double = 14,
    fontFamily: String = "'DejaVu Sans Mono', 'Menlo', 'Consolas', 'Liberation Mono', monospace",
    defaultForeground: RGB = RGB(204, 204, 204), defaultBackground: RGB = RGB(24, 24, 28),
    title: String? = nil
  ) {
    self.cellWidth = cellWidth
    self.cellHeight = cellHeight
    self.fontSize = fontSize
    self.fontFamily = fontFamily
    self.defaultForeground = defaultForeground
    self.defaultBackground = defaultBackground
    self.title = title
  }
}

/// XML text and attribute escaping.
public enum XML {
  /// `text` with `& < > " '` escaped and characters XML 1.0 forbids (C0 controls other than
  /// tab, newline and carriage return) replaced by U+FFFD.
  public static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for u in text.unicodeScalars {
      switch u {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\t", "\n", "\r": out.unicodeScalars.append(u)
      default:
        if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF {
          out += "\u{FFFD}"
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out
  }
}

extension CellBuffer {
  /// The buffer as an SVG drawing of the same cell grid.
  ///
  /// Mapping (every element carries `data-x`, `data-y` — the cell column and row — so a reader
  /// can rebuild the grid):
  /// - `<svg data-cols data-rows>`: the grid size; pixel size is cols × `cellWidth` by rows ×
  ///   `cellHeight`.
  /// - `<g class="bg">`: one `<rect data-x data-y data-w fill>` per run of equal background in a
  ///   row; together they cover every cell exactly once (default background included).
  /// - `<g class="glyphs">`: block elements (`▀▄█▌▐░▒▓▁▂▃▅▆▇▔▏▕`), box drawing lines and `╱` are
  ///   drawn as geometry so they tile exactly: `<rect>`/`<path data-x data-y data-glyph fill|stroke>`
  ///   in the foreground colour.
  /// - `<g class="fg">`: one `<text data-x data-y data-w fill>` per run of non-blank glyphs of
  ///   equal foreground and attributes (blank cells have no text), with `xml:space="preserve"`
  ///   and `textLength` so the run spans exactly `data-w` cells; bold is `font-weight="bold"`,
  ///   italic `font-style="italic"`.
  /// - `<g class="marks">`: underline as geometry, so it shows under blanks and block glyphs
  ///   too and in every renderer: one `<rect data-mark="underline" data-x data-y data-w fill>`
  ///   per run of underlined cells of equal foreground, a line at the bottom of the cells.
  ///
  /// Colours are first reduced to `capabilities` (``Color/downgraded(to:)``) and then turned
  /// into RGB with the xterm palette; `reverse` swaps foreground and background, `dim` mixes the
  /// foreground halfway toward the background. With no colour, everything is drawn in the
  /// default colours (attributes still apply).
  public func svg(capabilities: Capabilities, options: SVGOptions = SVGOptions()) -> String {
    let cw = options.cellWidth
    let ch = options.cellHeight
    func num(_ v: Double) -> String { SVGNumber.format(v) }
    var out = ""
    out.reserveCapacity(width * height * 40 + 1024)
    let pw = Double(width) * cw
    let ph = Double(height) * ch
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(num(pw))\" height=\"\(num(ph))\""
    out += " viewBox=\"0 0 \(num(pw)) \(num(ph))\" data-cols=\"\(width)\" data-rows=\"\(height)\""
    out += " data-cell-width=\"\(num(cw))\" data-cell-height=\"\(num(ch))\">\n"
    if let title = options.title { out += "<title>\(XML.escape(title))</title>\n" }
    out +=
      "<style>text{font-family:\(XML.escape(options.fontFamily));font-size:\(num(options.fontSize))px}</style>\n"

    // Effective colours of every cell.
    let resolved = cells.map {
      SVGCellColors($0.style, capabilities: capabilities, options: options)
    }
    svgBackgrounds(resolved, options: options, into: &out)
    svgGlyphShapes(resolved, options: options, into: &out)
    svgTextRuns(resolved, options: options, into: &out)
    svgUnderlines(resolved, options: options, into: &out)
    out += "</svg>\n"
    return out
  }

  /// `<g class="bg">`: runs of equal background colour.
  private func svgBackgrounds(
    _ resolved: [SVGCellColors], options: SVGOptions, into out: inout String
  ) {
    let cw = options.cellWidth
    let ch = options.cellHeight
    func num(_ v: Double) -> String { SVGNumber.format(v) }
    out += "<g class=\"bg\" shape-rendering=\"crispEdges\">\n"
    for y in 0..<height {
      var x = 0
      while x < width {
        let bg = resolved[y * width + x].bg
        var end = x + 1
        while end < width && resolved[y * width + end].bg == bg { end += 1 }
        out +=
          "<rect data-x=\"\(x)\" data-y=\"\(y)\" data-w=\"\(end - x)\" x=\"\(num(Double(x) * cw))\""
        out +=
          " y=\"\(num(Double(y) * ch))\" width=\"\(num(Double(end - x) * cw))\" height=\"\(num(ch))\""
        out += " fill=\"\(bg.hex)\"/>\n"
        x = end
      }
    }
    out += "</g>\n"
  }

  /// `<g class="glyphs">`: block and box-drawing glyphs drawn as geometry.
  private func svgGlyphShapes(
    _ resolved: [SVGCellColors], options: SVGOptions, into out: inout String
  ) {
    out += "<g class=\"glyphs\">\n"
    for y in 0..<height {
      for x in 0..<width {
        let cell = cells[y * width + x]
        guard let shape = SVGGlyphShape.shape(for: cell.glyph) else { continue }
        out += shape.element(
          x: x, y: y, cellWidth: options.cellWidth, cellHeight: options.cellHeight,
          glyph: cell.glyph, color: resolved[y * width + x].fg)
      }
    }
    out += "</g>\n"
  }

  /// `<g class="fg">`: runs of text of equal colour and attributes.
  private func svgTextRuns(
    _ resolved: [SVGCellColors], options: SVGOptions, into out: inout String
  ) {
    out += "<g class=\"fg\">\n"
    for y in 0..<height {
      var x = 0
      while x < width {
        let i = y * width + x
        if SVGGlyphShape.shape(for: cells[i].glyph) != nil {
          x += 1
          continue
        }
        let key = resolved[i].textKey
        var end = x + 1
        while end < width, resolved[y * width + end].textKey == key,
          SVGGlyphShape.shape(for: cells[y * width + end].glyph) == nil
        {
          end += 1
        }
        let glyphs = (x..<end).map { printable(cells[y * width + $0].glyph) }
        // Blank cells need no text: split the run into its non-blank pieces, so no renderer
        // has to preserve spaces for the positions to be right.
        for piece in Self.nonBlankPieces(glyphs) {
          out += Self.textElement(
            String(glyphs[piece]), cells: piece.count, x: x + piece.lowerBound, y: y, key: key,
            options: options)
        }
        x = end
      }
    }
    out += "</g>\n"
  }

  /// `<g class="marks">`: underlines drawn as thin rectangles at the bottom of their cells.
  private func svgUnderlines(
    _ resolved: [SVGCellColors], options: SVGOptions, into out: inout String
  ) {
    let cw = options.cellWidth
    let ch = options.cellHeight
    let thickness = max(1, (ch / 14).rounded())
    func num(_ v: Double) -> String { SVGNumber.format(v) }
    out += "<g class=\"marks\" shape-rendering=\"crispEdges\">\n"
    for y in 0..<height {
      var x = 0
      while x < width {
        let key = resolved[y * width + x].textKey
        guard key.underline else {
          x += 1
          continue
        }
        var end = x + 1
        while end < width, resolved[y * width + end].textKey.underline,
          resolved[y * width + end].textKey.fg == key.fg
        {
          end += 1
        }
        out += "<rect data-mark=\"underline\" data-x=\"\(x)\" data-y=\"\(y)\" data-w=\"\(end - x)\""
        out += " x=\"\(num(Double(x) * cw))\" y=\"\(num(Double(y + 1) * ch - thickness - 1))\""
        out += " width=\"\(num(Double(end - x) * cw))\" height=\"\(num(thickness))\""
        out += " fill=\"\(key.fg.hex)\"/>\n"
        x = end
      }
    }
    out += "</g>\n"
  }

  /// The ranges of `glyphs` between blanks.
  private static func nonBlankPieces(_ glyphs: [Character]) -> [Range<Int>] {
    var pieces: [Range<Int>] = []
    var i = 0
    while i < glyphs.count {
      if glyphs[i] == " " {
        i += 1
        continue
      }
      var j = i + 1
      while j < glyphs.count && glyphs[j] != " " { j += 1 }
      pieces.append(i..<j)
      i = j
    }
    return pieces
  }

  /// One `<text>` spanning `count` cells from cell `(x, y)`.
  private static func textElement(
    _ text: String, cells count: Int, x px: Int, y: Int, key: SVGCellColors.TextKey,
    options: SVGOptions
  ) -> String {
    let cw = options.cellWidth
    let ch = options.cellHeight
    let baseline = ch * 0.77
    func num(_ v: Double) -> String { SVGNumber.format(v) }
    var out =
      "<text data-x=\"\(px)\" data-y=\"\(y)\" data-w=\"\(count)\" x=\"\(num(Double(px) * cw))\""
    out += " y=\"\(num(Double(y) * ch + baseline))\" fill=\"\(key.fg.hex)\""
    out += " textLength=\"\(num(Double(count) * cw))\" lengthAdjust=\"spacingAndGlyphs\""
    if key.bold { out += " font-weight=\"bold\"" }
    if key.italic { out += " font-style=\"italic\"" }
    out += " xml:space=\"preserve\">\(XML.escape(text))</text>\n"
    return out
  }

  /// A complete HTML page showing the buffer as SVG on a dark background.
  public func html(
    capabilities: Capabilities, title: String = "convscope", options: SVGOptions = SVGOptions()
  ) -> String {
    var o = options
    if o.title == nil { o.title = title }
    let bg = options.defaultBackground.mixed(with: .black, 0.4).hex
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(XML.escape(title))</title>
      <style>
      html, body { margin: 0; background: \(bg); color: #ccc; font-family: sans-serif; }
      main { display: flex; flex-direction: column; align-items: center; padding: 24px; }
      svg { max-width: 100%; height: auto; box-shadow: 0 4px 24px rgba(0, 0, 0, 0.6); }
      </style>
      </head>
      <body>
      <main>
      \(svg(capabilities: capabilities, options: o))</main>
      </body>
      </html>

      """
  }
}

// MARK: - Helpers

/// Numbers for SVG attributes: at most 2 decimals, trailing zeros trimmed.
enum SVGNumber {
  static func format(_ v: Double) -> String { NumberFormat.fixed(v, decimals: 2) }
}

/// The colours and text attributes a cell is drawn with.
struct SVGCellColors: Equatable {
  struct TextKey: Equatable {
    var fg: RGB
    var bold: Bool
    var italic: Bool
    var underline: Bool
  }

  var fg: RGB
  var bg: RGB
  var textKey: TextKey

  init(_ style: Style, capabilities: Capabilities, options: SVGOptions) {
    let level = capabilities.color
    var fg = style.fg.downgraded(to: level).toRGB(default: options.defaultForeground)
    var bg = style.bg.downgraded(to: level).toRGB(default: options.defaultBackground)
    if style.attributes.contains(.reverse) { swap(&fg, &bg) }
    if style.attributes.contains(.dim) { fg = fg.mixed(with: bg, 0.5) }
    self.fg = fg
    self.bg = bg
    textKey = TextKey(
      fg: fg, bold: style.attributes.contains(.bold), italic: style.attributes.contains(.italic),
      underline: style.attributes.contains(.underline))
  }
}

/// Glyphs the SVG draws as geometry so they tile without gaps.
enum SVGGlyphShape {
  /// A filled rectangle in cell fractions, with an opacity.
  case block(x0: Double, y0: Double, x1: Double, y1: Double, opacity: Double)
  /// Box-drawing arms from the centre: up, down, left, right; heavy doubles the stroke.
  case lines(up: Bool, down: Bool, left: Bool, right: Bool, heavy: Bool)
  /// A diagonal from bottom-left to top-right.
  case diagonal

  static func shape(for glyph: Character) -> SVGGlyphShape? {
    switch glyph {
    case "▀": return .block(x0: 0, y0: 0, x1: 1, y1: 0.5, opacity: 1)
    case "▄": return .block(x0: 0, y0: 0.5, x1: 1, y1: 1, opacity: 1)
    case "█": return .block(x0: 0, y0: 0, x1: 1, y1: 1, opacity: 1)
    case "▌": return .block(x0: 0, y0: 0, x1: 0.5, y1: 1, opacity: 1)
    case "▐": return .block(x0: 0.5, y0: 0, x1: 1, y1: 1, opacity: 1)
    case "░": return .block(x0: 0, y0: 0, x1: 1, y1: 1, opacity: 0.25)
    case "▒": return .block(x0: 0, y0: 0, x1: 1, y1: 1, opacity: 0.5)
    case "▓": return .block(x0: 0, y0: 0, x1: 1, y1: 1, opacity: 0.75)
    case "▁": return .block(x0: 0, y0: 7.0 / 8, x1: 1, y1: 1, opacity: 1)
    case "▂": return .block(x0: 0, y0: 6.0 / 8, x1: 1, y1: 1, opacity: 1)
    case "▃": return .block(x0: 0, y0: 5.0 / 8, x1: 1, y1: 1, opacity: 1)
    case "▅": return .block(x0: 0, y0: 3.0 / 8, x1: 1, y1: 1, opacity: 1)
    case "▆": return .block(x0: 0, y0: 2.0 / 8, x1: 1, y1: 1, opacity: 1)
    case "▇": return .block(x0: 0, y0: 1.0 / 8, x1: 1, y1: 1, opacity: 1)
    case "▔": return .block(x0: 0, y0: 0, x1: 1, y1: 1.0 / 8, opacity: 1)
    case "▏": return .block(x0: 0, y0: 0, x1: 1.0 / 8, y1: 1, opacity: 1)
    case "▕": return .block(x0: 7.0 / 8, y0: 0, x1: 1, y1: 1, opacity: 1)
    case "─": return .lines(up: false, down: false, left: true, right: true, heavy: false)
    case "━": return .lines(up: false, down: false, left: true, right: true, heavy: true)
    case "│": return .lines(up: true, down: true, left: false, right: false, heavy: false)
    case "┃": return .lines(up: true, down: true, left: false, right: false, heavy: true)
    case "┌", "╭": return .lines(up: false, down: true, left: false, right: true, heavy: false)
    case "┐", "╮": return .lines(up: false, down: true, left: true, right: false, heavy: false)
    case "└", "╰": return .lines(up: true, down: false, left: false, right: true, heavy: false)
    case "┘", "╯": return .lines(up: true, down: false, left: true, right: false, heavy: false)
    case "┏": return .lines(up: false, down: true, left: false, right: true, heavy: true)
    case "┓": return .lines(up: false, down: true, left: true, right: false, heavy: true)
    case "┗": return .lines(up: true, down: false, left: false, right: true, heavy: true)
    case "┛": return .lines(up: true, down: false, left: true, right: false, heavy: true)
    case "├": return .lines(up: true, down: true, left: false, right: true, heavy: false)
    case "┤": return .lines(up: true, down: true, left: true, right: false, heavy: false)
    case "┬": return .lines(up: false, down: true, left: true, right: true, heavy: false)
    case "┴": return .lines(up: true, down: false, left: true, right: true, heavy: false)
    case "┼": return .lines(up: true, down: true, left: true, right: true, heavy: false)
    case "╱": return .diagonal
    default: return nil
    }
  }

  func element(
    x: Int, y: Int, cellWidth cw: Double, cellHeight ch: Double, glyph: Character, color: RGB
  ) -> String {
    func num(_ v: Double) -> String { SVGNumber.format(v) }
    let px = Double(x) * cw
    let py = Double(y) * ch
    let data = "data-x=\"\(x)\" data-y=\"\(y)\" data-glyph=\"\(XML.escape(String(glyph)))\""
    switch self {
    case .block(let x0, let y0, let x1, let y1, let opacity):
      var s = "<rect \(data) x=\"\(num(px + x0 * cw))\" y=\"\(num(py + y0 * ch))\""
      s +=
        " width=\"\(num((x1 - x0) * cw))\" height=\"\(num((y1 - y0) * ch))\" fill=\"\(color.hex)\""
      if opacity < 1 { s += " fill-opacity=\"\(num(opacity))\"" }
      return s + "/>\n"
    case .lines(let up, let down, let left, let right, let heavy):
      let cx = px + cw / 2
      let cy = py + ch / 2
      var d = ""
      if left || right {
        d += "M\(num(left ? px : cx)) \(num(cy))H\(num(right ? px + cw : cx))"
      }
      if up || down {
        d += "M\(num(cx)) \(num(up ? py : cy))V\(num(down ? py + ch : cy))"
      }
      return
        "<path \(data) d=\"\(d)\" stroke=\"\(color.hex)\" stroke-width=\"\(heavy ? 2 : 1)\" fill=\"none\"/>\n"
    case .diagonal:
      return
        "<path \(data) d=\"M\(num(px)) \(num(py + ch))L\(num(px + cw)) \(num(py))\" stroke=\"\(color.hex)\" stroke-width=\"1\" fill=\"none\"/>\n"
    }
  }
}
