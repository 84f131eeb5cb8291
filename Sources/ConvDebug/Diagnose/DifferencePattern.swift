import ConvCore
import ConvStepper

// MARK: - DifferencePattern

/// Where a tensor's differing cells lie, for when no known mistake explains them: along each
/// axis the indices that hold a differing cell, whether they are only on the border, and the
/// viewer's windows that show them.
public struct DifferencePattern: Sendable, Equatable {
  /// One axis of the tensor and the indices along it that hold a differing cell.
  public struct Axis: Sendable, Equatable {
    /// What the axis counts: `sample`, `filter`, `channel`, `row`, `column`.
    public var name: String
    /// The index letter of the tensor's formulas: `n`, `f`, `c`, `i`, `j`, `h`, `w`, `p`, `q`.
    public var letter: String
    /// The axis' length.
    public var size: Int
    /// The indices that hold a differing cell, ascending.
    public var differing: [Int]

    /// Whether only some indices hold a differing cell.
    public var isRestricted: Bool { differing.count < size }
  }

  /// Which tensor.
  public var tensor: CheckedTensor
  /// How many cells differ.
  public var differing: Int
  /// How many cells the tensor has.
  public var cells: Int
  /// The axes, channels first.
  public var axes: [Axis]
  /// Whether every differing cell lies in the first or last row or column of its map while
  /// the cells inside are right (rank-4 tensors with maps of at least 3×3).
  public var borderOnly: Bool
  /// The phase whose windows show the differences.
  public var phase: Phase
  /// The windows of ``phase`` that show a difference, 0-based global indices, ascending.
  public var windows: [Int]
  /// How many windows ``phase`` has.
  public var windowCount: Int

  /// `only filter f = 1 (of 0…2); rows i = 0, 5 (of 0…5)` — the restrictions, or that the
  /// differences are spread over every axis.
  public var summary: String {
    var parts: [String] = []
    if borderOnly { parts.append("only on the border (the first and last rows and columns)") }
    for a in axes where a.isRestricted {
      let values = DifferencePattern.list(a.differing)
      let range = a.size == 1 ? "0" : "0…\(a.size - 1)"
      parts.append(
        a.differing.count == 1
          ? "only \(a.name) \(a.letter) = \(values) (of \(range))"
          : "\(a.name)s \(a.letter) = \(values) (of \(range))")
    }
    if parts.isEmpty {
      let names = axes.filter { $0.size > 1 }.map(\.name)
      return names.isEmpty
        ? "its one cell" : "spread over every " + DifferencePattern.words(names)
    }
    return parts.joined(separator: "; ")
  }

  /// The whole sentence: `y differs in 24 of 252 cells: only filter f = 1 (of 0…2).`
  public var text: String {
    "\(tensor) differs in \(differing) of \(cells) cells: \(summary)."
  }

  /// `In the viewer: forward windows 3, 9, 10, … (24 of 252).`, nil when no window shows them.
  public var windowsText: String? {
    guard !windows.isEmpty else { return nil }
    let what: String
    switch phase {
    case .forward: what = "forward window"
    case .backward: what = "backward window"
    default: what = "update step"
    }
    let shown = DifferencePattern.list(windows.map { $0 + 1 })
    return "In the viewer: \(what)\(windows.count == 1 ? "" : "s") \(shown) "
      + "(\(windows.count) of \(windowCount))."
  }

  /// `0, 2, 5` — the first eight, then `…`; runs of four or more as `3…9`.
  static func list(_ values: [Int]) -> String {
    var runs: [String] = []
    var k = 0
    while k < values.count {
      var end = k
      while end + 1 < values.count && values[end + 1] == values[end] + 1 { end += 1 }
      if end - k >= 3 {
        runs.append("\(values[k])…\(values[end])")
      } else {
        runs += values[k...end].map(String.init)
      }
      k = end + 1
    }
    return runs.count > 8
      ? runs.prefix(8).joined(separator: ", ") + ", …"
      : runs.joined(
        separator: ", ")
  }

  /// `sample, filter, row and column`.
  static func words(_ names: [String]) -> String {
    guard names.count > 1, let last = names.last else { return names.first ?? "" }
    return names.dropLast().joined(separator: ", ") + " and " + last
  }
}

// MARK: - The pattern of a comparison

extension Comparison {
  /// Where `tensor`'s differing cells lie; nil when it was not given, has the wrong shape or
  /// agrees.
  public func differencePattern(_ tensor: CheckedTensor) -> DifferencePattern? {
    guard let r = self[tensor], r.shapeMatches, !r.mismatches.isEmpty else { return nil }
    let shape = r.expectedShape
    let names = DifferencePattern.axisNames(tensor)
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
    let g = trace.geometry
    let phase: Phase
    let windowCount: Int
    switch tensor {
    case .y, .dx:
      phase = tensor == .y ? .forward : .backward
      windowCount = g.batch * g.config.filters * g.output.h * g.output.w
    case .dw, .db:
      phase = .update
      windowCount = g.config.filters
    }
    let windows = mismatchWindows(in: phase)
    return DifferencePattern(
      tensor: tensor, differing: r.mismatches.count, cells: r.cellCount, axes: axes,
      borderOnly: border, phase: phase, windows: windows, windowCount: windowCount)
  }
}

extension DifferencePattern {
  /// The axes of a checked tensor, channels first: what each counts and its index letter.
  static func axisNames(_ tensor: CheckedTensor) -> [(name: String, letter: String)] {
    switch tensor {
    case .y: return [("sample", "n"), ("filter", "f"), ("row", "i"), ("column", "j")]
    case .dx: return [("sample", "n"), ("channel", "c"), ("row", "h"), ("column", "w")]
    case .dw: return [("filter", "f"), ("channel", "c"), ("row", "p"), ("column", "q")]
    case .db: return [("filter", "f")]
    }
  }
}
