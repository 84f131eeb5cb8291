import Foundation
import Testing

@testable import TermUI

// MARK: - Gallery

/// Demo frames used by snapshot tests and, with `TERMUI_GALLERY_DIR` set, written as ANSI files
/// to look at in a real terminal (`cat dir/*.ans`).
enum Gallery {
  static func inputModel(mode: HeatGridMode = .auto, palette: Palette = .redBlue) -> HeatGridModel {
    SampleScreens.inputModel(mode: mode, palette: palette)
  }
  static func kernelModel(mode: HeatGridMode = .auto) -> HeatGridModel {
    SampleScreens.kernelModel(mode: mode)
  }
  static func outputModel(mode: HeatGridMode = .auto) -> HeatGridModel {
    SampleScreens.outputModel(mode: mode)
  }
  static func largeModel(mode: HeatGridMode = .auto) -> HeatGridModel {
    SampleScreens.largeModel(mode: mode)
  }

  /// A frame of several grids side by side.
  static func gridsFrame(width: Int, height: Int, caps: Capabilities, mode: HeatGridMode = .auto)
    -> CellBuffer
  {
    var buffer = CellBuffer(width: width, height: height)
    let cols = buffer.area.columns([.fill(3), .fill(2), .fill(2)], gap: 1)
    for (i, model) in [inputModel(mode: mode), kernelModel(mode: mode), outputModel(mode: mode)]
      .enumerated()
    {
      HeatGrid(model: model, capabilities: caps).render(into: &buffer, area: cols[i])
    }
    return buffer
  }

  static let allCapabilities: [(String, Capabilities)] = [
    ("truecolor", .full),
    ("256", Capabilities(color: .ansi256, unicode: true)),
    ("8", Capabilities(color: .ansi8, unicode: true)),
    ("mono-unicode", Capabilities(color: .none, unicode: true)),
    ("8-ascii", Capabilities(color: .ansi8, unicode: false)),
    ("ascii", .plain),
  ]
}

@Suite("Gallery")
struct GalleryTests {
  /// Writes ANSI previews when `TERMUI_GALLERY_DIR` is set (nothing to assert otherwise).
  @Test func writePreviews() throws {
    guard let dir = ProcessInfo.processInfo.environment["TERMUI_GALLERY_DIR"] else { return }
    for (name, caps) in Gallery.allCapabilities {
      var b = CellBuffer(width: 100, height: 3 * 14)
      for (i, p) in Palette.allCases.enumerated() {
        let area = Rect(x: 0, y: i * 14, width: 100, height: 14)
        let rows = area.rows([.fixed(2), .fill(1)])
        Legend(palette: p, range: 1, title: p.name, capabilities: caps).render(
          into: &b, area: rows[0])
        let cols = rows[1].columns([.fill(1), .fill(1)])
        HeatGrid(model: Gallery.inputModel(mode: .shades, palette: p), capabilities: caps)
          .render(into: &b, area: cols[0])
        HeatGrid(model: Gallery.inputModel(mode: .both, palette: p), capabilities: caps)
          .render(into: &b, area: cols[1])
      }
      try (b.ansiText(capabilities: caps) + "\n").write(
        toFile: "\(dir)/palettes-\(name).ans", atomically: true, encoding: .utf8)
    }
    for (name, caps) in Gallery.allCapabilities {
      for mode in HeatGridMode.allCases {
        for (w, h) in [(80, 12), (120, 20), (200, 40)] {
          let b = Gallery.gridsFrame(width: w, height: h, caps: caps, mode: mode)
          let text = "== \(name) \(mode) \(w)x\(h)\n" + b.ansiText(capabilities: caps) + "\n"
          try text.write(
            toFile: "\(dir)/grids-\(name)-\(mode)-\(w)x\(h).ans", atomically: true, encoding: .utf8)
        }
      }
      for (w, h) in [(40, 12), (80, 24), (140, 40)] {
        var b = CellBuffer(width: w, height: h)
        HeatGrid(model: Gallery.largeModel(), capabilities: caps).render(into: &b, area: b.area)
        try (b.ansiText(capabilities: caps) + "\n").write(
          toFile: "\(dir)/large-\(name)-\(w)x\(h).ans", atomically: true, encoding: .utf8)
      }
    }
  }
}

extension Gallery {
  static let helpSections = SampleScreens.helpSections
  static func formula() -> Formula { SampleScreens.formula() }
  static func dashboard(width: Int, height: Int, caps: Capabilities, help: Bool = false)
    -> CellBuffer
  {
    SampleScreens.dashboard(width: width, height: height, capabilities: caps, help: help)
  }
}

extension GalleryTests {
  @Test func writeDashboards() throws {
    guard let dir = ProcessInfo.processInfo.environment["TERMUI_GALLERY_DIR"] else { return }
    for (name, caps) in Gallery.allCapabilities {
      for (w, h) in [(80, 24), (120, 36), (200, 60)] {
        for help in [false, true] {
          let b = Gallery.dashboard(width: w, height: h, caps: caps, help: help)
          let base = "\(dir)/dash-\(name)-\(w)x\(h)\(help ? "-help" : "")"
          try (b.ansiText(capabilities: caps) + "\n").write(
            toFile: base + ".ans", atomically: true, encoding: .utf8)
          try b.svg(capabilities: caps).write(
            toFile: base + ".svg", atomically: true, encoding: .utf8)
        }
      }
    }
  }
}
