import Foundation
import TermUI

// MARK: - Gallery

/// Demo frames built from ``SampleScreens``: the snapshot tests draw them, and `GalleryTests`
/// renders every one of them in every capability level (`scripts/gallery.sh` writes them as ANSI
/// and SVG files to look at in a real terminal or a browser).
public enum Gallery {
  /// ``SampleScreens/inputModel(mode:palette:)``.
  public static func inputModel(mode: HeatGridMode = .auto, palette: Palette = .redBlue)
    -> HeatGridModel
  {
    SampleScreens.inputModel(mode: mode, palette: palette)
  }
  /// ``SampleScreens/kernelModel(mode:)``.
  public static func kernelModel(mode: HeatGridMode = .auto) -> HeatGridModel {
    SampleScreens.kernelModel(mode: mode)
  }
  /// ``SampleScreens/outputModel(mode:)``.
  public static func outputModel(mode: HeatGridMode = .auto) -> HeatGridModel {
    SampleScreens.outputModel(mode: mode)
  }
  /// ``SampleScreens/largeModel(mode:)``.
  public static func largeModel(mode: HeatGridMode = .auto) -> HeatGridModel {
    SampleScreens.largeModel(mode: mode)
  }
  /// A 40×64 picture (red down, green across, blue constant) over values of the same shape,
  /// with a window and the overview on.
  public static func pictureModel() -> HeatGridModel {
    var m = HeatGridModel(rows: 40, cols: 64, range: 1) { r, c in Float(r + c) / 104 }
    m.pixels = { r, c in RGB(UInt8(r * 6), UInt8(c * 4), 160) }
    m.window = GridRegion(row: 20, col: 30, rows: 3, cols: 3)
    m.showsOverview = true
    return m
  }
  /// ``SampleScreens/helpSections``.
  public static let helpSections = SampleScreens.helpSections
  /// ``SampleScreens/formula()``.
  public static func formula() -> Formula { SampleScreens.formula() }
  /// ``SampleScreens/dashboard(width:height:capabilities:help:)``.
  public static func dashboard(width: Int, height: Int, caps: Capabilities, help: Bool = false)
    -> CellBuffer
  {
    SampleScreens.dashboard(width: width, height: height, capabilities: caps, help: help)
  }

  /// A frame of several grids side by side.
  public static func gridsFrame(
    width: Int, height: Int, caps: Capabilities, mode: HeatGridMode = .auto
  ) -> CellBuffer {
    var buffer = CellBuffer(width: width, height: height)
    let cols = buffer.area.columns([.fill(3), .fill(2), .fill(2)], gap: 1)
    for (i, model) in [inputModel(mode: mode), kernelModel(mode: mode), outputModel(mode: mode)]
      .enumerated()
    {
      HeatGrid(model: model, capabilities: caps).render(into: &buffer, area: cols[i])
    }
    return buffer
  }

  /// Every palette with its legend, as shades and as numbers.
  public static func palettesFrame(caps: Capabilities) -> CellBuffer {
    var b = CellBuffer(width: 100, height: 3 * 14)
    for (i, p) in Palette.allCases.enumerated() {
      let area = Rect(x: 0, y: i * 14, width: 100, height: 14)
      let rows = area.rows([.fixed(2), .fill(1)])
      Legend(palette: p, range: 1, title: p.name, capabilities: caps).render(
        into: &b, area: rows[0])
      let cols = rows[1].columns([.fill(1), .fill(1)])
      HeatGrid(model: inputModel(mode: .shades, palette: p), capabilities: caps)
        .render(into: &b, area: cols[0])
      HeatGrid(model: inputModel(mode: .both, palette: p), capabilities: caps)
        .render(into: &b, area: cols[1])
    }
    return b
  }

