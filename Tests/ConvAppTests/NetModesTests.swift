import ConvCore
import ConvFormats
import TermUI
import Testing

@testable import ConvApp

// MARK: - Drawing a digit

@Suite("The net screen: drawing a digit")
struct NetCanvasTests {
  @Test("a painted pixel takes the ink, its four neighbours the edge ink; x rubs out, c clears")
  func painting() throws {
    var canvas = try #require(NetCanvas(inputShape: [1, 2, 5, 6], ink: 2))
    #expect(canvas.isBlank && canvas.row == 2 && canvas.column == 3)
    canvas.togglePen()
    #expect(canvas.penDown)
    #expect(canvas.value(2, 3) == 2)
    for (r, c) in [(1, 3), (3, 3), (2, 2), (2, 4)] { #expect(canvas.value(r, c) == 0.8) }
    #expect(canvas.value(1, 2) == 0, "diagonals stay blank")
    // Both channels alike, in [C, H, W] order.
    let t = canvas.tensor
    #expect(t.shape == [1, 2, 5, 6])
    #expect(t[n: 0, c: 1, h: 2, w: 3] == 2 && t[n: 0, c: 0, h: 2, w: 3] == 2)
    // A stroke: moving with the pen down paints; the edge ink never lowers a painted pixel.
    canvas.move(0, 1)
    #expect(canvas.value(2, 4) == 2 && canvas.value(2, 3) == 2)
    canvas.move(0, 9)
    #expect(canvas.column == 5 && canvas.value(2, 5) == 2, "the pen stops at the edge")
    canvas.togglePen()
    canvas.move(-1, 0)
    #expect(canvas.value(1, 5) == 0.8, "a lifted pen paints nothing new")
    canvas.erase(2, 4)
    #expect(canvas.value(2, 4) == 0 && !canvas.penDown)
    canvas.clear()
    #expect(canvas.isBlank)
    #expect(NetCanvas(inputShape: [1, 10], ink: 1) == nil, "a vector input is not a picture")
    #expect(NetCanvas(inputShape: [1, 1, 4, 4], ink: .nan)?.ink == 1)
  }

  @Test("d opens a blank canvas; every stroke is classified at once; Esc goes back to the image")
  func classifiesLive() throws {
    var model = try netModel()
    let image = model.activations
    updateNet(&model, .key(.character("d")))
    let canvas = try #require(model.canvas)
    #expect(canvas.isBlank && canvas.height == 8 && canvas.width == 8)
    #expect(model.activations == (try model.network.forward(canvas.tensor)))
    for key: Key in [.up, .up, .character(" "), .down, .down, .down, .down, .character(" ")] {
      updateNet(&model, .key(key))
    }
    let drawn = try #require(model.canvas)
    #expect(!drawn.isBlank && !drawn.penDown)
    #expect((2...6).allSatisfy { drawn.value($0, 4) == drawn.ink }, "a stroke down column 4")
    #expect(drawn.ink == model.test.x.data.max(), "the ink is the images' brightest value")
    #expect(model.activations == (try model.network.forward(drawn.tensor)))
    // Image keys do not move the test images while drawing; Tab moves the layer.
    updateNet(&model, .key(.pageDown))
    #expect(model.imageIndex == 0)
    updateNet(&model, .key(.tab))
    #expect(model.selectedLayer == 1)
    updateNet(&model, .key(.character("i")))
    #expect(model.canvas?.pixels == model.test.batch([0]).x.data, "i copies the image shown")
    updateNet(&model, .key(.character("c")))
    #expect(model.canvas?.isBlank == true)
    updateNet(&model, .key(.escape))
    #expect(model.canvas == nil && model.activations == image)
    #expect(!updateNet(&model, .key(.escape)), "Esc outside a mode does not quit")
  }

  @Test(
    "Enter while drawing opens the layer on the drawing, its gradient against the class predicted")
  func divesIntoDrawing() throws {
    var model = try netModel()
    updateNet(&model, .key(.character("d")))
    for key: Key in [.character(" "), .down, .down, .right, .character(" ")] {
      updateNet(&model, .key(key))
    }
    let canvas = try #require(model.canvas)
    updateNet(&model, .key(.enter))
    let dive = try #require(model.dive)
    #expect(dive.scenario.input == canvas.tensor, "the drawing is the block's input")
    #expect(dive.scenario.title.contains("your drawing (as \(model.predicted))"))
    let g = try model.network.lossAndGradients(x: canvas.tensor, targets: [model.predicted])
    let block = try NetDive.block(of: 0, in: model.network)
    guard case .tensor(let dy) = dive.scenario.gradient else {
      Issue.record("the dive's dy is a tensor")
      return
    }
    #expect(dy == g.activationGradients[block.layers.upperBound + 1])
  }

  @Test("the training view keeps its keys: d and c wait for the overview, the drawing stays")
  func trainingViewKeys() throws {
    var model = try netModel()
    updateNet(&model, .key(.character("d")))
    updateNet(&model, .key(.character("v")))
    #expect(model.dashboard.showsTraining && model.canvas != nil)
    let pen = model.canvas?.column
    updateNet(&model, .key(.right))
    #expect(model.canvas?.column == pen, "the arrows are the training view's")
    updateNet(&model, .key(.character("v")))
    updateNet(&model, .key(.right))
    #expect(model.canvas?.column == (pen ?? 0) + 1, "back on the overview the pen moves")
  }

  @Test("the left button paints the pixel under it, the right one rubs it out")
  func mouse() throws {
    var model = try netModel()
    updateNet(&model, .key(.character("d")))
    let grid = NetPainter.inputGrid(model)
    let at = (x: grid.x + 5 * grid.cellWidth, y: grid.y + 1)
    updateNet(&model, .mouse(MouseEvent(column: at.x, row: at.y, kind: .press(.left))))
    #expect(model.canvas?.value(1, 5) == model.canvas?.ink)
    #expect(model.canvas?.row == 1 && model.canvas?.column == 5)
    updateNet(&model, .mouse(MouseEvent(column: at.x, row: at.y, kind: .press(.right))))
    #expect(model.canvas?.value(1, 5) == 0)
    // Outside the canvas nothing happens.
    let before = model.canvas
    updateNet(&model, .mouse(MouseEvent(column: 70, row: 30, kind: .press(.left))))
    #expect(model.canvas == before)
    // The view draws the pen where the model has it, reversed.
    let buffer = netView(model)
    let pen = buffer[grid.x + 5 * grid.cellWidth, grid.y + 1]
    #expect(pen.style.attributes.contains(.reverse))
  }

  @Test(
    "the drawing screen names the mode and its keys at every size",
    arguments: [(80, 24), (120, 40), (160, 48)])
  func drawingScreen(width: Int, height: Int) throws {
    var model = try netModel(width: width, height: height)
    updateNet(&model, .key(.character("d")))
    let text = netView(model).lines.joined(separator: "\n")
    #expect(text.contains("your drawing"), "\(text)")
    #expect(text.contains("pen up") && text.contains("Esc"))
    #expect(text.contains("predicted \(model.predicted)"))
    #expect(!text.contains("true"), "a drawing has no true class:\n\(text)")
  }
}

// MARK: - Receptive fields

@Suite("The net screen: receptive fields")
struct ReceptiveFieldTests {
  /// Networks whose windows differ: stride, padding, dilation, pooling with padding.
  static let nets = [
    "input 1x8x8\nconv 8 3x3 pad 1\nrelu\nmaxpool 2\nconv 16 3x3 pad 1\nrelu\nmaxpool 2\nflatten\nlinear 10",
    "input 2x13x11\nconv 4 3x3 stride 2 pad 1\nrelu\nconv 3 3x3 dilation 2 pad 2\nmaxpool 3 stride 2 pad 1\nflatten\nlinear 3",
    "input 1x12x12\nconv 2 5x3 stride 2x1\nmaxpool 2\nconv 2 2x2\nflatten\nlinear 2",
  ]

