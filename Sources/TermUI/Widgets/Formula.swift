// MARK: - Formula

/// A sum written out: `lhs = symbolic = term + term + … = total`, e.g.
/// `y[0,2,1,3] = b + Σ x·w = 0.10 + (1.00×−1) + (0.50×0.25) + … = 1.34`.
public struct Formula: Sendable, Hashable {
  /// The left-hand side, e.g. `y[0,2,1,3]`.
  public var lhs: String
  /// The symbolic form, e.g. `b + Σ x·w` (empty for none).
  public var symbolic: String
  /// The terms of the sum, already formatted, e.g. `0.10`, `(1.00×−1)`.
  public var terms: [String]
  /// The result, e.g. `1.34`.
  public var total: String
  /// The term to highlight and always keep visible (e.g. the current tap).
  public var highlight: Int?
  /// What joins terms (` + `).
  public var joiner: String

  /// A formula.
  public init(
    lhs: String, symbolic: String = "", terms: [String], total: String, highlight: Int? = nil,
    joiner: String = " + "
  ) {
    self.lhs = lhs
    self.symbolic = symbolic
    self.terms = terms
    self.total = total
    self.highlight = highlight
    self.joiner = joiner
  }

  /// The formula with common mathematical symbols spelled in ASCII
  /// (`×`→`x`, `−`→`-`, `·`→`*`, `Σ`→`sum`, `…`→`...`, `≠`→`!=`).
  public func asciified() -> Formula {
    func a(_ s: String) -> String { Formula.ascii(s) }
    return Formula(
      lhs: a(lhs), symbolic: a(symbolic), terms: terms.map(a), total: a(total),
      highlight: highlight, joiner: a(joiner))
  }

  /// The formula with control characters replaced by spaces (``TextFit/singleLine(_:)``).
  public func singleLine() -> Formula {
    let l = TextFit.singleLine
    return Formula(
      lhs: l(lhs), symbolic: l(symbolic), terms: terms.map(l), total: l(total),
      highlight: highlight, joiner: l(joiner))
  }

  /// `s` with the symbols of ``asciified()`` replaced (see ``TextFit/ascii(_:)``).
  public static func ascii(_ s: String) -> String { TextFit.ascii(s) }
}

// MARK: - FormulaSpan

/// A piece of a fitted formula line and what it is.
public struct FormulaSpan: Sendable, Hashable {
  /// What a span is, for styling.
  public enum Role: Sendable, Hashable {
    /// The left-hand side.
    case lhs
    /// `=`, `+` and spaces.
    case op
    /// The symbolic form.
    case symbolic
    /// A term.
    case term
    /// The highlighted term.
    case highlight
    /// The mark standing for left-out terms.
    case ellipsis
    /// The result.
    case total
  }

  /// The text.
  public var text: String
  /// Its role.
  public var role: Role

  /// A span.
  public init(_ text: String, _ role: Role) {
    self.text = text
    self.role = role
  }
}

// MARK: - FormulaText

/// Fits a ``Formula`` into a width and a number of lines.
///
/// The left-hand side and `= total` are always shown (the left-hand side is cut only when even
/// `lhs = total` does not fit). When terms do not fit, the ones left out become `…`: the
/// highlighted term is kept first, then terms alternately from the start and the end. The
/// symbolic form is dropped before fewer than two terms would remain. On several lines the
/// formula wraps between terms, continuation lines indented by two columns.
public struct FormulaText: Sendable {
  /// The formula.
  public var formula: Formula
  /// What the output can show (ASCII turns symbols into ASCII, `…` into `...`).
  public var capabilities: Capabilities
  /// Styles.
  public var theme: Theme

  /// A formula text.
  public init(formula: Formula, capabilities: Capabilities, theme: Theme? = nil) {
    self.formula = formula
    self.capabilities = capabilities
    self.theme = theme ?? .standard(for: capabilities)
  }

