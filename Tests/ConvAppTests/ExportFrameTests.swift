import ConvCore
import ConvLessons
import ConvStepper
import Foundation
import TermUI
import TestSupport
import Testing

@testable import ConvApp

// MARK: - FrameExport and ExportFormat

@Suite("Export: formats, frames, walks and file names")
struct ExportFrameTests {
  /// The first lesson in `phase` at window step `step`, 80×24, 256 colours.
  private func lesson(
    step: Int = 1, phase: Phase = .forward, unicode: Bool = true
  ) throws -> Model {
    var scenario = Scenario.firstLesson
    scenario.startPhase = phase
    scenario.startStep = step - 1
    return try Model(
      scenario: scenario, capabilities: Capabilities(color: .ansi256, unicode: unicode),
      width: 80, height: 24)
  }

  // MARK: Formats

  @Test("formats from file names, extensions and default colours")
  func formats() {
    let names: [(String, ExportFormat?)] = [
      ("a.svg", .svg), ("A.SVG", .svg), ("page.html", .html), ("page.htm", .html),
      ("f.txt", .txt), ("f.ans", .ansi), ("f.ansi", .ansi), ("walk.cast", .asciicast),
      ("dir.svg/file", nil), ("noextension", nil), ("picture.png", nil), ("", nil),
    ]
    for (name, format) in names {
      #expect(ExportFormat(fileName: name) == format, "\(name)")
    }
    for format in ExportFormat.allCases {
      #expect(ExportFormat(fileName: "x." + format.fileExtension) == format)
      #expect(format.isRecording == !ExportFormat.frameFormats.contains(format))
    }
    #expect(ExportFormat.txt.capabilities(color: .truecolor).color == .none)
    #expect(ExportFormat.svg.capabilities() == Capabilities(color: .truecolor, unicode: true))
    #expect(
      ExportFormat.ansi.capabilities(color: .ansi8, unicode: false)
        == .init(
          color: .ansi8, unicode: false))
    #expect(ExportFormat.asciicast.defaultColor == .truecolor)
  }

  // MARK: Names and titles

  @Test("file names sort in step order")
  func fileNames() throws {
    #expect(
      FrameExport.stepFileName(phase: .forward, step: 7, stepCount: 49, format: .svg)
        == "forward-step-07.svg")
    #expect(
      FrameExport.stepFileName(phase: .forward, step: 12, stepCount: 100, format: .asciicast)
        == "forward-step-012.cast")
    #expect(
      FrameExport.stepFileName(phase: .poolBackward, step: 3, stepCount: 9, format: .txt)
        == "pool-backward-step-3.txt")
    #expect(
      FrameExport.stepFileName(phase: .update, step: -1, stepCount: 0, format: .ansi)
        == "update-step-0.ans")
    #expect(
      FrameExport.fileName(for: try lesson(step: 17), format: .svg)
        == "convscope-forward-step-17.svg")
  }

  @Test("step, step count and title follow the model")
  func titles() throws {
    let m = try lesson(step: 17)
    #expect(FrameExport.step(of: m) == 17 && FrameExport.stepCount(of: m) == 49)
    #expect(
      FrameExport.title(of: m)
        == "convscope · \(m.scenario.title) · forward, step 17 of 49")
    var before = m
    before.seek(unit: -1)
    #expect(FrameExport.step(of: before) == 0)
    let back = try lesson(step: 3, phase: .backward)
    #expect(FrameExport.title(of: back).hasSuffix("backward, step 3 of 49"))
  }

  // MARK: Frames

  @Test("each format holds the frame the model shows")
  func exportedFrames() throws {
    let m = try lesson(step: 17)
    let caps = Capabilities(color: .truecolor, unicode: true)
    let frame = view(m, caps: caps)
    #expect(FrameExport.frame(of: m, capabilities: caps) == frame)
    #expect(
      FrameExport.export(m, as: .txt) == view(m, caps: .init(color: .none, unicode: true))
        .plainText + "\n")
    #expect(FrameExport.export(m, as: .ansi) == frame.ansiText(capabilities: caps) + "\n")
    let svg = FrameExport.export(m, as: .svg)
    #expect(
      svg == frame.svg(capabilities: caps, options: SVGOptions(title: FrameExport.title(of: m))))
    #expect(svg == FrameExport.export(m, as: .svg), "the same frame gives the same file")
    #expect(FrameExport.export(m, as: .html, title: "T").contains("<title>T</title>"))
    let c256 = FrameExport.export(m, as: .ansi, color: .ansi256)
    #expect(c256.contains("38;5;") && !c256.contains("38;2;"))
    let cast = FrameExport.export(m, as: .asciicast)
    let lines = cast.split(separator: "\n")
    #expect(lines.count == 3)
    let header = try JSONDecoder().decode(CastHeader.self, from: Data(lines[0].utf8))
    #expect(header.version == 2 && header.width == 80 && header.height == 24)
    #expect(header.timestamp == nil && header.title == FrameExport.title(of: m))
  }

  @Test("an ASCII model exports no block or box-drawing glyphs")
  func asciiOnly() throws {
    let text = FrameExport.export(try lesson(step: 5, unicode: false), as: .txt)
    #expect(!text.unicodeScalars.contains { (0x2500...0x259F).contains($0.value) })
    let unicode = FrameExport.export(try lesson(step: 5), as: .txt)
    #expect(unicode.unicodeScalars.contains { (0x2500...0x259F).contains($0.value) })
  }

  // MARK: Walking

  @Test("a walk visits the steps in order and draws what a model started there draws")
  func walk() throws {
    let start = try lesson(step: 30)
    let caps = Capabilities(color: .truecolor, unicode: true)
    var visited: [Int] = []
    var frames: [Int: CellBuffer] = [:]
    FrameExport.walk(start, steps: 1...49, capabilities: caps) { step, model, frame in
      visited.append(step)
      #expect(FrameExport.step(of: model) == step)
      if [1, 2, 17, 48, 49].contains(step) { frames[step] = frame }
    }
    #expect(visited == Array(1...49))
    for (step, frame) in frames {
      #expect(frame == view(try lesson(step: step), caps: caps), "step \(step)")
    }
  }

  @Test("a walk clamps its steps to the phase")
  func walkClamps() throws {
    let m = try lesson(step: 1, phase: .update)
    var visited: [Int] = []
    FrameExport.walk(m, steps: -5...60, capabilities: .plain) { step, _, _ in visited.append(step) }
    #expect(visited == Array(1...FrameExport.stepCount(of: m)))
    visited = []
    FrameExport.walk(m, steps: 50...60, capabilities: .plain) { step, _, _ in visited.append(step) }
    #expect(visited.isEmpty)
  }
}

// MARK: - The window in every colour level

@Suite("Export: the window shows at every colour level")
struct ExportWindowTests {
  /// `convscope export --format svg --color <level>` of the first lesson at step 17 and of the
  /// article: the window shows without a tint too, as underlines drawn in the SVG.
  @Test(arguments: [Capabilities.ColorLevel.none, .ansi8])
  func windowIsUnderlinedWithoutTint(level: Capabilities.ColorLevel) throws {
    var first = Scenario.firstLesson
    first.startStep = 16
    let scenarios = [("first lesson", first), ("article", try Scenario.article())]
    for (name, scenario) in scenarios {
      let m = try Model(
        scenario: scenario, capabilities: Capabilities(color: level, unicode: true), width: 120,
        height: 40)
      let svg = FrameExport.export(m, as: .svg, color: level)
      let grid = try #require(SVGGrid.read(svg))
      // The input's window spans several rows of underlined cells.
      let rows = Set(grid.underlined.compactMap { $0.split(separator: ",").last.map(String.init) })
      #expect(rows.count >= 3, "\(name) at \(level): underlined rows \(rows.sorted())")
    }
  }
}