  /// The input cells each output cell of `layer` depends on, by enumerating its window's taps
  /// one by one (the naive reference).
  static func taps(_ layer: NetLayer, out: (Int, Int), input: [Int]) -> Set<[Int]> {
    let (kernel, stride, padding, dilation): (Size2, Size2, Size2, Size2)
    switch layer.kind {
    case .conv2d(let c):
      (kernel, stride, padding, dilation) = (c.kernel, c.stride, c.padding, c.dilation)
    case .maxPool2d(let p): (kernel, stride, padding, dilation) = (p.kernel, p.stride, p.padding, 1)
    default: return [[out.0, out.1]]
    }
    var cells: Set<[Int]> = []
    for p in 0..<kernel.h {
      for q in 0..<kernel.w {
        let r = out.0 * stride.h - padding.h + p * dilation.h
        let c = out.1 * stride.w - padding.w + q * dilation.w
        if r >= 0, r < input[2], c >= 0, c < input[3] { cells.insert([r, c]) }
      }
    }
    return cells
  }

  @Test(
    "every map cell's field is the bounding box of the taps walked back layer by layer",
    arguments: nets)
  func againstTaps(text: String) throws {
    let file = try NetFile.parse(text, source: "test.net")
    let input = try #require(file.input)
    let network = try file.spec.initialized(input: [1] + input, seed: 1)
    let shapes = try network.shapes(input: [1] + input)
    for k in network.layers.indices where shapes[k + 1].count == 4 {
      for r in 0..<shapes[k + 1][2] {
        for c in 0..<shapes[k + 1][3] {
          let regions = try #require(
            ReceptiveField.regions(of: network, shapes: shapes, layer: k, row: r, column: c))
          #expect(regions.count == k + 2)
          var cells: Set<[Int]> = [[r, c]]
          for j in stride(from: k, through: 0, by: -1) {
            cells = Set(
              cells.flatMap { Self.taps(network.layers[j], out: ($0[0], $0[1]), input: shapes[j]) })
            let box =
              cells.isEmpty
              ? nil
              : FieldRegion(
                rows: cells.map { $0[0] }.min()!...cells.map { $0[0] }.max()!,
                columns: cells.map { $0[1] }.min()!...cells.map { $0[1] }.max()!)
            #expect(regions[j] == box, "layer \(k) cell (\(r), \(c)) in activation \(j)")
          }
        }
      }
    }
  }

