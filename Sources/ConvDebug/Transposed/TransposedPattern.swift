import ConvCore
import ConvStepper

// MARK: - Where a transposed layer's differences lie

extension TransposedComparison {
  /// Where `tensor`'s differing cells lie (samples, channels, rows, columns, the border), for a
  /// tensor no known mistake explains; nil when it was not given, has the wrong shape or
  /// agrees. A transposed layer has no conv2d window, so no viewer windows are listed
  /// (``DifferencePattern/windows`` is empty).
  public func differencePattern(_ tensor: CheckedTensor) -> DifferencePattern? {
    guard let r = self[tensor], r.shapeMatches, !r.mismatches.isEmpty else { return nil }
    let shape = r.expectedShape
    let names = Self.axisNames(tensor)
    guard names.count == shape.count else { return nil }
    var seen = shape.map { [Bool](repeating: false, count: $0) }
    var border = shape.count == 4 && shape[2] >= 3 && shape[3] >= 3
    for flat in r.mismatches {
      var rest = flat
      for a in stride(from: shape.count - 1, through: 0, by: -1) {
        seen[a][rest % shape[a]] = true
        rest /= shape[a]
      }
      if border {
        let (h, w) = (flat / shape[3] % shape[2], flat % shape[3])
        border = h == 0 || w == 0 || h == shape[2] - 1 || w == shape[3] - 1
      }
    }
    let axes = names.enumerated().map { a, name in
      DifferencePattern.Axis(
        name: name.name, letter: name.letter, size: shape[a],
        differing: seen[a].indices.filter { seen[a][$0] })
    }
    let phase: Phase = tensor == .y ? .forward : tensor == .dx ? .backward : .update
    return DifferencePattern(
      tensor: tensor, differing: r.mismatches.count, cells: r.cellCount, axes: axes,
      borderOnly: border, phase: phase, windows: [], windowCount: 0)
  }

  /// The axes of a transposed layer's tensor, channels first: `w` and `dw` are
  /// `[C, F/G, KH, KW]`.
  static func axisNames(_ tensor: CheckedTensor) -> [(name: String, letter: String)] {
    switch tensor {
    case .y: return [("sample", "n"), ("output channel", "f"), ("row", "i"), ("column", "j")]
    case .dx: return [("sample", "n"), ("channel", "c"), ("row", "h"), ("column", "w")]
    case .dw:
      return [("input channel", "c"), ("output channel", "f′"), ("row", "p"), ("column", "q")]
    case .db: return [("output channel", "f")]
    }
  }
}
