import ConvCore
import NumberText

// MARK: - StepArithmetic

/// A step's arithmetic, as lines of terms that a panel can shorten without losing the total
/// (``StepDetail/arithmetic(symbolic:subStepsDone:ascii:)`` writes it).
public struct StepArithmetic: Sendable, Equatable {
  /// One line: `lhs = symbolic = term₁ + term₂ + … = total note`, or, without a total, a list
  /// `lhs: term₁, term₂, … note`.
  public struct Line: Sendable, Equatable {
    /// What the line computes, e.g. `y[0,2,1,3]` or `dw[2] += dy[1,3]·X[rows 2–4, cols 6–8]`.
    public var lhs: String
    /// The symbolic form before the terms, e.g. `b + Σ x·w` (may be empty).
    public var symbolic: String
    /// The terms, joined by ``separator``.
    public var terms: [Term]
    /// How terms are joined (` + ` or `, `).
    public var separator: String
    /// The result, e.g. `1.34` (always shown), or nil for a list of values.
    public var total: String?
    /// A remark after the total, e.g. `(2 taps on padding: discarded)`.
    public var note: String

    /// A line.
    public init(
      lhs: String, symbolic: String = "", terms: [Term], separator: String = " + ",
      total: String?, note: String = ""
    ) {
      self.lhs = lhs
      self.symbolic = symbolic
      self.terms = terms
      self.separator = separator
      self.total = total
      self.note = note
    }

    /// The whole line.
    public var text: String {
      let body = terms.map(\.text).joined(separator: separator)
      guard let total else { return lhs + ": " + body + note }
      return lhs + (symbolic.isEmpty ? "" : " = " + symbolic) + " = " + body + " = " + total
        + note
    }
  }

  /// One term and what it stands for.
  public struct Term: Sendable, Equatable {
    /// What kind of term it is.
    public enum Kind: Sendable, Equatable {
      /// A product of real data.
      case data
      /// A product with padding (0).
      case padding
      /// The bias.
      case bias
      /// A plain value.
      case value
    }

    /// The text.
    public var text: String
    /// The kind.
    public var kind: Kind
    /// Whether the term is the one the current sub-step adds.
    public var isCurrent: Bool
  }

  /// The lines.
  public var lines: [Line]

  /// All lines joined with newlines.
  public var text: String { lines.map(\.text).joined(separator: "\n") }
}

// MARK: - ArithmeticSymbols

/// The signs of written-out arithmetic, in Unicode or ASCII: the one place that chooses them for
/// the step panel, `steps` and `check` (the terminal's own glyphs are TermUI's `Symbols`).
public struct ArithmeticSymbols: Sendable, Equatable {
  /// `×` or `x`.
  public var times: String
  /// `·` or `*`.
  public var dot: String
  /// `Σ` or `sum`.
  public var sigma: String
  /// `−∞` or `-inf`.
  public var minusInfinity: String
  /// `…` or `...`.
  public var ellipsis: String

  /// The Unicode signs, or the ASCII ones.
  public init(ascii: Bool) {
    times = ascii ? "x" : "×"
    dot = ascii ? "*" : "·"
    sigma = ascii ? "sum" : "Σ"
    minusInfinity = ascii ? "-inf" : "−∞"
    ellipsis = ascii ? "..." : "…"
  }
}

// MARK: - Writing a step's arithmetic