  @Test("the span: 3x3 convs and 2×2 pools of the digits net see 3, 4, 8, 10 rows")
  func span() throws {
    let file = try NetFile.parse(Self.nets[0], source: "test.net")
    let network = try file.spec.initialized(input: [1, 1, 8, 8], seed: 1)
    #expect(ReceptiveField.span(of: network, layer: 0) == (3, 3))
    #expect(ReceptiveField.span(of: network, layer: 2) == (4, 4))
    #expect(ReceptiveField.span(of: network, layer: 3) == (8, 8))
    #expect(ReceptiveField.span(of: network, layer: 5) == (10, 10))
    #expect(
      ReceptiveField.regions(
        of: network, shapes: try network.shapes(input: [1, 1, 8, 8]), layer: 7, row: 0, column: 0)
        == nil, "a linear output has no map")
  }

  @Test("c focuses a cell; arrows, Tab and [ ] move it; the view marks the field and the cell")
  func focusing() throws {
    var model = try netModel(width: 160, height: 48)
    updateNet(&model, .key(.character("c")))
    #expect(model.focus == NetFocus(map: 0, row: 4, column: 4))
    updateNet(&model, .key(.up))
    updateNet(&model, .key(.tab))
    #expect(model.focus == NetFocus(map: 1, row: 3, column: 4))
    for _ in 0..<9 { updateNet(&model, .key(.left)) }
    #expect(model.focus?.column == 0, "clamped to the map")
    let field = try #require(model.field)
    #expect(field[0] == FieldRegion(rows: 2...4, columns: 0...1))
    // The view: the field's input pixels tinted, the cell reversed.
    let buffer = netView(model)
    let grid = NetPainter.inputGrid(model)
    let tinted = buffer[grid.x + 1 * grid.cellWidth, grid.y + 3].style
    let plain = buffer[grid.x + 5 * grid.cellWidth, grid.y + 6].style
    #expect(tinted.bg != plain.bg || tinted.attributes.contains(.underline))
    let text = buffer.lines.joined(separator: "\n")
    #expect(text.contains("cell (3, 0) of map 2: receptive field 3×3"), "\(text)")
    #expect(text.contains("rows 2–4, columns 0–1"))
    // ] moves to the next layer, keeping the cell; a layer without maps says why it cannot.
    updateNet(&model, .key(.character("]")))
    #expect(model.selectedLayer == 1 && model.focus == NetFocus(map: 1, row: 3, column: 0))
    for _ in 0..<5 { updateNet(&model, .key(.character("]"))) }
    #expect(model.selectedLayer == 6 && model.focus == nil)
    #expect(model.notice?.contains("whole input") == true)
    updateNet(&model, .key(.up))
    #expect(model.selectedLayer == 5, "without a focus the arrows move between layers again")
  }

  @Test("the focused cell's map is always drawn, even past those that fit")
  func focusedMapShown() throws {
    var model = try netModel(width: 80, height: 24)
    updateNet(&model, .key(.character("c")))
    for _ in 0..<7 { updateNet(&model, .key(.tab)) }
    #expect(model.focus?.map == 7)
    let buffer = netView(model)
    let text = buffer.lines.dropLast().joined(separator: "\n")
    #expect(text.contains("map 8"), "the column says which map it shows:\n\(text)")
    // The focused cell is drawn reversed somewhere in the first column.
    let reversed = (0..<buffer.height).flatMap { y in (0..<buffer.width).map { (x: $0, y: y) } }
      .filter { buffer[$0.x, $0.y].style.attributes.contains(.reverse) }
    #expect(!reversed.isEmpty, "the focused cell is on screen")
  }

  @Test("without colours the field is underlined")
  func monochrome() throws {
    var model = try netModel(capabilities: .plain)
    updateNet(&model, .key(.character("c")))
    let buffer = netView(model)
    let grid = NetPainter.inputGrid(model)
    #expect(buffer[grid.x + 4 * grid.cellWidth, grid.y + 4].style.attributes.contains(.underline))
    #expect(!buffer[grid.x, grid.y].style.attributes.contains(.underline))
  }
}

