import ArgumentParser
import ConvApp
import ConvCore
import ConvFormats
import ConvStepper
import Foundation
import TermUI

// MARK: - DisplayFlags

/// How the screen looks: colours, glyphs, the starting phase and step.
struct DisplayFlags: ParsableArguments {
  @Option(
    help: "Colours: auto, none, 8, 256 or truecolor (auto honours NO_COLOR, TERM, COLORTERM).")
  var color: Capabilities.ColorChoice = .auto

  @Flag(help: "ASCII only: no block or box-drawing glyphs.") var ascii = false

  @Option(help: "Start in this phase (forward, backward, update, relu, pool, …).")
  var phase: Phase?

  @Option(parsing: .unconditional, help: "Start at this step (1-based, window steps).") var step:
    Int?

  /// The capabilities for an output described by `environment` (a terminal or a pipe).
  func capabilities(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> Capabilities
  {
    Capabilities.detect(environment: environment, colorChoice: color, ascii: ascii)
  }

  /// Applies `--phase` and `--step` to a scenario.
  func apply(to scenario: inout Scenario) throws {
    if let phase {
      guard scenario.phases.contains(phase) else {
        throw ConvError.invalidParameter(
          name: "phase", value: phase.rawValue,
          requirement: "one of \(scenario.phases.map(\.rawValue).joined(separator: ", "))")
      }
      scenario.startPhase = phase
      if step == nil { scenario.startStep = 0 }
    }
    if let step {
      guard step >= 1 else {
        throw ConvError.invalidParameter(name: "step", value: "\(step)", requirement: "≥ 1")
      }
      scenario.startStep = step - 1
    }
  }

  /// Refuses a `--step` past the end of the phase the model opened in (the viewer, `render` and
  /// `export` all say the same, rather than one of them stopping at the last step).
  func checkStep(in model: Model) throws {
    let count = model.timeline.windowCount
    if let step, step > count {
      throw InputError("--step \(step): the \(model.phase) phase has \(count) steps")
    }
  }
}

extension Capabilities.ColorChoice: ExpressibleByArgument {}
