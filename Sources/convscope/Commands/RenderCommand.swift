import ArgumentParser
import ConvApp
import ConvCore
import ConvDebug
import TermUI

// MARK: - RenderCommand

/// `convscope render`: one frame of the viewer, printed without a terminal.
struct RenderCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Print one frame of the viewer to standard output (no terminal needed).",
    discussion: """
      Takes the same layer flags as the viewer. Plain text by default; --color 8|256|truecolor \
      adds ANSI colours (auto: colours only when NO_COLOR is unset and TERM allows). \
      A layer may hold at most 2^24 values in its input, its weights and its output and take \
      2^30 multiply–adds a pass (README, "Limits on work"); a larger one is refused at once.
      """)

  @OptionGroup var source: LayerSource
  @OptionGroup var display: DisplayFlags
  @OptionGroup var check: CheckFlags

  @Option(help: "Frame size WxH.") var size = FrameSize(width: 120, height: 40)

  func run() throws {
    // A frame for a file or a pipe: colour only when asked for, Unicode unless --ascii.
    let caps = Capabilities(
      color: display.color == .auto ? .none : display.capabilities().color,
      unicode: !display.ascii)
    let buffer = try reportingUserErrors { () throws -> CellBuffer in
      if let model = try display.transposedModel(
        source, capabilities: caps, width: size.width, height: size.height,
        checking: try check.load(layout: .nchw) != nil)
      {
        return view(model)
      }
      let built = try source.build()
      var scenario = built.scenario
      try display.apply(to: &scenario)
      let model = try Model(
        scenario: scenario, capabilities: caps, width: size.width, height: size.height,
        notes: built.notes, check: try check.load(layout: source.layer.layout, for: scenario))
      try display.checkStep(in: model)
      return view(model)
    }
    try Output.print(caps.color == .none ? buffer.plainText : buffer.ansiText(capabilities: caps))
  }
}

// MARK: - FrameSize

/// `WxH`, e.g. `120x40`.
struct FrameSize: ExpressibleByArgument {
  var width: Int
  var height: Int

  init(width: Int, height: Int) {
    self.width = width
    self.height = height
  }

  init?(argument: String) {
    let parts = argument.lowercased().split(separator: "x").map { Int(String($0)) }
    guard parts.count == 2, let w = parts[0], let h = parts[1], w >= 1, h >= 1, w <= 1000,
      h <= 1000
    else { return nil }
    self.init(width: w, height: h)
  }
}
