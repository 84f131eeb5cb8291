import ArgumentParser
import ConvApp
import ConvCore
import ConvFormats
import ConvLessons
import ConvStepper
import TermUI

// MARK: - A transposed layer from the flags or a case file

extension LayerSource {
  /// The transposed convolution the flags (`--transposed`, a lesson with `transposed: yes`) or
  /// the case file (`"op": "conv_transpose2d"`) describe, with the notes of loading; nil for a
  /// conv2d (and the other ops of a case file).
  func transposed() throws -> (scenario: TransposedScenario, notes: [String])? {
    if let casePath {
      guard !layer.article, !layer.shapesLayer else { return nil }  // resolveCase refuses the mix
      let c = try ConvCase.load(path: casePath)
      guard var s = try c.transposedScenario() else { return nil }
      if let lr = layer.learningRate {
        s.learningRate = lr
        try s.validate()
      }
      return (s, [])
    }
    let request = try layer.request()
    guard request.transposed == true else { return nil }
    let built = try TransposedBuilder.build(request)
    return (built.scenario, built.notes)
  }
}

extension DisplayFlags {
  /// The model of the transposed layer `source` describes, at `--phase` and `--step`; nil for a
  /// conv2d. `checking`: `--check-…` was given (the viewer compares a conv2d's numbers only).
  func transposedModel(
    _ source: LayerSource, capabilities: Capabilities, width: Int = 80, height: Int = 24,
    checking: Bool = false
  ) throws -> Model? {
    guard let (opened, notes) = try source.transposed() else { return nil }
    var s = opened
    if checking {
      throw InputError(
        "--check-…: the viewer compares a conv2d's numbers; compare a transposed layer's with "
          + "convscope check --case FILE")
    }
    if let phase {
      guard TransposedScenario.phases.contains(phase) else {
        throw ConvError.invalidParameter(
          name: "phase", value: phase.rawValue,
          requirement: "forward, backward or update for a transposed layer")
      }
      s.startPhase = phase
      if step == nil { s.startStep = 0 }
    }
    if let step {
      guard step >= 1 else {
        throw ConvError.invalidParameter(name: "step", value: "\(step)", requirement: "≥ 1")
      }
      let count = try TransposedTrace(s).stepCount(s.startPhase)
      guard step <= count else {
        throw InputError("--step \(step): the \(s.startPhase) phase has \(count) steps")
      }
      s.startStep = step - 1
    }
    return try Model(
      transposed: s, capabilities: capabilities, width: width, height: height, notes: notes)
  }
}
