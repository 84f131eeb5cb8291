import Testing

@testable import NCursesBackend

// MARK: - Palette and nearest colours

@Suite("XtermPalette")
struct XtermPaletteTests {
  typealias RGB = XtermPalette.RGB

  @Test("indices give xterm's values")
  func indexToRGB() {
    #expect(XtermPalette.rgb(1) == RGB(r: 205, g: 0, b: 0))
    #expect(XtermPalette.rgb(16) == RGB(r: 0, g: 0, b: 0))
    #expect(XtermPalette.rgb(196) == RGB(r: 255, g: 0, b: 0))
    #expect(XtermPalette.rgb(21) == RGB(r: 0, g: 0, b: 255))
    #expect(XtermPalette.rgb(231) == RGB(r: 255, g: 255, b: 255))
    #expect(XtermPalette.rgb(232) == RGB(r: 8, g: 8, b: 8))
    #expect(XtermPalette.rgb(255) == RGB(r: 238, g: 238, b: 238))
  }

  @Test("every fixed colour (16-255) is its own nearest")
  func roundTrip() {
    for i in 16...255 {
      let index = UInt8(i)
      #expect(XtermPalette.nearest256(XtermPalette.rgb(index)) == index, "index \(i)")
    }
  }

  @Test("in-between colours go to the nearest cube or grey entry")
  func nearest256() {
    #expect(XtermPalette.nearest256(RGB(r: 250, g: 5, b: 5)) == 196)
    #expect(XtermPalette.nearest256(RGB(r: 128, g: 128, b: 128)) == 244)  // grey 128
    #expect(XtermPalette.nearest256(RGB(r: 255, g: 128, b: 0)) == 208)  // orange
    #expect(XtermPalette.nearest256(RGB(r: 0, g: 0, b: 0)) == 16)
  }

  @Test("8 and 16 colours")
  func nearestANSI() {
    #expect(XtermPalette.nearestANSI(RGB(r: 250, g: 10, b: 10), count: 8) == 1)
    #expect(XtermPalette.nearestANSI(RGB(r: 250, g: 10, b: 10), count: 16) == 9)
    #expect(XtermPalette.nearestANSI(RGB(r: 10, g: 10, b: 10), count: 8) == 0)
    #expect(XtermPalette.nearestANSI(RGB(r: 255, g: 255, b: 255), count: 8) == 7)
    #expect(XtermPalette.nearestANSI(RGB(r: 255, g: 255, b: 255), count: 16) == 15)
    #expect(XtermPalette.nearestANSI(RGB(r: 0, g: 0, b: 140), count: 8) == 4)
    #expect(XtermPalette.nearestANSI(RGB(r: 255, g: 165, b: 0), count: 8) == 3)
  }
}