extension StepDetail {
  /// The step's arithmetic, numeric (`0.10 + (1×−1) + …`) or symbolic (`b₂ + x₁₂·w₀₀ + …`).
  ///
  /// - Parameter subStepsDone: for the convolution's phases, how many sub-steps of the window
  ///   are done (nil = all); the term of the last one done is marked current, and an unfinished
  ///   forward window totals only the terms so far.
  public func arithmetic(symbolic: Bool = false, subStepsDone: Int? = nil, ascii: Bool = false)
    -> StepArithmetic
  {
    let writer = ArithmeticWriter(symbolic: symbolic, ascii: ascii)
    switch self {
    case .forward(let w, let taps, _, let bias, let value):
      return writer.forward(
        w, taps: taps, bias: bias, value: value, done: subStepsDone ?? (taps.count + 1))
    case .backward(let w, let gradient, let taps):
      return writer.backward(
        w, gradient: gradient, taps: taps, done: subStepsDone ?? (taps.count + 1))
    case .relu(let w, let input, let output):
      return writer.relu(w, input: input, output: output)
    case .pool(let w, let cells, _, _, _, let value):
      return writer.pool(w, cells: cells, value: value)
    case .poolBackward(let w, let gradient, let argmax):
      return writer.poolBackward(w, gradient: gradient, argmax: argmax)
    case .reluBackward(let w, let input, let gin, let gout):
      return writer.reluBackward(w, input: input, gradientIn: gin, gradientOut: gout)
    case .update(let filter, let before, let gradient, let after, let bb, let bg, let ba, let lr):
      return writer.update(
        filter: filter, weights: (before, gradient, after), bias: (bb, bg, ba), learningRate: lr)
    }
  }
}

/// Writes the lines of a ``StepArithmetic``: the glyphs (Unicode or ASCII), numbers and indices
/// every phase shares, then one method per phase.
private struct ArithmeticWriter {
  typealias Line = StepArithmetic.Line
  typealias Term = StepArithmetic.Term

  /// Symbols (`x₁₂·w₀₀`) instead of numbers.
  let symbolic: Bool
  /// ASCII glyphs and indices.
  let ascii: Bool

  var symbols: ArithmeticSymbols { ArithmeticSymbols(ascii: ascii) }
  var times: String { symbols.times }
  var dot: String { symbols.dot }
  var sigma: String { symbols.sigma }
  var minusInfinity: String { symbols.minusInfinity }

  /// A value, short, with the decimals a map's cells show (2), so that a formula and the map
  /// beside it read the same numbers.
  func f(_ v: Float) -> String { NumberFormat.short(v, ascii: ascii, maxDecimals: 2) }

  /// Indices as a subscript (`₁₂`, or `₁,₁₂` when one has two digits), `[1,2]` in ASCII.
  func sub(_ values: Int...) -> String {
    if ascii { return "[" + values.map(String.init).joined(separator: ",") + "]" }
    let separated = values.contains { $0 >= 10 || $0 < 0 }
    return values.map(ValueFormat.subscripted).joined(separator: separated ? "," : "")
  }

  /// A window's index `[n,f,i,j]`.
  func idx(_ w: WindowRef) -> String { ValueFormat.index("", w.sample, w.filter, w.row, w.column) }

  /// The channel mark of a tap's symbols when the layer has several channels.
  func channelMark(_ channel: Int) -> String {
    ascii ? "c\(channel)" : "⁽\(superscript(channel))⁾"
  }

  // MARK: Phases

  func forward(_ w: WindowRef, taps: [Tap], bias: Float, value: Float, done: Int)
    -> StepArithmetic
  {
    let multiChannel = taps.contains { $0.channel > 0 }
    var terms: [Term] = taps.enumerated().map { (k, t) in
      let ch = multiChannel ? channelMark(t.channel) : ""
      let wch = multiChannel ? channelMark(t.weightChannel) : ""
      let text: String
      if symbolic {
        // A copying padding cell reads the cell it copies: its symbol is that cell's.
        let x = t.isPadding ? "0" : "x\(ch)\(sub(t.sourceRow, t.sourceColumn))"
        text = "\(x)\(dot)w\(wch)\(sub(t.kernelRow, t.kernelColumn))"
      } else {
        text = "(\(t.isPadding ? "0" : f(t.x))\(times)\(f(t.w)))"
      }
      return Term(text: text, kind: t.isPadding ? .padding : .data, isCurrent: done == k + 1)
    }
    let biasText = symbolic ? "b\(sub(w.filter))" : f(bias)
    terms.insert(Term(text: biasText, kind: .bias, isCurrent: done == taps.count + 1), at: 0)
    let partial = taps.prefix(min(done, taps.count)).filter { !$0.isPadding }
      .reduce(Float(0)) { $0 + $1.x * $1.w }
    let complete = done > taps.count
    let current = done >= 1 && done <= taps.count ? taps[done - 1] : nil
    return StepArithmetic(lines: [
      Line(
        lhs: "y\(idx(w))", symbolic: "b + \(sigma) x\(dot)w", terms: terms,
        total: complete ? f(value) : f(bias + partial),
        note: complete
          ? ""
          : "  so far (\(min(done, taps.count)) of \(taps.count) taps)"
            + (current.map { copyNote($0, sample: w.sample, backward: false) } ?? ""))
    ])
  }

