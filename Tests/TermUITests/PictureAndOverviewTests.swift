import TestSupport
import Testing

@testable import TermUI

@Suite("HeatGrid: pictures, zoom and the overview")
struct PictureAndOverviewTests {
  private let c256 = Capabilities(color: .ansi256, unicode: true)
  private let mono = Capabilities(color: .none, unicode: true)

  /// A 4×2 picture: row r, column c has a colour of its own.
  private static let colours: [[RGB]] = [
    [RGB(255, 0, 0), RGB(0, 255, 0)],
    [RGB(0, 0, 255), RGB(250, 250, 250)],
    [RGB(12, 34, 56), RGB(200, 100, 50)],
    [RGB(90, 90, 90), RGB(1, 2, 3)],
  ]

  private func picture() -> HeatGridModel {
    var m = HeatGridModel(rows: 4, cols: 2, range: 1) { r, c in Float(r * 2 + c) / 10 }
    m.pixels = { r, c in Self.colours[r][c] }
    m.showLabels = false
    return m
  }

  private func render(_ m: HeatGridModel, _ caps: Capabilities, _ w: Int, _ h: Int)
    -> (CellBuffer, HeatGridLayout)
  { renderGrid(m, caps, w, h) }

  // MARK: Pictures

  @Test("half blocks carry the picture's colours: fg the upper row, bg the lower (24-bit, 256)")
  func halfBlocksCarryThePicture() throws {
    for caps in [Capabilities.full, c256] {
      let (b, layout) = render(picture(), caps, 2, 2)
      #expect(layout.resolution == .halfBlocks)
      for line in 0..<2 {
        for c in 0..<2 {
          let cell = b[c, line]
          #expect(cell.glyph == "▀")
          #expect(cell.style.fg == Color(Self.colours[2 * line][c]).downgraded(to: caps.color))
          #expect(cell.style.bg == Color(Self.colours[2 * line + 1][c]).downgraded(to: caps.color))
        }
      }
    }
    // 256 colours: the nearest xterm colour, e.g. pure red is 196.
    let (b, _) = render(picture(), c256, 2, 2)
    #expect(b[0, 0].style.fg == .indexed(196))
  }

  @Test("with room a picture is drawn in tiles of its colours, not in the palette's")
  func tilesCarryThePicture() throws {
    let (b, layout) = render(picture(), .full, 40, 20)
    #expect(layout.resolution == .shades && layout.cellWidth > 1)
    for r in 0..<4 {
      for c in 0..<2 {
        let rect = try #require(layout.screenRect(of: GridCell(row: r, col: c)))
        #expect(b[rect.x, rect.y].style.bg == Color(Self.colours[r][c]))
        #expect(b[rect.maxX - 1, rect.maxY - 1].style.bg == Color(Self.colours[r][c]))
      }
    }
  }

  @Test("the window tints the picture; below 256 colours the palette draws it")
  func windowAndFewColours() throws {
    var m = picture()
    m.window = GridRegion(row: 0, col: 0, rows: 1, cols: 1)
    let (b, layout) = render(m, .full, 40, 20)
    let inside = try #require(layout.screenRect(of: GridCell(row: 0, col: 0)))
    #expect(b[inside.x, inside.y].style.bg != Color(Self.colours[0][0]))
    let outside = try #require(layout.screenRect(of: GridCell(row: 0, col: 1)))
    #expect(b[outside.x, outside.y].style.bg == Color(Self.colours[0][1]))

    let eight = Capabilities(color: .ansi8, unicode: true)
    #expect(!m.showsPicture(with: eight) && m.showsPicture(with: c256))
    let (b8, _) = render(picture(), eight, 40, 20)
    #expect(b8.cells.allSatisfy { if case .rgb = $0.style.bg { false } else { true } })
  }

  @Test("numbers zoomed onto a picture sit on its colours")
  func numbersOnThePicture() throws {
    var m = picture()
    m.zoom = .numbers
    let (b, layout) = render(m, .full, 60, 30)
    #expect(layout.resolution == .numbers)
    let rect = try #require(layout.screenRect(of: GridCell(row: 2, col: 1)))
    #expect(b[rect.x, rect.y].style.bg == Color(Self.colours[2][1]))
    #expect(b.plainText.contains("0.5"))
  }

  // MARK: Zoom

  @Test("z cycles cells → half blocks → numbers → auto, and each yields its resolution")
  func zoomResolutions() {
    #expect(HeatGridZoom.next(after: nil) == .cells)
    #expect(HeatGridZoom.next(after: .cells) == .halfBlocks)
    #expect(HeatGridZoom.next(after: .halfBlocks) == .numbers)
    #expect(HeatGridZoom.next(after: .numbers) == nil)
    var m = Gallery.largeModel()
    let area = Rect(x: 0, y: 0, width: 70, height: 26)
    func layout(_ zoom: HeatGridZoom?, _ caps: Capabilities = .full) -> HeatGridLayout {
      m.zoom = zoom
      return HeatGrid(model: m, capabilities: caps).layout(in: area)
    }
    #expect(layout(nil).resolution == .halfBlocks)
    let cells = layout(.cells)
    #expect(cells.resolution == .shades && cells.cellWidth == 1 && cells.cellHeight == 1)
    #expect(cells.scrollsVertically && cells.visibleCols.count == 64)
    #expect(layout(.halfBlocks).resolution == .halfBlocks)
    let numbers = layout(.numbers)
    #expect(numbers.resolution == .numbers && numbers.scrollsHorizontally)
    // Without colours there are no half blocks: one cell per value instead.
    let fallback = layout(.halfBlocks, mono)
    #expect(fallback.resolution == .shades && fallback.cellWidth == 1)
    // A small map zoomed to one cell a value stays that small.
    var k = Gallery.kernelModel()
    k.zoom = .cells
    let small = HeatGrid(model: k, capabilities: .full).layout(in: area)
    #expect(small.resolution == .shades && small.cellWidth == 1)
  }

