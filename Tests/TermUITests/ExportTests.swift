import Foundation
import TestSupport
import Testing

@testable import TermUI

@Suite("Export")
struct ExportTests {
  private let levels: [(String, Capabilities)] = Gallery.allCapabilities

  private func sample() -> CellBuffer {
    var b = CellBuffer(width: 12, height: 3)
    b.write("plain <&>\"'", x: 0, y: 0)
    b.write("red", x: 0, y: 1, style: Style(fg: .rgb(255, 0, 0), attributes: .bold))
    b.write("bg", x: 4, y: 1, style: Style(fg: .ansi(0), bg: .indexed(33), attributes: .underline))
    b.write("▀█░", x: 7, y: 1, style: Style(fg: .rgb(10, 200, 30), bg: .rgb(200, 10, 30)))
    b.write("┌─┐", x: 0, y: 2, style: Style(fg: .ansi(6)))
    b.write("rev", x: 4, y: 2, style: Style(fg: .ansi(3), attributes: [.reverse, .dim]))
    b[11, 2] = Cell("\u{07}")
    return b
  }

  // MARK: ANSI

  @Test func ansiRoundTripsTheText() {
    for (_, caps) in levels {
      for buffer in [sample(), Gallery.dashboard(width: 80, height: 24, caps: caps)] {
        let ansi = buffer.ansiText(capabilities: caps)
        let lines = buffer.lines.map { String($0.map { $0 == "\u{07}" ? " " : $0 }) }
        #expect(ANSI.strip(ansi) == lines.joined(separator: "\n"))
      }
    }
  }

  @Test func ansiUsesTheCodesOfEachLevel() {
    let b = sample()
    let tc = b.ansiText(capabilities: .full)
    #expect(tc.contains("\u{1B}[1;38;2;255;0;0mred"))
    #expect(tc.contains("48;5;33"))
    let c256 = b.ansiText(capabilities: Capabilities(color: .ansi256, unicode: true))
    #expect(c256.contains("38;5;196") && !c256.contains("38;2;"))
    let c8 = b.ansiText(capabilities: Capabilities(color: .ansi8, unicode: true))
    #expect(c8.contains("31m") && !c8.contains("38;5") && !c8.contains("38;2"))
    #expect(c8.contains("44"))  // indexed 33 is a blue
    let none = b.ansiText(capabilities: Capabilities(color: .none, unicode: true))
    #expect(!none.contains("\u{1B}"))
  }

  @Test func ansiEmitsOnlyChangesAndResetsEachLine() {
    var b = CellBuffer(width: 6, height: 2)
    b.write("aaaaaa", x: 0, y: 0, style: Style(fg: .ansi(1)))
    b.write("bbb", x: 0, y: 1, style: Style(fg: .ansi(2), attributes: .bold))
    b.write("ccc", x: 3, y: 1, style: Style(fg: .ansi(2)))
    let s = b.ansiText(capabilities: .full)
    #expect(s == "\u{1B}[31maaaaaa\u{1B}[0m\n\u{1B}[1;32mbbb\u{1B}[0;32mccc\u{1B}[0m")
  }

  // MARK: SVG

  private func read(_ svg: String) -> SVGGrid? { SVGGrid.read(svg) }

  @Test func svgIsWellFormedAndRebuildsTheGrid() throws {
    let options = SVGOptions()
    for (name, caps) in levels {
      for buffer in [sample(), Gallery.dashboard(width: 80, height: 24, caps: caps)] {
        let svg = buffer.svg(capabilities: caps, options: options)
        let r = try #require(read(svg))
        #expect(r.cols == buffer.width && r.rows == buffer.height)
        #expect(r.problems.isEmpty, "\(name): \(r.problems)")
        for y in 0..<buffer.height {
          for x in 0..<buffer.width {
            let key = "\(x),\(y)"
            let cell = buffer[x, y]
            let colours = SVGCellColors(cell.style, capabilities: caps, options: options)
            #expect(
              r.coverage[key] == 1,
              "\(name) \(key) background drawn \(r.coverage[key] ?? 0) times")
            #expect(r.background[key] == colours.bg.hex, "\(name) \(key) background")
            let shown = printable(cell.glyph)
            if shown == " " {
              #expect(r.glyph[key] == nil || r.glyph[key] == " ", "\(name) \(key)")
            } else {
              #expect(r.glyph[key] == shown, "\(name) \(key) glyph")
              #expect(r.foreground[key] == colours.fg.hex, "\(name) \(key) foreground")
            }
          }
        }
      }
    }
  }

  /// Underline is drawn as geometry: under blanks and block glyphs (drawn as shapes, with no
  /// text to decorate) as well as under text, at every colour level.
  @Test func svgDrawsUnderlineUnderBlanksAndBlocks() throws {
    var b = CellBuffer(width: 6, height: 2)
    let u = Style(attributes: .underline)
    b.put("█", x: 0, y: 0, style: u)
    b.put("▆", x: 1, y: 0, style: u)
    b.put(" ", x: 2, y: 0, style: u)
    b.write("7", x: 3, y: 0, style: Style(attributes: [.underline, .bold]))
    b.put("░", x: 1, y: 1, style: .plain)
    for level in Capabilities.ColorLevel.allCases {
      let svg = b.svg(capabilities: Capabilities(color: level, unicode: true))
      let r = try #require(read(svg))
      #expect(r.underlined == ["0,0", "1,0", "2,0", "3,0"], "\(level)")
      #expect(r.problems.isEmpty)
    }
  }

  @Test func svgEscapesAndStyles() throws {
    let svg = sample().svg(capabilities: .full, options: SVGOptions(title: "a <b> & c"))
    #expect(svg.contains("<title>a &lt;b&gt; &amp; c</title>"))
    #expect(svg.contains("&lt;&amp;&gt;&quot;&apos;"))
    #expect(svg.contains("font-weight=\"bold\""))
    #expect(svg.contains("data-mark=\"underline\""))
    #expect(svg.contains("data-glyph=\"▀\""))
    let r = try #require(read(svg))
    #expect(r.bold.contains("0,1"))
    #expect(r.underlined == ["4,1", "5,1"])
    // Reverse swaps the colours; dim mixes the foreground toward the background.
    let rev = SVGCellColors(
      Style(fg: .ansi(3), attributes: .reverse), capabilities: .full, options: SVGOptions())
    #expect(rev.bg == Color.xterm16[3] && rev.fg == SVGOptions().defaultBackground)
  }

  @Test func htmlWrapsTheSVG() {
    let html = sample().html(capabilities: .full, title: "x & y")
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<title>x &amp; y</title>"))
    #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(html.contains("</svg>") && html.hasSuffix("</html>\n"))
    #expect(html.contains("background:"))
  }
}