  func backward(_ w: WindowRef, gradient: Float, taps: [Tap], done: Int) -> StepArithmetic {
    // Every index written whole, [n,f,i,j] as in the forward line: the window's input cells as
    // inclusive ranges (`x[0,0,2…4,6…8]`), `:` for an axis taken whole.
    // The channels the window reads: `:` for all of them, `2…3` for a group of them.
    let (lo, hi) = (taps.map(\.channel).min() ?? 0, taps.map(\.channel).max() ?? 0)
    let all = lo == 0 && hi == (taps.first?.layerChannels ?? 1) - 1
    let channels = lo == hi ? "\(lo)" : all ? ":" : ValueFormat.range(lo, hi)
    let span = taps.first.map { _ in kernelSpan(taps) } ?? ":,:"
    let inputCells = "[\(w.sample),\(channels),\(span)]"
    let kernel = ValueFormat.index("", w.filter, hi > lo ? nil : 0, nil, nil)
    let dy = "dy\(idx(w))"
    let value = " (\(dy) = \(f(gradient)))"
    // dw gets dy times the input under the window; dx gets dy times the kernel, except where
    // the window lies on padding (there is no input cell to receive it).
    let dwTerms = taps.enumerated().map { (i, t) in
      Term(
        text: symbolic
          ? (t.isPadding ? "0" : "x\(sub(t.sourceRow, t.sourceColumn))")
          : (t.isPadding ? "0" : f(gradient * t.x)),
        kind: t.isPadding ? .padding : .data, isCurrent: done == i + 2)
    }
    let real = taps.filter { !$0.isPadding }.count
    let copies = taps.filter(\.copies).count
    let current = done >= 2 && done <= taps.count + 1 ? taps[done - 2] : nil
    let tapNote = current.map { copyNote($0, sample: w.sample, backward: true) } ?? ""
    let padNote =
      !tapNote.isEmpty
      ? tapNote
      : real < taps.count
        ? "  (\(taps.count - real) on padding: discarded)"
        : copies > 0
          ? "  (\(copies) on padding cells that copy: added to the cells they copy)" : ""
    let dxTerms = taps.enumerated().map { (i, t) in
      Term(
        text: t.isPadding
          ? "pad"
          : (symbolic ? "w\(sub(t.kernelRow, t.kernelColumn))" : f(gradient * t.w)),
        kind: t.isPadding ? .padding : .data, isCurrent: done == i + 2)
    }
    return StepArithmetic(lines: [
      Line(
        lhs: "dw\(kernel) += \(dy)\(dot)x\(inputCells)", terms: dwTerms, separator: ", ",
        total: nil, note: symbolic ? value : ""),
      Line(
        lhs: "dx\(inputCells) += \(dy)\(dot)w\(kernel)", terms: dxTerms, separator: ", ",
        total: nil,
        note: padNote),
      Line(
        lhs: "db[\(w.filter)] += \(dy)",
        terms: [Term(text: f(gradient), kind: .value, isCurrent: done == 1)],
        separator: "", total: nil, note: done == 1 ? "  ← this sub-step" : ""),
    ])
  }

  func relu(_ w: WindowRef, input: Float, output: Float) -> StepArithmetic {
    StepArithmetic(lines: [
      Line(
        lhs: "relu\(idx(w))", symbolic: "max(0, y)",
        terms: [Term(text: "max(0, \(f(input)))", kind: .value, isCurrent: true)],
        total: f(output))
    ])
  }