// MARK: - Large and colour images

@Suite("The net screen: tall maps and colour pictures")
struct NetLargeImageTests {
  /// A net on `channels`×`size`×`size` images (seeded noise), on a `width`×`height` screen.
  static func model(
    channels: Int, size: Int, width: Int, height: Int, capabilities: Capabilities = .full
  ) throws -> NetModel {
    let text =
      "input \(channels)x\(size)x\(size)\nconv 4 3x3 pad 1\nrelu\nmaxpool 2\nflatten\nlinear 3"
    let file = try NetFile.parse(text, source: "large.net")
    let shape = [1, channels, size, size]
    let network = try file.spec.initialized(input: shape, seed: 1)
    let x = Tensor.uniform(shape: [3, channels, size, size], in: 0...1, seed: 3)
    let test = try TrainingSet(x: x, labels: [0, 1, 2], classes: 3)
    var model = try NetModel(
      network: network, test: test, classNames: ["a", "b", "c"], layerTitles: file.texts,
      netName: "large", weightsFile: nil, seed: 1)
    updateNet(&model, .capabilities(capabilities))
    updateNet(&model, .resize(width: width, height: height))
    return model
  }

  @Test("a 28×28 image and its maps take two rows a line: whole at 80×24")
  func halved() throws {
    let model = try Self.model(channels: 1, size: 28, width: 80, height: 24)
    let buffer = netView(model)
    let grid = NetPainter.inputGrid(model)
    #expect(grid.rowsPerLine == 2 && grid.cellWidth == 1)
    let image = model.activations.values[0]
    let shader = Shader(capabilities: .full, range: image.maxAbs)
    // The last line of the image holds rows 26 and 27: upper half block, upper colour over lower.
    let cell = buffer[grid.x + 5, grid.y + 13]
    #expect(cell.glyph == "▀")
    #expect(cell.style.fg == shader.fillColor(image[n: 0, c: 0, h: 26, w: 5]))
    #expect(cell.style.bg == shader.fillColor(image[n: 0, c: 0, h: 27, w: 5]))
    let text = buffer.lines.joined(separator: "\n")
    #expect(text.contains("image 1/3"), "the caption under the whole image:\n\(text)")
    // The first conv column shows a whole 28×28 map (14 lines) rather than none.
    #expect(!text.contains("+4 more"), "\(text)")
  }