  /// The fitted lines for `width` columns and at most `maxLines` lines.
  public func lines(width: Int, maxLines: Int) -> [[FormulaSpan]] {
    guard width > 0, maxLines > 0 else { return [] }
    let f = (capabilities.unicode ? formula : formula.asciified()).singleLine()
    let ellipsis = capabilities.symbols.termsLeftOut
    let n = f.terms.count
    let order = keepOrder(count: n, highlight: f.highlight)
    let m = Measures(f, ellipsis: ellipsis)

    // Attempts are measured on lengths alone; spans are built once, for the winner.
    func plan(kept: Int, symbolic: Bool) -> [Item] {
      var keep = [Bool](repeating: false, count: n)
      for i in order.prefix(kept) { keep[i] = true }
      return items(m, keep: keep, symbolic: symbolic && !f.symbolic.isEmpty)
    }
    func fits(_ items: [Item]) -> Bool { measure(items, width: width, maxLines: maxLines) }
    func best(min lower: Int, symbolic: Bool) -> [Item]? {
      guard lower <= n else { return nil }
      let first = plan(kept: lower, symbolic: symbolic)
      guard fits(first) else { return nil }
      var chosen = first
      var lo = lower
      var hi = n
      while lo < hi {  // fewer terms never need more lines
        let mid = (lo + hi + 1) / 2
        let p = plan(kept: mid, symbolic: symbolic)
        if fits(p) {
          chosen = p
          lo = mid
        } else {
          hi = mid - 1
        }
      }
      return chosen
    }

    // Everything, then the most terms with the symbolic form (at least 2), then without it.
    let full = plan(kept: n, symbolic: true)
    if fits(full) { return spans(full, f, ellipsis: ellipsis, width: width) }
    if !f.symbolic.isEmpty, let p = best(min: min(2, n), symbolic: true) {
      return spans(p, f, ellipsis: ellipsis, width: width)
    }
    if let p = best(min: min(1, n), symbolic: false) {
      return spans(p, f, ellipsis: ellipsis, width: width)
    }
    let bare = plan(kept: 0, symbolic: false)
    if fits(bare) { return spans(bare, f, ellipsis: ellipsis, width: width) }
    return [cutLine(f, width: width)]
  }

  /// The last resort on one line: `lhs = total` with the lhs cut, then the total alone.
  private func cutLine(_ f: Formula, width: Int) -> [FormulaSpan] {
    let ellipsis = capabilities.symbols.ellipsis
    let tail = " = " + f.total
    if tail.count < width {
      let lhs = TextFit.truncate(f.lhs, width: width - tail.count, ellipsis: ellipsis)
      return [FormulaSpan(lhs, .lhs), FormulaSpan(" = ", .op), FormulaSpan(f.total, .total)]
    }
    return [FormulaSpan(TextFit.truncate(f.total, width: width, ellipsis: ellipsis), .total)]
  }

  /// Term indices in the order they are kept: the highlight, then first, last, second, …
  private func keepOrder(count n: Int, highlight: Int?) -> [Int] {
    var order: [Int] = []
    order.reserveCapacity(n)
    let h = highlight.flatMap { $0 >= 0 && $0 < n ? $0 : nil }
    if let h { order.append(h) }
    var lo = 0
    var hi = n - 1
    while lo <= hi {
      if lo != h { order.append(lo) }
      if hi != lo && hi != h { order.append(hi) }
      lo += 1
      hi -= 1
    }
    return order
  }

  /// The column counts of a formula's parts, computed once.
  private struct Measures {
    var lhs: Int
    var symbolic: Int
    var terms: [Int]
    var total: Int
    var ellipsis: Int
    var joiner: Int

    init(_ f: Formula, ellipsis: String) {
      lhs = f.lhs.count
      symbolic = f.symbolic.count
      terms = f.terms.map(\.count)
      total = f.total.count
      self.ellipsis = ellipsis.count
      joiner = f.joiner.trimmingLeadingSpaces.count
    }
  }

  /// One unbreakable piece of the formula: what it shows, whether it opens with `= ` or the
  /// joiner, and its width (opener included, the space before it not).
  private struct Item {
    enum Piece {
      case lhs, symbolic
      case term(Int)
      case ellipsis, total
    }
    var piece: Piece
    var equals: Bool
    var length: Int
  }

  private func items(_ m: Measures, keep: [Bool], symbolic: Bool) -> [Item] {
    var out = [Item(piece: .lhs, equals: false, length: m.lhs)]
    if symbolic { out.append(Item(piece: .symbolic, equals: true, length: 2 + m.symbolic)) }
    var first = true
    var skipped = false
    func add(_ piece: Item.Piece, _ length: Int) {
      out.append(Item(piece: piece, equals: first, length: (first ? 2 : m.joiner) + length))
      first = false
    }
    for i in keep.indices {
      if keep[i] {
        if skipped { add(.ellipsis, m.ellipsis) }
        skipped = false
        add(.term(i), m.terms[i])
      } else {
        skipped = true
      }
    }
    if skipped { add(.ellipsis, m.ellipsis) }
    out.append(Item(piece: .total, equals: true, length: 2 + m.total))
    return out
  }

