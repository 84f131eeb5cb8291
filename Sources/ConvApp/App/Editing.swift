import ConvCore
import ConvFormats
import ConvLessons
import ConvStepper
import NumberText
import TermUI

// MARK: - EditTarget

/// The tensors that can be edited in place.
public enum EditTarget: String, Sendable, Hashable, CaseIterable {
  /// The input x.
  case input
  /// The weights w.
  case kernel
  /// The bias b.
  case bias
  /// The output gradient dy of the block.
  case gradient

  /// The next target (Tab).
  public var next: EditTarget {
    let all = EditTarget.allCases
    return all[((all.firstIndex(of: self) ?? 0) + 1) % all.count]
  }

  /// `input x`, `kernel w`, `bias b`, `gradient dy`.
  public var label: String {
    switch self {
    case .input: return "input x"
    case .kernel: return "kernel w"
    case .bias: return "bias b"
    case .gradient: return "gradient dy"
    }
  }
}

// MARK: - EditState

/// Where the edit cursor is and what has been typed.
public struct EditState: Sendable, Hashable {
  /// The tensor edited.
  public var target: EditTarget = .input
  /// The map shown: sample (input, gradient) or filter (kernel).
  public var map = 0
  /// The channel shown (input, kernel) or filter (gradient).
  public var channel = 0
  /// The cursor's row.
  public var row = 0
  /// The cursor's column.
  public var column = 0
  /// What has been typed so far.
  public var text = ""

  /// The start of editing.
  public init() {}
}

// MARK: - Editing the model

extension Model {
  /// The tensor an edit target stands for, as a rank-4 tensor (bias as `[1, 1, 1, F]`).
  public func editTensor(_ target: EditTarget) -> Tensor {
    switch target {
    case .input: return scenario.input
    case .kernel: return scenario.weight
    case .bias:
      var t = Tensor(shape: [1, 1, 1, scenario.bias.count])
      t.data = scenario.bias.data
      return t
    case .gradient: return trace.blockGradient
    }
  }

  /// The size of the map the cursor moves over.
  public func editMapSize(_ e: EditState) -> Size2 {
    let s = editTensor(e.target).shape
    return Size2(s[2], s[3])
  }

  /// The flat index of the cursor in its tensor.
  public func editIndex(_ e: EditState) -> Int {
    let s = editTensor(e.target).shape
    return ((e.map * s[1] + e.channel) * s[2] + e.row) * s[3] + e.column
  }

  /// Setting the value under the cursor to `value`: the cell's full index and its value before.
  func cellEdit(_ e: EditState, value: Float) -> CellEdit {
    let flat = editIndex(e)
    let index = e.target == .bias ? [e.column] : [e.map, e.channel, e.row, e.column]
    return CellEdit(
      target: e.target, index: index, flat: flat, old: editTensor(e.target).data[flat], new: value)
  }

  /// The scenario with the value under the cursor set (recomputing it is ``change(_:to:notes:then:)``'s).
  func edited(_ e: EditState, value: Float) -> Scenario {
    var s = scenario
    let i = editIndex(e)
    switch e.target {
    case .input: s.input.data[i] = value
    case .kernel: s.weight.data[i] = value
    case .bias: s.bias.data[i] = value
    case .gradient:
      var g = trace.blockGradient
      g.data[i] = value
      s.gradient = .tensor(g)
    }
    return s
  }

  /// The scenario with the kernel or the input replaced by a preset, keeping everything that
  /// still fits, and the notes of its loading; nil for targets that have no presets.
  func withPreset(_ name: String, for target: EditTarget) throws -> (
    scenario: Scenario, notes: [String]
  )? {
    var r = ScenarioRequest(scenario)
    switch target {
    case .kernel:
      r.kernel = .argument(name)
      // A bias for another number of filters than the preset has cannot stay (zeros instead).
      let preset = try TensorArguments.kernel(name, inChannels: scenario.config.inChannels)
      if preset.tensor.shape[0] != scenario.config.filters { r.bias = nil }
    case .input:
      r.input = .argument(name)
      r.load.maxSize = LoadOptions.defaultMaxSize
      // A kernel made for other channels than the new picture has cannot stay: a random one of
      // the same filters and size takes its place (the bias still fits).
      if editTensor(.kernel).shape[1] != InputPresets.channels(of: name) {
        r.kernel = nil
        r.filters = scenario.config.filters
        r.kernelSize = scenario.config.kernel
      }
    case .bias, .gradient: return nil
    }
    r.title = scenario.title
    let built = try ScenarioBuilder.build(r)
    return (built.scenario, built.notes)
  }

  /// The scenario with new seeded small integers for the input and the kernel (same shapes);
  /// its words are ``described(_:origin:)``'s.
  func randomised(seed: UInt64) throws -> Scenario {
    var s = scenario
    var g = SeededGenerator(seed: seed)
    s.input = try ScenarioBuilder.smallIntegers(
      s.input.shape, range: -2...3, using: &g, name: "input")
    s.weight = try ScenarioBuilder.smallIntegers(
      s.weight.shape, range: -1...1, using: &g, name: "weights")
    return s
  }
}

// MARK: - Keys in edit mode

/// Handles a key while editing: move, type, apply, switch target, leave.
func editKey(_ model: inout Model, _ key: Key) -> [Effect] {
  guard var e = model.edit else { return [] }
  let size = model.editMapSize(e)
  let shape = model.editTensor(e.target).shape
  switch key {
  case .escape:
    model.edit = nil
    model.message = Message("Edit mode off.")
    return []
  case .tab:
    e = EditState()
    e.target = model.edit.map { $0.target.next } ?? .input
  case .left, .character("h"): e.column = max(0, e.column - 1)
  case .right, .character("l"): e.column = min(size.w - 1, e.column + 1)
  case .up, .character("k"): e.row = max(0, e.row - 1)
  case .down, .character("j"): e.row = min(size.h - 1, e.row + 1)
  case .character("c"): e.channel = (e.channel + 1) % max(1, shape[1])
  case .character("f"), .character("b"): e.map = (e.map + 1) % max(1, shape[0])
  case .backspace, .delete: e.text = String(e.text.dropLast())
  case .character(let ch) where "0123456789.-+eE".contains(ch) && e.text.count < 24:
    e.text.append(ch)
  case .enter:
    guard !e.text.isEmpty else { break }
    guard let v = Float(e.text), v.isFinite else {
      model.message = Message("\"\(e.text)\" is not a number", kind: .error)
      e.text = ""
      model.edit = e
      return []
    }
    let edit = model.cellEdit(e, value: v)
    guard edit.old != v else {
      let value = NumberFormat.short(v, ascii: !model.capabilities.unicode)
      model.message = Message("\(edit.name) is already \(value): nothing changed.")
      e.text = ""
      model.edit = e
      return []
    }
    let effects = change(
      &model, to: model.edited(e, value: v), origin: model.origin.adding(edit),
      then: Message(
        "\(edit.text(unicode: model.capabilities.unicode)) (\(e.target.label)); everything recomputed."
      ), editedInput: e.target == .input ? edit.flat : nil)
    e.text = ""
    model.edit = e
    return effects
  default:
    model.message = Message(
      "Editing: arrows move, type a number and Enter, Tab next tensor, c channel, f filter/sample, Esc done.",
      kind: .warning)
  }
  model.edit = e
  return []
}
