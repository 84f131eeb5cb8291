import ConvCore
import ConvDebug
import ConvFormats
import ConvStepper
import NumberText
import TermUI

// MARK: - The user's own results in the viewer

extension Model {
  /// Compares the user's tensors with the correct ones of this layer; every differing cell is
  /// marked, `n`/`N` jump between the windows where they show.
  mutating func check(_ user: UserTensors, tolerance: Tolerance) throws {
    userCheck = (user, tolerance)
    let c = try Comparison(trace: trace, user: user, tolerance: tolerance)
    comparison = c
    diagnosis = c.allMatch ? nil : c.diagnose()
  }

  /// Recomputes the comparison after the layer changed (an edit): the user's tensors stay.
  mutating func recheck() {
    guard let (user, tolerance) = userCheck else { return }
    comparison = try? Comparison(trace: trace, user: user, tolerance: tolerance)
    diagnosis = comparison.flatMap { $0.allMatch ? nil : $0.diagnose() }
    gradcheck = nil
  }

  /// Moves to the next (`+1`) or previous (`-1`) window of the phase where the user's numbers
  /// differ, switching sample when it lies in another one. False when there is none that way.
  mutating func seekMismatch(_ direction: Int) -> Bool {
    guard let c = comparison, let w = currentWindow else { return false }
    let global = w.global
    guard
      let target = direction > 0
        ? c.nextMismatchWindow(after: global, in: phase)
        : c.previousMismatchWindow(before: global, in: phase)
    else { return false }
    if phase != .update {
      let perSample = trace.geometry.config.filters * timeline.windowsPerMap
      setSample(target / perSample)
    }
    guard let index = timeline.windowIndex(ofGlobal: target) else { return false }
    seek(window: index)
    return true
  }

  /// How many cells differ, over all the tensors the user gave.
  public var mismatchCount: Int {
    comparison?.results.reduce(0) { $0 + $1.mismatchCount } ?? 0
  }

  /// Whether flat cell `flat` of `tensor` differs from the correct value.
  func differs(_ tensor: CheckedTensor, _ flat: Int) -> Bool {
    guard let r = comparison?[tensor], r.shapeMatches, flat >= 0, flat < r.mask.count else {
      return false
    }
    return r.mask[flat]
  }
}

// MARK: - What the notes say

extension Model {
  /// The most diagnoses the notes list (the CLI lists them all).
  static let diagnosesShown = 3

  /// The comparison and the diagnosis in plain words, for the notes panel.
  var debugNotes: [String] {
    guard let c = comparison else { return [] }
    func shape(_ s: [Int]) -> String { ConvError.format(s) }
    let counts = c.results.filter(\.shapeMatches).map { r in
      "\(r.tensor) \(r.mismatchCount)/\(r.cellCount)"
    }
    // A wrong shape is a sentence of its own: both shapes, the file's and the layer's.
    let shapes = c.results.filter { !$0.shapeMatches }.map { r in
      "Your \(r.tensor) has shape \(shape(r.userShape)), but this layer's \(r.tensor) is "
        + "\(shape(r.expectedUserShape)): its cells cannot be compared."
    }
    // What reading the files did (a dtype converted, HWIO read as channels last), as check says.
    let fileNotes = c.user.notes.map { "Note: " + $0 }
    if c.allMatch {
      return [
        "Your numbers agree with the correct ones (" + counts.joined(separator: ", ") + " differ)."
      ] + fileNotes
    }
    var lines =
      counts.isEmpty
      ? shapes
      : [
        "Your numbers differ: " + counts.joined(separator: ", ") + " cells (marked ≠; n/N jump)."
      ] + shapes
    if let d = diagnosis, !d.diagnoses.isEmpty {
      // As `convscope check` says it: each mistake with the tensors it reproduces and its fix.
      let count = d.diagnoses.count
      for (k, one) in d.diagnoses.prefix(Model.diagnosesShown).enumerated() {
        let tensors = one.explains.map(\.rawValue).joined(separator: ", ")
        let head = count == 1 ? "The mistake that fits" : "Mistake \(k + 1) of \(count)"
        lines.append("\(head) (reproduces your \(tensors)): \(one.title).")
        lines.append("Fix: " + one.bug.fix)
      }
      if count > Model.diagnosesShown {
        lines.append(
          "And \(count - Model.diagnosesShown) more: `convscope check` with the same flags lists "
            + "them all.")
      }
      if !d.unexplained.isEmpty {
        lines.append(
          "No known mistake reproduces your "
            + d.unexplained.map(\.rawValue).joined(separator: ", ") + ".")
      }
    } else {
      lines.append("No known mistake reproduces your numbers: check the first differing cell.")
    }
    // Where the differences nothing explains lie, as `convscope check` says it.
    for tensor in diagnosis?.unexplained ?? c.mismatching {
      if let p = c.differencePattern(tensor) { lines.append("Pattern: " + p.text) }
    }
    return lines + fileNotes
  }
}