  @Test("without colours two rows are shaded by their mean")
  func halvedPlain() throws {
    let model = try Self.model(channels: 1, size: 28, width: 80, height: 24, capabilities: .plain)
    let buffer = netView(model)
    let grid = NetPainter.inputGrid(model)
    let image = model.activations.values[0]
    let shader = Shader(capabilities: .plain, range: image.maxAbs)
    let mean = (image[n: 0, c: 0, h: 0, w: 3] + image[n: 0, c: 0, h: 1, w: 3]) / 2
    #expect(buffer[grid.x + 3, grid.y].glyph == shader.shade(mean).glyph)
  }

  @Test("three channels are one colour picture with 256 colours, three grey maps without")
  func colourPicture() throws {
    let model = try Self.model(channels: 3, size: 12, width: 120, height: 40)
    let buffer = netView(model)
    let image = model.activations.values[0]
    let top = image.data.max() ?? 1
    let grid = NetPainter.inputGrid(model)
    let (x, y) = (grid.x + 2 * grid.cellWidth - 2, grid.y)
    let rgb = (0..<3).map { UInt8(max(0, min(1, image[n: 0, c: $0, h: 0, w: 2] / top)) * 255) }
    #expect(buffer[x + 2, y].glyph == "▀")
    #expect(
      buffer[x + 2, y].style.fg == Color(RGB(rgb[0], rgb[1], rgb[2])).downgraded(to: .truecolor))
    #expect(buffer.lines.joined(separator: "\n").contains("image 1/3"))
    let plain = try Self.model(
      channels: 3, size: 12, width: 120, height: 40, capabilities: .plain)
    #expect(netView(plain)[x, y].glyph != "▀", "glyph shades, channel by channel")
  }
}

// MARK: - Clicking on the overview

@Suite("The net screen: clicking a cell or a layer")
struct NetClickTests {
  static func click(_ model: inout NetModel, _ x: Int, _ y: Int) {
    updateNet(&model, .mouse(MouseEvent(column: x, row: y, kind: .press(.left))))
  }

