import ConvCore
import NumberText

// MARK: - TransposedStepLine

/// One step of a transposed convolution's walk, for `steps --json`: forward, the input cell
/// that stamps and the output cells it lands on; backward, the same cell's `dx`; the update,
/// an input channel's kernels or the bias.
public struct TransposedStepLine: Encodable, Sendable, Equatable {
  /// The step, numbered from 1 as the viewer counts.
  public var step: Int
  /// `forward`, `backward` or `update`.
  public var phase: String
  /// The sample (forward and backward).
  public var sample: Int?
  /// The input cell `[c, i, j]` (forward and backward); the update's input channel `[c]`.
  public var input: [Int]?
  /// The input value `x[n, c, i, j]` (forward).
  public var x: JSONFloat?
  /// The output channels stamped onto: its group's `[first, last]` (forward, backward).
  public var outputChannels: [Int]?
  /// The output cells `[row, column]` the stamp lands on (the taps inside the output).
  public var lands: [[Int]]?
  /// The kernel taps `[p, q]` of those cells, in the same order.
  public var taps: [[Int]]?
  /// The cell's input gradient `dx[n, c, i, j]` (backward).
  public var dx: JSONFloat?
  /// What the update step sets: `w[c]` or `b`.
  public var updates: String?
}

// MARK: - TransposedStepState

/// The state after one step of a transposed walk, for `steps --at K --json`: flat row-major
/// arrays of the sample's `y` as far as the stamps have gone (forward), its `dx` (null where
/// not yet computed) and `dw` so far (backward), or the weights and bias after the update
/// steps done.
public struct TransposedStepState: Encodable, Sendable, Equatable {
  /// The step, from 1.
  public var step: Int
  /// The phase.
  public var phase: String
  /// The sample (forward and backward).
  public var sample: Int?
  /// `y[n]` so far, `[F, OH, OW]` flat (forward).
  public var y: [JSONFloat]?
  /// `dx[n]` with the cells done, `[C, H, W]` flat, null where not yet computed (backward).
  public var dx: [JSONFloat?]?
  /// `dw` so far (backward: earlier samples whole, this one's cells done).
  public var dw: [JSONFloat]?
  /// `w` after the update steps done (update).
  public var w: [JSONFloat]?
  /// `b` after the update steps done (update).
  public var b: [JSONFloat]?
}

// MARK: - TransposedStepReport

/// Text and JSON renderings of a transposed walk's steps, for `convscope steps`.
public enum TransposedStepReport {
  /// Step `k` (from 0) of `phase` in sample `n`.
  public static func line(_ t: TransposedTrace, phase: Phase, sample n: Int, step k: Int)
    -> TransposedStepLine
  {
    var line = TransposedStepLine(step: k + 1, phase: phase.rawValue)
    if phase == .update {
      line.input = k < t.dims.c ? [k] : nil
      line.updates = k < t.dims.c ? "w[\(k)]" : "b"
      return line
    }
    let (c, i, j) = t.inputCell(step: k)
    let out = t.dims.outputChannels(ofInput: c)
    let taps = t.taps(row: i, column: j)
    line.sample = n
    line.input = [c, i, j]
    line.outputChannels = [out.lowerBound, out.upperBound - 1]
    line.lands = taps.map { [$0.outputRow, $0.outputColumn] }
    line.taps = taps.map { [$0.kernelRow, $0.kernelColumn] }
    let flat = ((n * t.dims.c + c) * t.dims.h + i) * t.dims.w + j
    if phase == .forward {
      line.x = JSONFloat(t.scenario.input.data[flat])
    } else {
      line.dx = JSONFloat(t.gradients.dx.data[flat])
    }
    return line
  }

  /// The header of the text table.
  public static let textHeader = "step  phase     n  cell (c,i,j)  value      lands on"

  /// A readable line: `step phase n (c,i,j) value lands`.
  public static func textLine(_ t: TransposedTrace, phase: Phase, sample n: Int, step k: Int)
    -> String
  {
    let l = line(t, phase: phase, sample: n, step: k)
    func pad(_ s: String, _ w: Int) -> String {
      s + String(repeating: " ", count: max(0, w - s.count))
    }
    if phase == .update {
      return pad("\(k + 1)", 6) + pad("update", 10) + "sets " + (l.updates ?? "")
    }
    let cell = "(" + (l.input ?? []).map(String.init).joined(separator: ",") + ")"
    let value = phase == .forward ? l.x?.value : l.dx?.value
    let lands = (l.lands ?? []).map { "[\($0[0]),\($0[1])]" }.joined(separator: " ")
    let channels =
      l.outputChannels.map { $0[0] == $0[1] ? "y[\($0[0])]" : "y[\($0[0])…\($0[1])]" } ?? ""
    return pad("\(k + 1)", 6) + pad(phase.rawValue, 10) + pad("\(n)", 3) + pad(cell, 14)
      + pad((phase == .forward ? "x " : "dx ") + NumberFormat.short(value ?? 0), 11)
      + (phase == .forward ? channels + " " + lands : "gathers dy at " + lands)
  }

  /// The state after step `k` (from 0) of `phase` in sample `n`.
  public static func state(_ t: TransposedTrace, phase: Phase, sample n: Int, step k: Int)
    -> TransposedStepState
  {
    var s = TransposedStepState(step: k + 1, phase: phase.rawValue)
    let d = t.dims
    switch phase {
    case .forward:
      s.sample = n
      s.y = (0..<d.f).flatMap { f in t.partialOutput(sample: n, channel: f, through: k) }
        .map(JSONFloat.init)
    case .backward:
      s.sample = n
      let plane = d.c * d.h * d.w
      s.dx = (0..<plane).map { q in
        q <= k ? JSONFloat(t.gradients.dx.data[n * plane + q]) : nil
      }
      s.dw = t.partialWeightGradient(sample: n, through: k).data.map(JSONFloat.init)
    default:
      let per = d.groupOutputs * d.kh * d.kw
      s.w = t.scenario.weight.data.indices.map { i in
        JSONFloat(i / per <= k ? t.updatedWeight.data[i] : t.scenario.weight.data[i])
      }
      s.b = (k >= d.c ? t.updatedBias.data : t.scenario.bias.data).map(JSONFloat.init)
    }
    return s
  }
}
