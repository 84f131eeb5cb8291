import ArgumentParser
import ConvCore
import ConvDebug
import ConvStepper

// MARK: - GradcheckCommand

/// `convscope gradcheck [layer and data flags]`: the backward pass against finite differences.
struct GradcheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gradcheck",
    abstract: "Check dx, dw and db against finite differences and map the error per cell.",
    discussion: """
      For the configured layer (layer and data flags, or --case CASE.json), every gradient \
      cell (at most --cells per tensor) is compared with the central difference, in Double, of \
      L = Σ dy·y. The check may do at most 2^30 multiply–adds (about ten seconds): a larger \
      one is refused at once with the largest --cells that fits; a long one shows its \
      progress on standard error when that is a terminal. Prints the largest relative error of dx, dw and db, pass or fail, and a map \
      of the relative error of one plane (--map dx|dw|db, --plane A,B: sample and channel for \
      dx, filter and channel for dw). Exit status 0 when it passes, 1 when not, 2 for bad input.
      """)

  @OptionGroup var source: LayerSource

  @Option(
    help: "Check at most this many cells per tensor (0 = all, if the work fits the limit).")
  var cells = 2000
  @Option(help: "The gradient whose error map is shown: dx, dw or db.") var map: CheckedTensor = .dx
  @Option(help: "The plane of the map: sample,channel (dx) or filter,channel (dw).")
  var plane: Size2 = Size2(0, 0)
  @Option(parsing: .unconditional, help: "The largest relative error that passes.") var threshold:
    Double = 1e-3
  @Flag(help: "Show the errors as numbers instead of shades.") var numbers = false
  @Flag(help: "ASCII only.") var ascii = false
  @Flag(help: "Print the result as JSON (every cell's relative error).") var json = false

  func run() throws {
    let (text, passed) = try reportingUserErrors { () -> (String, Bool) in
      guard cells >= 0 else {
        throw ConvError.invalidParameter(name: "cells", value: "\(cells)", requirement: "≥ 0")
      }
      guard threshold.isFinite, threshold > 0 else {
        throw ConvError.invalidParameter(
          name: "threshold", value: "\(threshold)", requirement: "finite, > 0")
      }
      guard map != .y else {
        throw ConvError.invalidParameter(name: "map", value: "y", requirement: "dx, dw or db")
      }
      let scenario = try source.scenario()
      // Before any work: `--cells 0` checks every cell, hours of work on a large layer.
      try WorkBudget.requireGradientCheck(
        geometry: try scenario.geometry(), cellsPerTensor: cells == 0 ? nil : cells,
        flag: "--cells")
      let trace = try LayerTrace(scenario)
      var line = ProgressLine("gradcheck", total: 1)
      let result = try GradcheckResult(
        trace: trace, maxCellsPerTensor: cells == 0 ? nil : cells, threshold: threshold
      ) { done, total in line.update(done, total: total, detail: "outputs evaluated") }
      line.finish()
      guard result.map(map, plane: (plane.h, plane.w)) != nil else {
        throw ConvError.invalidParameter(
          name: "plane", value: "\(plane.h),\(plane.w)",
          requirement: map == .dx
            ? "sample < \(trace.geometry.batch), channel < \(trace.geometry.config.inChannels)"
            : "filter < \(trace.geometry.config.filters), channel < "
              + "\(trace.geometry.config.groupChannels) (w is [F, C/G, KH, KW])")
      }
      let text =
        json
        ? result.json()
        : result.text(
          map: map, plane: (plane.h, plane.w), style: numbers ? .numbers : .shades, ascii: ascii)
      return (text, result.passed)
    }
    try Output.print(text, terminator: "")
    if !passed { throw ExitCode(1) }
  }
}

extension CheckedTensor: ExpressibleByArgument {}