  /// Every position the hit test calls a map's cell, at three sizes and on a tall net: a click
  /// there focuses that cell of that layer, and the view then draws the focus right there.
  @Test(
    "a click on any map cell focuses that very cell: the view draws the focus under the pointer",
    arguments: [(80, 24, 8), (120, 40, 8), (160, 48, 8), (120, 40, 28)])
  func everyCell(width: Int, height: Int, size: Int) throws {
    let start =
      size == 8
      ? try netModel(width: width, height: height)
      : try NetLargeImageTests.model(channels: 1, size: size, width: width, height: height)
    let painter = NetPainter(model: start, theme: .standard(for: start.capabilities))
    var cells = 0
    var layers = Set<Int>()
    for y in 0..<height {
      for x in 0..<width {
        guard case .cell(let layer, let map, let row, let column) = painter.hit(x: x, y: y)
        else { continue }
        cells += 1
        layers.insert(layer)
        // A sample is enough to keep the test quick: every 13th cell, and the first.
        guard cells % 13 == 1 else { continue }
        var model = start
        Self.click(&model, x, y)
        #expect(model.selectedLayer == layer)
        #expect(model.focus == NetFocus(map: map, row: row, column: column))
        let cell = netView(model)[x, y]
        #expect(
          cell.style.attributes.contains(.reverse),
          "no focus drawn at (\(x), \(y)) \(width)×\(height)")
      }
    }
    #expect(cells > 100, "the maps are on the screen")
    #expect(layers.count >= 2, "several layers' maps are clickable: \(layers)")
  }

  @Test("a click on a column selects its layer; outside the columns, nothing changes")
  func layers() throws {
    var model = try netModel(width: 120, height: 40)
    let buffer = netView(model)
    let header = try #require(buffer.lines.firstIndex { $0.contains("7 flat") })
    let x = try #require(buffer.lines[header].range(of: "7 flat")).lowerBound
    let column = buffer.lines[header].distance(from: buffer.lines[header].startIndex, to: x)
    Self.click(&model, column, header)
    #expect(model.selectedLayer == 6 && model.focus == nil)
    // With a focus, a new layer keeps it where it can: flatten has no maps, so it goes.
    updateNet(&model, .key(.character("k")))
    updateNet(&model, .key(.character("c")))
    #expect(model.focus != nil)
    Self.click(&model, column, header)
    #expect(model.focus == nil && model.notice?.contains("receptive fields are for") == true)
    let before = model
    Self.click(&model, 0, 0)
    Self.click(&model, 3, 10)
    #expect(model.selectedLayer == before.selectedLayer && model.focus == before.focus)
    // A release or the right button does nothing; nor does a click on the training view or
    // under the keys' box. (Layer 4's column header, from the same screen.)
    let conv = try #require(buffer.lines[header].range(of: "4 conv")).lowerBound
    let x4 = buffer.lines[header].distance(from: buffer.lines[header].startIndex, to: conv)
    updateNet(&model, .mouse(MouseEvent(column: x4, row: header, kind: .release(.left))))
    updateNet(&model, .mouse(MouseEvent(column: x4, row: header, kind: .press(.right))))
    #expect(model.selectedLayer == 6)
    Self.click(&model, x4, header)
    #expect(model.selectedLayer == 3, "the same place, clicked, selects layer 4")
    updateNet(&model, .key(.character("?")))
    Self.click(&model, column, header)
    #expect(model.selectedLayer == 3 && model.showsHelp)
    updateNet(&model, .key(.character(" ")))
    updateNet(&model, .key(.character("v")))
    Self.click(&model, column, header)
    #expect(model.selectedLayer == 3 && model.dashboard.showsTraining)
  }
}

// MARK: - The training view of colour and tall images

@Suite("The net screen: the training view of colour and tall images")
struct NetDashboardPictureTests {
  /// Where `marker` is on the screen: its column and line.
  static func find(_ marker: String, in buffer: CellBuffer) throws -> (x: Int, y: Int) {
    let y = try #require(buffer.lines.firstIndex { $0.contains(marker) }, "no \(marker)")
    let line = buffer.lines[y]
    let offset = try #require(line.range(of: marker)).lowerBound
    return (line.distance(from: line.startIndex, to: offset), y)
  }

  @Test("on RGB the kernels and the test strip are colour pictures; without colours, channel 1")
  func colour() throws {
    var model = try NetLargeImageTests.model(channels: 3, size: 12, width: 120, height: 40)
    updateNet(&model, .key(.character("v")))
    let buffer = netView(model)
    #expect(buffer.plainText.contains("layer 1 kernels (RGB, grey is 0)"), "\(buffer.plainText)")
    // Kernel 1's tap (0, 0): each channel's weight as its colour's intensity, grey at 0.
    let w = try #require(model.network.layers[0].weight)
    let title = try Self.find("layer 1 kernels", in: buffer)
    let rgb = (0..<3).map { ch in
      UInt8(max(0, min(1, 0.5 + 0.5 * w[n: 0, c: ch, h: 0, w: 0] / w.maxAbs)) * 255)
    }
    #expect(
      buffer[title.x, title.y + 2].style.bg
        == Color(RGB(rgb[0], rgb[1], rgb[2])).downgraded(to: .truecolor))
    // The strip: the first test image as a picture, two rows a line, under its title.
    let strip = try Self.find("test images 1–", in: buffer)
    let image = model.test.x.samples([0])
    let top = image.data.max() ?? 1
    let first = (0..<3).map { UInt8(max(0, min(1, image[n: 0, c: $0, h: 0, w: 0] / top)) * 255) }
    let cell = buffer[strip.x, strip.y + 1]
    #expect(cell.glyph == "▀")
    #expect(cell.style.fg == Color(RGB(first[0], first[1], first[2])).downgraded(to: .truecolor))
    var plain = try NetLargeImageTests.model(
      channels: 3, size: 12, width: 120, height: 40, capabilities: .plain)
    updateNet(&plain, .key(.character("v")))
    let text = netView(plain).plainText
    #expect(text.contains("layer 1 kernels (channel 1 of 3)"), "\(text)")
  }

  @Test("tall grey test images take two rows a line in the strip")
  func tallStrip() throws {
    var model = try NetLargeImageTests.model(channels: 1, size: 28, width: 160, height: 48)
    updateNet(&model, .key(.character("v")))
    let buffer = netView(model)
    let strip = try Self.find("test images 1–", in: buffer)
    let image = model.test.x.samples([0])
    let shader = Shader(capabilities: .full, range: image.maxAbs)
    let cell = buffer[strip.x + 3, strip.y + 1 + 13]
    #expect(cell.glyph == "▀", "\(buffer.plainText)")
    #expect(cell.style.fg == shader.fillColor(image[n: 0, c: 0, h: 26, w: 3]))
    #expect(cell.style.bg == shader.fillColor(image[n: 0, c: 0, h: 27, w: 3]))
  }
}