// MARK: - Keys of the debugger

/// `n`/`N` (next/previous mismatch), `D` (gradient check), `C` (export Python code).
func performDebug(_ model: inout Model, _ action: DebugAction) -> [Effect] {
  switch action {
  case .nextMismatch, .previousMismatch:
    guard model.comparison != nil else {
      model.message = Message(
        "Nothing to compare: start with --check-y/--check-dx/--check-dw/--check-db FILE.")
      return []
    }
    if !model.seekMismatch(action == .nextMismatch ? 1 : -1) {
      model.message = Message(
        model.mismatchCount == 0
          ? "Your numbers agree everywhere."
          : "No differing window \(action == .nextMismatch ? "after" : "before") this one in the \(model.phase) phase."
      )
    }
  case .gradientCheck:
    if model.gradcheck != nil {
      model.gradcheck = nil
      return []
    }
    if model.work == .gradientCheck {
      // Its result is on the way: a second request would only start it again.
      model.message = Message("The gradient check is still running (Esc cancels it).")
      return []
    }
    let trace = model.trace
    let generation = model.awaitWork(.gradientCheck)
    model.message = Message("Gradient check: finite differences running…")
    return [
      .run(
        Work(.gradientCheck, generation: generation) {
          .gradientCheck(
            Result { try GradcheckResult(trace: trace, maxCellsPerTensor: 4096) }
              .mapError { WorkFailure(text: "\($0)") })
        })
    ]
  case .exportCode:
    return exportCode(&model)
  }
  return []
}

/// `C`: the NumPy program of the layer (of a transposed layer, its own program).
func exportCode(_ model: inout Model) -> [Effect] {
  // The program finds its data beside itself, by its own name, so numbered exports
  // (convscope_layer-2.py with convscope_layer-2_data/) never share or overwrite a folder.
  let command = "convscope (C in the viewer)"
  let code: CodeExport
  if let t = model.transposed?.trace {
    // The transposed layer itself (ConvTranspose2d), whichever view is on screen.
    do {
      code = CodeExport(
        transposed: try TransposedLayer(
          x: t.scenario.input, w: t.scenario.weight, b: t.scenario.bias, dy: t.dy,
          spec: t.scenario.spec), language: .numpy, dataDirectory: nil, command: command)
    } catch {
      model.message = Message("\(error)", kind: .error)
      return []
    }
  } else {
    code = CodeExport(trace: model.trace, language: .numpy, dataDirectory: nil, command: command)
  }
  let data = code.files.map { DataFile(name: $0.name, bytes: Array(NPYWriter.encode($0.tensor))) }
  return [
    .writeCode(script: "convscope_layer.py", source: code.source, data: data, what: "NumPy code")
  ]
}

/// Shows the gradient check that came back from slow work.
func showGradientCheck(_ model: inout Model, _ outcome: Result<GradcheckResult, WorkFailure>) {
  switch outcome {
  case .success(let result):
    model.gradcheck = result
    let worst = result.report.maxRelativeError
    model.message = Message(
      "Finite differences agree with the backward pass: largest relative error "
        + NumberFormat.short(Float(worst)) + (result.passed ? " (passes; D closes)" : " (FAILS)"),
      kind: result.passed ? .success : .error)
  case .failure(let failure):
    model.message = Message(failure.text, kind: .error)
  }
}
