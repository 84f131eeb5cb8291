import ConvCore
import ConvLessons
import ConvStepper
import TermUI
import TestSupport
import Testing

@testable import ConvApp

// MARK: - The input as a picture (p) and the maps' zoom (z)

@Suite("Picture view and zoom")
struct PictureViewTests {
  /// Channel levels: 0, 0.2, 0.6 and 1 read as 0, 51, 153 and 255.
  static let levels: [Float] = [0, 0.2, 0.6]
  static let bytes: [UInt8] = [0, 51, 153]

  /// A 3×3 RGB picture whose pixel (r, c) is (bytes[c], bytes[r], 255), through a 1×1 kernel (so
  /// the window covers one pixel).
  static func rgbScenario() throws -> Scenario {
    var data: [Float] = []
    for k in 0..<3 {
      for r in 0..<3 {
        for c in 0..<3 { data.append(k == 0 ? levels[c] : k == 1 ? levels[r] : 1) }
      }
    }
    return Scenario(
      title: "RGB", config: Conv2DConfig(inChannels: 3, filters: 1, kernel: Size2(1)),
      input: try Tensor(shape: [1, 3, 3, 3], data: data),
      weight: try Tensor(shape: [1, 3, 1, 1], data: [1, 1, 1]), bias: Tensor(shape: [1]))
  }

  /// `--input photo:rgb --kernel sobel-x`: a 64×64 RGB photo, larger than its panel.
  static func photoScenario() throws -> Scenario {
    var request = ScenarioRequest()
    request.input = .argument("photo:rgb")
    request.kernel = .argument("sobel-x")
    request.padding = Size2(1)
    return try ScenarioBuilder.build(request).scenario
  }

  static func model(
    _ scenario: Scenario, caps: Capabilities = .full, width: Int = 120, height: Int = 40
  ) throws -> Model {
    try Model(scenario: scenario, capabilities: caps, width: width, height: height)
  }

  /// The input panel as the view placed it.
  static func inputPanel(_ m: Model) throws -> ScreenLayout.PlacedPanel {
    try #require(ScreenLayout(m).panels.first { $0.panel.role == .input })
  }

  /// The background of matrix cell (r, c) of the input panel on screen.
  static func background(_ m: Model, _ buffer: CellBuffer, _ r: Int, _ c: Int) throws -> Color {
    let rect = try #require(try inputPanel(m).layout.screenRect(of: GridCell(row: r, col: c)))
    return buffer[rect.x, rect.y].style.bg
  }

  @Test("values map to 0…255 by the input's range: [0, 1], [−1, 1], else stretched")
  func scales() {
    let unit = PictureView.Scale(of: [0, 0.2, 1])
    #expect(unit == .unit && unit.level(0.2) == 51 && unit.level(1) == 255)
    let signed = PictureView.Scale(of: [-1, 0.5])
    #expect(signed == .signed && signed.level(-1) == 0 && signed.level(0) == 128)
    let stretched = PictureView.Scale(of: [-2, 3, 8])
    #expect(stretched == .stretched(lo: -2, hi: 8) && stretched.level(3) == 128)
    #expect(unit.level(.nan) == nil && unit.describe(ascii: false) == "0…1 → 0…255")
  }

