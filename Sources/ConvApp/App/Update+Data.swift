import ConvCore
import ConvLessons
import ConvStepper
import TermUI

// MARK: - Data actions

/// The actions of the "your own data" keys: editing, pickers, randomise, reset, write.
func performData(_ model: inout Model, _ action: DataAction) -> [Effect] {
  switch action {
  case .edit:
    model.edit = EditState()
    model.playing = false
    model.message = Message(
      "Edit mode: arrows move, type a number and Enter, Tab next tensor, Esc done.")
    return [.stopTicks]
  case .lessonPicker:
    model.overlay = .picker(
      Picker(kind: .lesson, items: BuiltinLessons.all.map { ($0.name, $0.title) }))
  case .kernelPicker:
    model.overlay = .picker(
      Picker(kind: .kernelPreset, items: KernelPresets.all.map { ($0.name, $0.summary) }))
  case .inputPicker:
    model.overlay = .picker(
      Picker(kind: .inputPreset, items: InputPresets.all.map { ($0.name, $0.summary) }))
  case .randomise:
    model.randomSeed &+= 1
    var origin = model.origin.replacing(.input, .kernel)
    origin.input = .random(seed: model.randomSeed)
    origin.kernel = .random(seed: model.randomSeed)
    do {
      return change(
        &model, to: try model.randomised(seed: model.randomSeed), origin: origin, notes: [],
        then: Message("Random input and kernel, seed \(model.randomSeed). r resets."))
    } catch {
      model.message = Message("\(error)", kind: .error)
    }
  case .reset:
    return change(
      &model, to: model.original, origin: DataOrigin(), notes: model.originalNotes,
      then: Message("Reset to the configuration as opened."))
  case .writeLesson:
    model.overlay = .writeLesson("convscope.lesson")
  case .paddingMode:
    return nextPaddingMode(&model)
  }
  return []
}

/// `o`: the layer with the next padding mode its padding allows (zeros → reflect → replicate →
/// circular → zeros; reflect needs padding below the input size, circular at most it), the
/// same tensors; the position is kept.
func nextPaddingMode(_ model: inout Model) -> [Effect] {
  var s = model.scenario
  let cfg = s.config
  guard cfg.padding != Size2(0) else {
    model.message = Message(
      "Padding is 0: there are no padding cells, so every padding mode gives the same layer.",
      kind: .warning)
    return []
  }
  let input = Size2(s.input.shape[2], s.input.shape[3])
  let modes = PaddingMode.allCases
  let start = modes.firstIndex(of: cfg.paddingMode) ?? 0
  var skipped: [String] = []
  for k in 1..<modes.count {
    var candidate = cfg
    candidate.paddingMode = modes[(start + k) % modes.count]
    guard (try? candidate.outputSize(input: input)) != nil else {
      skipped.append(candidate.paddingMode.rawValue)
      continue
    }
    s.config = candidate
    let why =
      skipped.isEmpty
      ? "" : " (\(skipped.joined(separator: ", ")) skipped: padding \(cfg.padding) is too large)"
    return change(
      &model, to: s, origin: model.origin,
      then: Message("Padding mode \(candidate.paddingMode.rawValue)\(why). o cycles, r resets."))
  }
  model.message = Message(
    "Padding \(cfg.padding) is too large for any other mode on this input.", kind: .warning)
  return []
}

// MARK: - Picker and prompt keys

func pickerKey(_ model: inout Model, _ picker: Picker, _ key: Key) -> [Effect] {
  var p = picker
  switch key {
  case .escape, .character("q"):
    model.overlay = nil
  case .down, .character("j"): p.selection = min(p.items.count - 1, p.selection + 1)
  case .up, .character("k"): p.selection = max(0, p.selection - 1)
  case .pageDown: p.selection = min(p.items.count - 1, p.selection + 10)
  case .pageUp: p.selection = max(0, p.selection - 10)
  case .home, .character("g"): p.selection = 0
  case .end, .character("G"): p.selection = max(0, p.items.count - 1)
  case .enter:
    model.overlay = nil
    guard p.items.indices.contains(p.selection) else { return [] }
    let name = p.items[p.selection].name
    do {
      switch p.kind {
      case .lesson:
        let request = try BuiltinLessons.request(for: name)
        if request.transposed == true {
          let built = try TransposedBuilder.build(request)
          try model.open(transposed: built.scenario, notes: built.notes)
          model.message = Message("Lesson: \(built.scenario.title)")
          return []
        }
        let built = try ScenarioBuilder.build(request)
        try model.open(built.scenario, notes: built.notes)
        model.message = Message("Lesson: \(built.scenario.title)")
      case .kernelPreset, .inputPreset:
        return try loadPreset(&model, name, for: p.kind == .kernelPreset ? .kernel : .input)
      }
    } catch {
      model.message = Message("\(error)", kind: .error)  // the current state is kept
    }
    return []
  default:
    break
  }
  if model.overlay != nil { model.overlay = .picker(p) }
  return []
}