  // MARK: Overview

  /// A 100×100 map drawn one cell a value in 60×20 (no labels): rows 0–18 and columns 0–58 on
  /// screen when the window is at the top left (the last row and column hold the scroll marks).
  private func bigMap(window row: Int = 0, _ col: Int = 0) -> HeatGridModel {
    var m = HeatGridModel(rows: 100, cols: 100, range: 2) { r, c in Float((r + c) % 5) - 2 }
    m.zoom = .cells
    m.showLabels = false
    m.showsOverview = true
    m.window = GridRegion(row: row, col: col, rows: 3, cols: 3)
    return m
  }

  @Test("the overview frames the viewport: known sizes, half blocks in 24-bit colour")
  func overviewFrameWithHalfBlocks() throws {
    let (b, layout) = render(bigMap(), .full, 60, 20)
    #expect(layout.visibleRows == 0..<19 && layout.visibleCols == 0..<59)
    let overview = try #require(
      GridOverview(layout: layout, focus: bigMap().effectiveFocus, capabilities: .full))
    // 8 cells a pixel: 13×13 pixels, 13×7 characters, boxed, in the corner of the 59×19 cells
    // away from the window (top left).
    #expect(overview.scale == 8)
    #expect(overview.box == Rect(x: 44, y: 10, width: 15, height: 9))
    #expect(overview.framePixels.rows == 0..<3 && overview.framePixels.cols == 0..<8)
    #expect(overview.frameRect == Rect(x: 45, y: 11, width: 8, height: 2))
    #expect(b[44, 10].glyph == "╭" && b[58, 18].glyph == "╯")
    let white = Color(GridOverview.frameColour)
    // Pixel rows 0 and 2 are the frame's top and bottom, pixel columns 0 and 7 its sides.
    #expect(b[45, 11].style.fg == white && b[45, 11].style.bg == white)
    #expect(b[46, 11].style.fg == white && b[46, 11].style.bg != white)
    #expect(b[46, 12].style.fg == white && b[46, 12].style.bg != white)
    #expect(b[52, 12].style.fg == white && b[52, 12].style.bg != white)
    #expect(b[53, 11].style.fg != white && b[53, 12].style.fg != white)
    #expect(b[45, 13].style.fg != white)
  }

  @Test("the overview moves away from the window, follows the viewport, and draws lines in mono")
  func overviewFollowsAndMono() throws {
    let m = bigMap(window: 90, 90)
    let (b, layout) = render(m, mono, 60, 20)
    #expect(layout.visibleRows == 75..<94 && layout.visibleCols == 35..<94)
    let overview = try #require(
      GridOverview(layout: layout, focus: m.effectiveFocus, capabilities: mono))
    #expect(overview.box.x == 0 && overview.box.y == 0 && !overview.halfBlocks)
    // 8 cells a pixel: rows 75–93 are pixel rows 9–11, columns 35–93 pixel columns 4–11.
    #expect(overview.framePixels.rows == 9..<12 && overview.framePixels.cols == 4..<12)
    #expect(overview.frameRect == Rect(x: 5, y: 5, width: 8, height: 2))
    // Two characters high: too small for a box, so the frame's characters are reversed.
    #expect(
      b[5, 5].style.attributes.contains(.reverse) && b[12, 6].style.attributes.contains(.reverse))
    #expect(
      !b[4, 5].style.attributes.contains(.reverse) && !b[13, 5].style.attributes.contains(.reverse))
    #expect(
      !b[5, 4].style.attributes.contains(.reverse) && !b[5, 7].style.attributes.contains(.reverse))

    // Taller: rows 0–38 and columns 0–58 on screen, 6 cells a pixel: pixel rows 0–6 and
    // columns 0–9; a box.
    let (tall, tallLayout) = render(bigMap(), mono, 60, 40)
    let boxed = try #require(
      GridOverview(layout: tallLayout, focus: bigMap().effectiveFocus, capabilities: mono))
    #expect(boxed.box == Rect(x: 40, y: 28, width: 19, height: 11))
    #expect(boxed.frameRect == Rect(x: 41, y: 29, width: 10, height: 4))
    #expect(tall[41, 29].glyph == "╭" && tall[50, 29].glyph == "╮")
    #expect(tall[41, 32].glyph == "╰" && tall[50, 32].glyph == "╯")
    #expect(tall[45, 30].glyph != "─" && tall[45, 32].glyph == "─")
  }

  @Test("no overview when the map fits or when the model does not ask for one")
  func noOverview() {
    var m = bigMap()
    m.showsOverview = false
    let (without, _) = render(m, mono, 60, 20)
    #expect(!without.plainText.contains("╭"))
    var small = Gallery.kernelModel()
    small.showsOverview = true
    let (b, layout) = render(small, mono, 60, 20)
    #expect(!layout.scrollsVertically && !layout.scrollsHorizontally)
    #expect(GridOverview(layout: layout, focus: nil, capabilities: mono) == nil)
    #expect(!b.plainText.contains("╭"))
  }
}