  /// Two curves (a falling one each step, a dashed one at every tenth) on a ``LinePlot``.
  public static func plotFrame(caps: Capabilities, width: Int = 60, height: Int = 14)
    -> CellBuffer
  {
    var b = CellBuffer(width: width, height: height)
    let theme = Theme.standard(for: caps)
    let xs = (1...200).map(Double.init)
    let tests = stride(from: 0.0, through: 200, by: 10).map { $0 }
    LinePlot(
      series: [
        PlotSeries(
          "train", xs: xs, ys: xs.map { 2.3 / (1 + $0 / 20) + 0.1 * sin($0) }, style: theme.info,
          asciiMark: "."),
        PlotSeries(
          "test", xs: tests, ys: tests.map { 2.3 / (1 + $0 / 25) }, style: theme.accent,
          dashed: true, asciiMark: "o"),
      ], yRange: 0...2.5, title: "loss", xTitle: "steps", capabilities: caps, theme: theme
    ).render(into: &b, area: b.area)
    return b
  }

  /// The capability levels the gallery draws, with their file-name parts.
  public static let allCapabilities: [(String, Capabilities)] = [
    ("truecolor", .full),
    ("256", Capabilities(color: .ansi256, unicode: true)),
    ("8", Capabilities(color: .ansi8, unicode: true)),
    ("mono-unicode", Capabilities(color: .none, unicode: true)),
    ("8-ascii", Capabilities(color: .ansi8, unicode: false)),
    ("ascii", .plain),
  ]

  /// One gallery frame.
  public struct Frame {
    /// The file name, without extension.
    public var name: String
    /// A first line written before the frame (empty for none).
    public var header: String
    /// The frame.
    public var buffer: CellBuffer
    /// The capabilities it was drawn for.
    public var capabilities: Capabilities
    /// Whether an SVG is written beside the ANSI file.
    public var svg: Bool
  }

  /// Every frame of the gallery: palettes, grids side by side in every mode and size, a large
  /// map with its overview, a picture, and the whole dashboard with and without help, in every
  /// capability level.
  public static func frames() -> [Frame] {
    var out: [Frame] = []
    for (name, caps) in allCapabilities {
      out.append(
        Frame(
          name: "palettes-\(name)", header: "", buffer: palettesFrame(caps: caps),
          capabilities: caps, svg: false))
    }
    for (name, caps) in allCapabilities {
      for mode in HeatGridMode.allCases {
        for (w, h) in [(80, 12), (120, 20), (200, 40)] {
          out.append(
            Frame(
              name: "grids-\(name)-\(mode)-\(w)x\(h)", header: "== \(name) \(mode) \(w)x\(h)",
              buffer: gridsFrame(width: w, height: h, caps: caps, mode: mode),
              capabilities: caps, svg: false))
        }
      }
      for (w, h) in [(40, 12), (80, 24), (140, 40)] {
        var b = CellBuffer(width: w, height: h)
        var large = largeModel()
        large.showsOverview = true
        HeatGrid(model: large, capabilities: caps).render(into: &b, area: b.area)
        out.append(
          Frame(
            name: "large-\(name)-\(w)x\(h)", header: "", buffer: b, capabilities: caps, svg: false))
        var p = CellBuffer(width: w, height: h)
        HeatGrid(model: pictureModel(), capabilities: caps).render(into: &p, area: p.area)
        out.append(
          Frame(
            name: "picture-\(name)-\(w)x\(h)", header: "", buffer: p, capabilities: caps,
            svg: true))
      }
    }
    for (name, caps) in allCapabilities {
      out.append(
        Frame(
          name: "plot-\(name)", header: "", buffer: plotFrame(caps: caps), capabilities: caps,
          svg: false))
    }
    for (name, caps) in allCapabilities {
      for (w, h) in [(80, 24), (120, 36), (200, 60)] {
        for help in [false, true] {
          out.append(
            Frame(
              name: "dash-\(name)-\(w)x\(h)\(help ? "-help" : "")", header: "",
              buffer: dashboard(width: w, height: h, caps: caps, help: help), capabilities: caps,
              svg: true))
        }
      }
    }
    return out
  }
}