  @Test("an RGB picture: the input panel shows its colours, 24-bit and 256", arguments: [0, 1])
  func rgbColours(level: Int) throws {
    let caps = [Capabilities.full, Capabilities(color: .ansi256, unicode: true)][level]
    let m = try Self.model(Self.rgbScenario(), caps: caps)
    #expect(PictureView.isOn(m))
    let buffer = view(m)
    for r in 0..<3 {
      for c in 0..<3 where r + c > 0 {  // (0, 0) is under the window's tint
        let rgb = RGB(Self.bytes[c], Self.bytes[r], 255)
        let expected = caps.color == .truecolor ? Color(rgb) : .indexed(Color.nearestXterm256(rgb))
        #expect(try Self.background(m, buffer, r, c) == expected, "(\(r), \(c))")
      }
    }
    #expect(
      try Self.background(m, buffer, 0, 0) != Color(RGB(0, 0, 255)).downgraded(to: caps.color))
    let panel = try Self.inputPanel(m).panel
    #expect(panel.title == "Input x[0,:,:,:] RGB" && panel.note.hasSuffix("0…1 → 0…255"))
    #expect(buffer.lines.contains { $0.contains("Input x[0,:,:,:] RGB") })
  }

  @Test("p toggles the picture and one channel's values; the status and the title say which")
  func toggle() throws {
    var m = try Self.model(Self.rgbScenario())
    #expect(view(m).lines.last?.contains("picture") == true)
    send(&m, "p")
    #expect(m.display.picture == false && !PictureView.isOn(m))
    #expect(m.message?.text.hasPrefix("Input as one channel's values") == true)
    var buffer = view(m)
    #expect(buffer.lines.last?.contains("picture") == false)
    #expect(buffer.lines.contains { $0.contains("Input x[0,0,:,:]") })
    #expect(try Self.inputPanel(m).panel.grid.pixels == nil)
    // The per-channel view draws channel 0 (red: 0, 0.2, 0.6 across) in the palette.
    #expect(try Self.background(m, buffer, 1, 2) != Color(RGB(153, 51, 255)))
    send(&m, "p")
    #expect(m.display.picture == true && PictureView.isOn(m))
    buffer = view(m)
    #expect(try Self.background(m, buffer, 1, 2) == Color(RGB(153, 51, 255)))
    // A channel chosen with c is drawn alone, in its own colour.
    send(&m, "c", "c")
    buffer = view(m)
    #expect(try Self.background(m, buffer, 1, 2) == Color(RGB(0, 51, 0)))
    #expect(buffer.lines.contains { $0.contains("Input x[0,1,:,:] green") })
  }

  @Test("a grey picture is drawn in grey after p; below 256 colours p says why it cannot")
  func greyAndFewColours() throws {
    let grey = try Scenario(
      title: "grey", config: Conv2DConfig(inChannels: 1, filters: 1, kernel: Size2(1)),
      input: Tensor(shape: [1, 1, 2, 2], data: [0, 0.2, 0.6, 1]),
      weight: Tensor(shape: [1, 1, 1, 1], data: [1]), bias: Tensor(shape: [1]))
    var m = try Self.model(grey)
    #expect(!PictureView.isOn(m))
    send(&m, "p")
    let buffer = view(m)
    #expect(try Self.background(m, buffer, 1, 0) == Color(RGB(153, 153, 153)))
    #expect(try Self.background(m, buffer, 1, 1) == Color(RGB(255, 255, 255)))
    #expect(buffer.lines.contains { $0.contains("Input x[0,0,:,:] grey") })

    var eight = try Self.model(Self.rgbScenario(), caps: Capabilities(color: .ansi8, unicode: true))
    #expect(!PictureView.isOn(eight))
    send(&eight, "p")
    #expect(eight.display.picture == nil && eight.message?.kind == .warning)
  }

  @Test("z cycles the maps' zoom through update; the status names it; kernels keep numbers")
  func zoom() throws {
    var scenario = Scenario.firstLesson
    scenario.title = "zoom"
    var m = try Self.model(scenario)
    func resolutions() -> [GridPanel.Role: HeatGridResolution] {
      Dictionary(
        ScreenLayout(m).panels.map { ($0.panel.role, $0.layout.resolution) },
        uniquingKeysWith: { a, _ in a })
    }
    #expect(resolutions()[.input] == .numbers)
    send(&m, "z")
    #expect(m.display.zoom == .cells && m.message?.text == "Zoom: 1 cell per value")
    #expect(view(m).lines.last?.contains("zoom: 1 cell per value") == true)
    let input = try Self.inputPanel(m).layout
    #expect(input.resolution == .shades && input.cellWidth == 1 && input.cellHeight == 1)
    #expect(resolutions()[.kernel] == .numbers)
    send(&m, "z")
    #expect(m.display.zoom == .halfBlocks && resolutions()[.input] == .halfBlocks)
    #expect(resolutions()[.output] == .halfBlocks)
    send(&m, "z")
    #expect(m.display.zoom == .numbers && resolutions()[.input] == .numbers)
    send(&m, "z")
    #expect(m.display.zoom == nil && view(m).lines.last?.contains("zoom") == false)
  }

  @Test("a big map gets an overview with its viewport framed")
  func overviewOnScreen() throws {
    let scenario = try Self.photoScenario()
    let m = try Self.model(scenario, width: 120, height: 40)
    let placed = try Self.inputPanel(m)
    #expect(placed.layout.scrollsVertically)
    let area = placed.layout.gridRect
    let buffer = view(m)
    let white = Color(RGB.white)
    var corners = 0
    var framePixels = 0
    for y in area.y..<area.maxY {
      for x in area.x..<area.maxX {
        if buffer[x, y].glyph == "╭" { corners += 1 }
        if buffer[x, y].glyph == "▀", buffer[x, y].style.fg == white { framePixels += 1 }
      }
    }
    #expect(corners == 1 && framePixels >= 4)
    // The map itself fits: no overview.
    let small = try Self.model(Self.rgbScenario(), width: 80, height: 24)
    let smallArea = try Self.inputPanel(small).layout.gridRect
    let smallView = view(small)
    #expect(
      !(smallArea.y..<smallArea.maxY).contains { smallView.line($0).contains("╭") })
  }

  @Test("SVG export of the RGB photo carries the picture's colours in its half blocks")
  func svgExport() throws {
    let scenario = try Self.photoScenario()
    let m = try Self.model(scenario, width: 100, height: 32)
    let placed = try Self.inputPanel(m)
    #expect(placed.layout.resolution == .halfBlocks)
    let grid = try #require(SVGGrid.read(FrameExport.export(m, as: .svg)))
    let x = scenario.input
    let scale = PictureView.Scale(of: x.data)
    #expect(scale == .unit)
    func hex(_ r: Int, _ c: Int) throws -> String {
      // Padded (r, c) is pixel (r − 1, c − 1).
      let plane = 64 * 64
      let i = (r - 1) * 64 + (c - 1)
      let rgb = RGB(
        try #require(scale.level(x.data[i])), try #require(scale.level(x.data[i + plane])),
        try #require(scale.level(x.data[i + 2 * plane])))
      return rgb.hex
    }
    var checked = 0
    // Left of the overview (in the corner away from the window, bottom right).
    for r in stride(from: 4, to: 24, by: 2) {
      for c in [4, 8, 12] {
        guard let rect = placed.layout.screenRect(of: GridCell(row: r, col: c)) else { continue }
        let key = "\(rect.x),\(rect.y)"
        #expect(grid.glyph[key] == "▀")
        #expect(grid.foreground[key] == (try hex(r, c)), "upper half of \(key)")
        #expect(grid.background[key] == (try hex(r + 1, c)), "lower half of \(key)")
        checked += 1
      }
    }
    #expect(checked >= 10)
    // The HTML page holds the same drawing.
    let html = FrameExport.export(m, as: .html)
    let first = try #require(placed.layout.screenRect(of: GridCell(row: 4, col: 4)))
    #expect(html.contains("fill=\"\(try hex(4, 4))\"") && first.width == 1)
  }
}
