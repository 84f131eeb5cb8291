import ConvCore
import ConvStepper
import Foundation
import NumberText

// MARK: - CellCheck

/// One cell of a checked tensor: the user's value next to the correct one.
public struct CellCheck: Sendable, Equatable {
  /// Which tensor.
  public var tensor: CheckedTensor
  /// The flat channels-first index.
  public var flat: Int
  /// The channels-first multi-index.
  public var index: [Int]
  /// The user's value.
  public var user: Float
  /// The correct value.
  public var correct: Float
  /// Whether they differ beyond the tolerance.
  public var differs: Bool

  /// `y[0,2,1,3]`.
  public var label: String {
    "\(tensor)[" + index.map(String.init).joined(separator: ",") + "]"
  }

  /// `y[0,2,1,3]: yours 1.5 ≠ correct 2.25` (`≠` or `=` marks the verdict); short numbers
  /// for a panel — with as many more digits as it takes for two different values to read
  /// differently (`yours 1.7301 ≠ correct 1.7302`, never `1.73 ≠ 1.73`) — or `digits`
  /// significant digits (more when two different values would read the same).
  public func text(ascii: Bool = false, digits: Int? = nil) -> String {
    let mark = differs ? (ascii ? "!=" : "≠") : "="
    guard let digits else {
      let (u, c) = NumberFormat.apart(user, correct, ascii: ascii)
      return "\(label): yours \(u) \(mark) correct \(c)"
    }
    // More digits when these would read the same for two different values (9 tell any two
    // floats apart).
    var shown = digits
    func f(_ v: Float) -> String { String(format: "%.\(shown)g", Double(v)) }
    while shown < 9 && user != correct && f(user) == f(correct) { shown += 1 }
    return "\(label): yours \(f(user)) \(mark) correct \(f(correct))"
  }
}

// MARK: - Cells of a comparison

extension Comparison {
  /// Cell `flat` (channels first) of `tensor`, when the user gave that tensor in the right shape.
  public func cell(_ tensor: CheckedTensor, flat: Int) -> CellCheck? {
    guard let r = self[tensor], let u = r.user, flat >= 0, flat < u.count else { return nil }
    return CellCheck(
      tensor: tensor, flat: flat, index: r.index(ofFlat: flat), user: u.data[flat],
      correct: r.correct.data[flat], differs: r.mask[flat])
  }

  /// The checked cells a step shows, for the formula panel:
  /// - `forward` window `global`: its `y` cell;
  /// - `backward` window (`dy` cell) `global`: the `dx` cells its taps read, then `dw` of its
  ///   filter, then `db` of its filter;
  /// - `update` window (filter) `global`: `dw` and `db` of that filter.
  ///
  /// Only tensors the user gave in the right shape appear.
  public func cells(inWindow global: Int, of phase: Phase) -> [CellCheck] {
    let g = trace.geometry
    let cfg = g.config
    let perFilter = cfg.groupChannels * cfg.kernel.h * cfg.kernel.w
    func filterCells(_ f: Int) -> [CellCheck] {
      guard f >= 0, f < cfg.filters else { return [] }
      return (f * perFilter..<(f + 1) * perFilter).compactMap { cell(.dw, flat: $0) }
        + [cell(.db, flat: f)].compactMap { $0 }
    }
    switch phase {
    case .forward:
      return [cell(.y, flat: global)].compactMap { $0 }
    case .backward:
      let plane = g.output.h * g.output.w
      guard global >= 0, global < g.batch * cfg.filters * plane else { return [] }
      let (n, f) = (global / plane / cfg.filters, global / plane % cfg.filters)
      let (i, j) = (global % plane / g.output.w, global % g.output.w)
      var result: [CellCheck] = []
      var seen = Set<Int>()
      // Filter f's taps read its group's channels; a tap on a copying padding cell reads the
      // input cell it copies (listed once however many taps read it).
      for c in 0..<cfg.groupChannels {
        let channel = cfg.inputChannel(filter: f, weightChannel: c)
        for p in 0..<cfg.kernel.h {
          guard let h = g.sourceRow(g.inputRow(outputRow: i, kernelRow: p)) else { continue }
          for q in 0..<cfg.kernel.w {
            guard let w = g.sourceColumn(g.inputColumn(outputColumn: j, kernelColumn: q))
            else { continue }
            let flat = ((n * cfg.inChannels + channel) * g.input.h + h) * g.input.w + w
            if seen.insert(flat).inserted, let cell = cell(.dx, flat: flat) { result.append(cell) }
          }
        }
      }
      return result + filterCells(f)
    case .update:
      return filterCells(global)
    default:
      return []
    }
  }
}