  func pool(_ w: WindowRef, cells: [Float?], value: Float) -> StepArithmetic {
    // One term, written as a call: `max(1.75, 0.875, 1.375, 1.375)`.
    let values = cells.map { $0.map(f) ?? minusInfinity }.joined(separator: ", ")
    return StepArithmetic(lines: [
      Line(
        lhs: "pool\(idx(w))", symbolic: "max of the window",
        terms: [Term(text: "max(\(values))", kind: .value, isCurrent: true)], total: f(value))
    ])
  }

  func poolBackward(_ w: WindowRef, gradient: Float, argmax: GridPoint) -> StepArithmetic {
    StepArithmetic(lines: [
      Line(
        lhs: ValueFormat.index("d(pool input)", w.sample, w.filter, argmax.row, argmax.column)
          + " += dy\(idx(w))",
        terms: [Term(text: f(gradient), kind: .value, isCurrent: true)], separator: "",
        total: nil, note: "   (the window's maximum takes all of it)")
    ])
  }

  func reluBackward(_ w: WindowRef, input: Float, gradientIn gin: Float, gradientOut gout: Float)
    -> StepArithmetic
  {
    // `dy = [y > 0]·gradient in = 1·0.5 = 0.5   (y = 1.69 > 0)`.
    let passes = input > 0
    return StepArithmetic(lines: [
      Line(
        lhs: "dy\(idx(w))", symbolic: "[y > 0]\(dot)gradient in",
        terms: [Term(text: "\(passes ? 1 : 0)\(dot)\(f(gin))", kind: .value, isCurrent: true)],
        total: f(gout), note: "   (y = \(f(input)) \(passes ? ">" : "≤") 0)")
    ])
  }

  /// The SGD update of one filter: its weights and its bias, each (before, gradient, after).
  func update(
    filter: Int, weights: (before: [Float], gradient: [Float], after: [Float]),
    bias: (before: Float, gradient: Float, after: Float), learningRate lr: Float
  ) -> StepArithmetic {
    let wTerms = weights.before.indices.map {
      Term(
        text:
          "\(f(weights.before[$0])) − \(f(lr))\(dot)\(f(weights.gradient[$0])) = \(f(weights.after[$0]))",
        kind: .value, isCurrent: false)
    }
    return StepArithmetic(lines: [
      Line(
        lhs: ValueFormat.index("w", filter, nil, nil, nil) + " −= lr\(dot)"
          + ValueFormat.index("dw", filter, nil, nil, nil), terms: wTerms, separator: "; ",
        total: nil),
      Line(
        lhs: "b[\(filter)]", symbolic: "b − lr\(dot)db",
        terms: [
          Term(
            text: "\(f(bias.before)) − \(f(lr))\(dot)\(f(bias.gradient))", kind: .value,
            isCurrent: false)
        ],
        total: f(bias.after)),
    ])
  }

  // MARK: Helpers

  /// For a tap on a padding cell that copies an input cell: `  (this tap: padding (−1,0), a
  /// copy of x[0,0,1,0])`, and backward where its dx goes; empty for any other tap.
  func copyNote(_ t: Tap, sample: Int, backward: Bool) -> String {
    guard t.copies else { return "" }
    let at =
      "(\(ValueFormat.range(t.inputRow, t.inputRow)),\(ValueFormat.range(t.inputColumn, t.inputColumn)))"
    let src = ValueFormat.index("x", sample, t.channel, t.sourceRow, t.sourceColumn)
    return "  (this tap: padding \(at), a copy of \(src)"
      + (backward
        ? ": its dx goes to "
          + ValueFormat.index("dx", sample, t.channel, t.sourceRow, t.sourceColumn) : "")
      + ")"
  }

  /// `2…4,6…8`: the rows, then the columns of the input cells the taps read (a padding row above
  /// the input is row −1).
  private func kernelSpan(_ taps: [Tap]) -> String {
    let rows = taps.map(\.inputRow)
    let cols = taps.map(\.inputColumn)
    let (r0, r1) = (rows.min() ?? 0, rows.max() ?? 0)
    let (c0, c1) = (cols.min() ?? 0, cols.max() ?? 0)
    return "\(ValueFormat.range(r0, r1)),\(ValueFormat.range(c0, c1))"
  }

  private func superscript(_ n: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    return String(String(n).compactMap { $0.wholeNumberValue.map { digits[$0] } })
  }
}
