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
      L = Σ dy·y. Prints the largest relative error of dx, dw and db, pass or fail, and a map \
      of the relative error of one plane (--map dx|dw|db, --plane A,B: sample and channel for \
      dx, filter and channel for dw). Exit status 0 when it passes, 1 when not, 2 for bad input.
      """)

  @OptionGroup var source: LayerSource

  @Option(help: "Check at most this many cells per tensor (0 = all).") var cells = 2000
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
      let trace = try LayerTrace(source.scenario())
      let result = try GradcheckResult(
        trace: trace, maxCellsPerTensor: cells == 0 ? nil : cells, threshold: threshold)
      guard result.map(map, plane: (plane.h, plane.w)) != nil else {
        throw ConvError.invalidParameter(
          name: "plane", value: "\(plane.h),\(plane.w)",
          requirement: map == .dx
            ? "sample < \(trace.geometry.batch), channel < \(trace.geometry.config.inChannels)"
            : "filter < \(trace.geometry.config.filters), channel < "
              + "\(trace.geometry.config.inChannels)")
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