// MARK: - The keys

@Suite("The net screen: the keys (?)")
struct NetHelpTests {
  @Test("? shows every section of keys in a box; any key closes it without acting; Ctrl-C quits")
  func overlay() throws {
    for (w, h) in [(80, 24), (120, 40), (160, 48)] {
      var model = try netModel(width: w, height: h)
      updateNet(&model, .key(.character("?")))
      let text = netView(model).lines.joined(separator: "\n")
      for title in ["convscope net · keys", "Images and layers", "Draw a digit", "Receptive field"]
      {
        #expect(text.contains(title), "no \(title) at \(w)×\(h):\n\(text)")
      }
      #expect(!text.contains("Space train/pause"), "an untrainable screen lists no training")
      if h == 24 {
        for _ in 0..<30 { updateNet(&model, .key(.down)) }
        let scrolled = netView(model).lines.joined(separator: "\n")
        #expect(model.showsHelp && model.helpScroll > 0, "↓ scrolls a box taller than the screen")
        #expect(scrolled.contains("quit"), "quit at the end")
        #expect(scrolled.contains("more ↑"), "more above")
        updateNet(&model, .key(.up))
        #expect(model.helpScroll > 0, "↑ from the end comes back at once")
      }
      updateNet(&model, .key(.right))
      #expect(!model.showsHelp && model.imageIndex == 0, "→ only closed the box")
      updateNet(&model, .key(.character("?")))
      #expect(updateNet(&model, .key(.ctrl("c"))), "Ctrl-C quits even with the box open")
    }
    var trainable = try NetModel(
      network: try netModel().network, test: try netModel().test,
      classNames: (0..<10).map(String.init), layerTitles: try netModel().layerTitles,
      netName: "digits", weightsFile: nil, seed: 1, trainable: true)
    updateNet(&trainable, .capabilities(.full))
    updateNet(&trainable, .resize(width: 160, height: 48))
    updateNet(&trainable, .key(.character("?")))
    let text = netView(trainable).lines.joined(separator: "\n")
    #expect(
      text.contains("Training") && text.contains("save the weights to weights.npz"), "\(text)")
  }
}

// MARK: - The status line while training

@Suite("The net screen: the status line's test accuracy")
struct NetStatusTestAccuracyTests {
  @Test("the newest test (four an epoch) is on the status line before the first epoch ends")
  func newest() throws {
    var model = try netModel(width: 160, height: 48)
    var report = fabricatedReport(model, steps: 12, busy: false)
    report.testAccuracy = nil  // no epoch has ended
    let newest = try #require(report.history.lastTest?.accuracy)
    updateNet(&model, .trained(report))
    let status = netView(model).lines.last ?? ""
    #expect(status.contains(String(format: "test acc %.1f%%", 100 * newest)), "\(status)")
    // Before any test since training began, it says one is coming.
    var early = fabricatedReport(model, steps: 1, busy: false)
    early.testAccuracy = nil
    early.history = NetHistory()
    updateNet(&model, .trained(early))
    #expect((netView(model).lines.last ?? "").contains("test acc soon"))
  }
}