/// Loads the kernel or input preset `name` (`K`, `I`): the edits of what it replaces are
/// dropped, and a kernel of other channels than a new input has is replaced by a random one.
func loadPreset(_ model: inout Model, _ name: String, for target: EditTarget) throws -> [Effect] {
  guard let loaded = try model.withPreset(name, for: target) else { return [] }
  var origin = model.origin.replacing(target)
  if loaded.scenario.bias != model.scenario.bias { origin = origin.replacing(.bias) }
  var message = "\(target == .kernel ? "Kernel" : "Input") preset \(name) loaded."
  if target == .kernel {
    origin.kernel = .preset(name)
  } else {
    origin.input = .preset(name)
    let channels = loaded.scenario.config.inChannels
    if channels != model.scenario.config.inChannels {
      origin = origin.replacing(.kernel)
      origin.kernel = .fitted
      message += " A random kernel for its \(channels) channel(s) replaces the old one."
    }
  }
  return change(
    &model, to: loaded.scenario, origin: origin, notes: loaded.notes, then: Message(message))
}

func writeLessonKey(_ model: inout Model, _ text: String, _ key: Key) -> [Effect] {
  switch key {
  case .escape:
    model.overlay = nil
  case .backspace, .delete:
    model.overlay = .writeLesson(String(text.dropLast()))
  case .character(let c) where text.count < 1024:
    model.overlay = .writeLesson(text + String(c))
  case .enter:
    model.overlay = nil
    let path = text.trimmingCharacters(in: .whitespaces)
    guard !path.isEmpty else {
      model.message = Message("No path given: nothing written.", kind: .warning)
      return []
    }
    var s = model.scenario
    // A changed layer's text says what changed since it was opened, not how to go back to it
    // (`r` on the written lesson goes back to the written lesson).
    if !Model.sameData(s, model.original) {
      s.text = Model.changes(model.origin, since: model.original)
    }
    s.startPhase = model.phase
    s.startStep = max(0, model.currentWindow?.index ?? 0)
    s.startUnfolded = model.display.unfold
    return [.writeFile(path: path, contents: LessonFile.write(s), what: "lesson")]
  default:
    break
  }
  return []
}

// MARK: - Recomputing the layer

/// Shows `scenario`, its data from `origin` (and `notes`, when given) with `message`, in the
/// words that describe it (``Model/described(_:origin:)``): recomputed at once when the layer
/// is small, as slow work (``Effect/run(_:)``) when the layer shown has more than
/// ``Model/slowLayerMACs`` multiply-adds. Meanwhile the layer shown stays, and every key works
/// on it; a second change supersedes this one (its result is dropped as stale).
func change(
  _ model: inout Model, to newScenario: Scenario, origin newOrigin: DataOrigin,
  notes: [String]? = nil, then message: Message, editedInput: Int? = nil
) -> [Effect] {
  let (scenario, origin) = model.described(newScenario, origin: newOrigin)
  // One input cell set by hand: only the windows that read it are recomputed forward.
  let edit = editedInput.map { InputEdit(previous: model.trace, flat: $0) }
  guard model.trace.geometry.forwardMACs > model.slowLayerMACs else {
    do {
      try model.install(
        LayerTrace(scenario, reusing: model.trace.reusableGradient, editedInput: edit))
      model.origin = origin
      if let notes { model.notes = notes }
      model.message = message
    } catch {
      model.message = Message("\(error)", kind: .error)  // the current state is kept
    }
    return []
  }
  let generation = model.awaitWork(.layer)
  model.message = Message("Recomputing the layer…")
  let previous = model.trace.reusableGradient
  model.trace.dropCaches()  // room for the new layer while this one is still shown
  return [
    .run(
      Work(.layer, generation: generation) {
        .layer(
          Result { try LayerTrace(scenario, reusing: previous, editedInput: edit) }.mapError {
            WorkFailure(text: "\($0)")
          },
          origin: origin, notes: notes, message: message)
      })
  ]
}

/// Shows the layer that came back from slow work, or why it could not be computed.
func installLayer(
  _ model: inout Model, _ outcome: Result<LayerTrace, WorkFailure>, origin: DataOrigin,
  notes: [String]?, message: Message
) {
  do {
    try model.install(outcome.get())
    model.origin = origin
    if let notes { model.notes = notes }
    model.message = message
  } catch let failure as WorkFailure {
    model.message = Message(failure.text, kind: .error)
  } catch {
    model.message = Message("\(error)", kind: .error)
  }
}

extension Model {
  /// Opens another scenario (a lesson) with the notes of its loading: a new start, a new
  /// original; the display options stay.
  mutating func open(_ scenario: Scenario, notes: [String] = []) throws {
    var fresh = try Model(
      scenario: scenario, capabilities: capabilities, width: width, height: height, notes: notes)
    fresh.display = display
    fresh.speedIndex = speedIndex
    fresh.slowLayerMACs = slowLayerMACs
    fresh.workGeneration = workGeneration + 1  // what was awaited is for the old layer
    fresh.backTo = backTo
    self = fresh
  }

  /// Opens a transposed convolution (a lesson) the same way.
  mutating func open(transposed scenario: TransposedScenario, notes: [String] = []) throws {
    var fresh = try Model(
      transposed: scenario, capabilities: capabilities, width: width, height: height,
      notes: notes)
    fresh.display = display
    fresh.display.unfold = false
    fresh.speedIndex = speedIndex
    fresh.slowLayerMACs = slowLayerMACs
    fresh.workGeneration = workGeneration + 1
    fresh.backTo = backTo
    self = fresh
  }
}