  /// Whether `items` wrap into `maxLines` lines of `width` columns: a piece follows the previous
  /// one after a space, or starts a continuation line indented by two columns.
  private func measure(_ items: [Item], width: Int, maxLines: Int) -> Bool {
    var lines = 1
    var used = -1
    for item in items {
      if used < 0 {
        used = item.length
      } else if used + 1 + item.length <= width {
        used += 1 + item.length
      } else {
        lines += 1
        used = 2 + item.length
      }
      if used > width || lines > maxLines { return false }
    }
    return true
  }

  private func spans(_ items: [Item], _ f: Formula, ellipsis: String, width: Int)
    -> [[FormulaSpan]]
  {
    let joiner = FormulaSpan(f.joiner.trimmingLeadingSpaces, .op)
    var lines: [[FormulaSpan]] = []
    var line: [FormulaSpan] = []
    var used = -1
    for item in items {
      if used < 0 {
        used = item.length
      } else if used + 1 + item.length <= width {
        line.append(FormulaSpan(" ", .op))
        used += 1 + item.length
      } else {
        lines.append(line)
        line = [FormulaSpan("  ", .op)]
        used = 2 + item.length
      }
      switch item.piece {
      case .lhs:
        line.append(FormulaSpan(f.lhs, .lhs))
        continue
      case .symbolic, .total:
        line.append(FormulaSpan("= ", .op))
      case .term, .ellipsis:
        line.append(item.equals ? FormulaSpan("= ", .op) : joiner)
      }
      switch item.piece {
      case .symbolic: line.append(FormulaSpan(f.symbolic, .symbolic))
      case .total: line.append(FormulaSpan(f.total, .total))
      case .ellipsis: line.append(FormulaSpan(ellipsis, .ellipsis))
      case .term(let i): line.append(FormulaSpan(f.terms[i], i == f.highlight ? .highlight : .term))
      case .lhs: break
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  /// The style of a span role.
  public func style(for role: FormulaSpan.Role) -> Style {
    switch role {
    case .lhs: return theme.emphasis
    case .op: return theme.dim
    case .symbolic: return theme.info
    case .term: return theme.text
    case .highlight:
      var s = theme.accent
      s.attributes.insert(capabilities.color == .none ? .reverse : .underline)
      return s
    case .ellipsis: return theme.dim
    case .total: return theme.accent
    }
  }

  /// Draws the fitted formula from the top of `area`; returns the number of lines drawn.
  @discardableResult
  public func render(into buffer: inout CellBuffer, area: Rect) -> Int {
    let clip = area.intersection(buffer.area)
    let fitted = lines(width: area.width, maxLines: area.height)
    for (i, line) in fitted.enumerated() {
      var x = area.x
      for span in line {
        x = buffer.write(span.text, x: x, y: area.y + i, style: style(for: span.role), clip: clip)
      }
    }
    return fitted.count
  }
}

extension String {
  /// The string without leading spaces.
  var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}

// MARK: - FormulaPanel

/// A ``Panel`` holding a ``FormulaText`` (wrapped over the inside's height) and optional notes
/// under it.
public struct FormulaPanel: Sendable {
  /// The panel's title.
  public var title: String
  /// The formula.
  public var formula: Formula
  /// Lines of plain text drawn under the formula when there is room.
  public var notes: [String]
  /// Whether the panel has the focus.
  public var focused: Bool
  /// What the output can show.
  public var capabilities: Capabilities
  /// Styles.
  public var theme: Theme

  /// A formula panel.
  public init(
    title: String, formula: Formula, notes: [String] = [], focused: Bool = false,
    capabilities: Capabilities, theme: Theme? = nil
  ) {
    self.title = title
    self.formula = formula
    self.notes = notes
    self.focused = focused
    self.capabilities = capabilities
    self.theme = theme ?? .standard(for: capabilities)
  }

  /// Draws the panel; returns its inside.
  @discardableResult
  public func render(into buffer: inout CellBuffer, area: Rect) -> Rect {
    let inner = Panel(title: title, focused: focused, capabilities: capabilities, theme: theme)
      .render(into: &buffer, area: area)
    let body = inner.inset(left: 1, right: 1).width > 0 ? inner.inset(left: 1, right: 1) : inner
    let formulaLines = max(1, body.height - notes.count)
    let used = FormulaText(formula: formula, capabilities: capabilities, theme: theme)
      .render(
        into: &buffer, area: Rect(x: body.x, y: body.y, width: body.width, height: formulaLines))
    var y = body.y + used
    for note in notes where y < body.maxY {
      buffer.write(
        capabilities.drawable(note), x: body.x, y: y, width: body.width, style: theme.dim,
        ellipsis: capabilities.symbols.ellipsis, clip: body.intersection(buffer.area))
      y += 1
    }
    return inner
  }
}
