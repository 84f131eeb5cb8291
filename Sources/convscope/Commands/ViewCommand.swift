import ArgumentParser
import ConvApp
import ConvCore
import ConvDebug
import Foundation
import NCursesBackend
import TermUI

// MARK: - ViewCommand

/// `convscope view` (the default): the interactive viewer.
struct ViewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "view",
    abstract: "Open the viewer and walk the forward and backward passes (the default command).",
    discussion: """
      With no layer flag the first lesson opens: a 7×7 input of small integers, a 3×3 kernel \
      with integer weights, padding 1. --article opens the article's layer. Press ? in the \
      viewer for the keys.
      """)

  @OptionGroup var source: LayerSource
  @OptionGroup var display: DisplayFlags
  @OptionGroup var check: CheckFlags

  /// For `convscope bench`: draw the first frame, walk this many steps (and the backward pass
  /// to its end), quit, and print the peak memory.
  @Option(help: .hidden) var benchSession: Int?

  /// For `convscope bench`'s key timings: a descriptor to which a line is written after every
  /// frame (``FrameReport/line``), and `exit rss_kib=N` when the viewer ends.
  @Option(help: .hidden) var benchFrameFd: Int32?

  func run() throws {
    MemoryTuning.preferMappedAllocations()
    // Everything a user typed is checked before the screen opens.
    // Optional, and let go once the loop has it: a model kept here would keep the layer it
    // opened with (hundreds of megabytes for a big one) alive after R, r or an edit replace it.
    var opened: Model? = try reportingUserErrors { () throws -> Model in
      if let model = try display.transposedModel(
        source, capabilities: .plain, checking: try check.load(layout: .nchw) != nil)
      {
        return model
      }
      let built = try source.build()
      var scenario = built.scenario
      try display.apply(to: &scenario)
      let model = try Model(
        scenario: scenario, capabilities: .plain, notes: built.notes,
        check: try check.load(layout: source.layer.layout, for: scenario))
      try display.checkStep(in: model)
      return model
    }
    let terminal = NCursesTerminal()
    var loop: InteractiveLoop
    do {
      // The loop tells the model what the terminal can show (``Msg/capabilities(_:)``).
      try terminal.start(
        environment: ProcessInfo.processInfo.environment, colorChoice: display.color,
        ascii: display.ascii)
      guard let model = opened else { return }
      loop = InteractiveLoop(
        model: model, terminal: terminal, onFrame: benchFrameFd.map(ViewCommand.frameWriter))
    } catch let error as TerminalError {
      throw fail(error.description)
    }
    opened = nil
    if let steps = benchSession {
      loop.scripted(steps: max(0, steps))
      try Output.print("convscope-bench rss_kib=\(ProcessMemory.peakResidentKiB() ?? -1)")
      return
    }
    let status = loop.run()
    if let fd = benchFrameFd {
      ViewCommand.writeLine("exit rss_kib=\(ProcessMemory.peakResidentKiB() ?? -1)\n", to: fd)
    }
    // The screen that would have said so is gone: a recording saved on q or Ctrl-C.
    for line in loop.farewell { printError("convscope: \(line)") }
    if status != 0 { throw ExitCode(status) }
  }
}

// MARK: - Frame reports for the bench

extension ViewCommand {
  /// Writes each frame's report line to `fd`.
  static func frameWriter(_ fd: Int32) -> @Sendable (FrameReport) -> Void {
    { report in writeLine(report.line, to: fd) }
  }

  /// Writes `line` whole to `fd` (errors ignored: the bench notices a missing line).
  static func writeLine(_ line: String, to fd: Int32) {
    var bytes = Array(line.utf8)
    bytes.withUnsafeMutableBytes { raw in
      var offset = 0
      while offset < raw.count {
        let n = write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
        if n <= 0 { return }
        offset += n
      }
    }
  }
}
