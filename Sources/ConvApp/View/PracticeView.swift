import ConvStepper
import TermUI

// MARK: - PracticeView

/// Practice (`Q`) drawn over the screen: the question, the answer being typed or the grid the
/// cells are chosen on, then the verdict and the worked answer; at the end the summary.
enum PracticeView {
  /// One line of the box: its text and style.
  typealias Line = (text: String, style: Style)

  /// Draws `p` over `buffer`.
  static func render(
    _ p: Practice, capabilities: Capabilities, theme: Theme, into buffer: inout CellBuffer
  ) {
    let width = min(buffer.width, 104)
    let box = Rect(
      x: (buffer.width - width) / 2, y: 1, width: width, height: buffer.height - 2)
    guard box.width >= 20, box.height >= 6 else { return }
    // The maps beside a centred box would only distract: practice has the screen to itself
    // between the title and the status bar.
    buffer.fill(
      Rect(x: 0, y: 1, width: buffer.width, height: buffer.height - 2),
      with: Cell(" ", style: theme.text))
    let inner = Panel(
      title: title(p), footer: hint(p), focused: true, capabilities: capabilities, theme: theme
    ).render(into: &buffer, area: box)
    var lines = p.done ? summary(p, theme: theme) : question(p, width: inner.width, theme: theme)
    let grid = p.done ? nil : p.question?.grid
    var after = p.done ? [] : answer(p, width: inner.width, theme: theme)
    let fullGrid = grid.map { $0.size.h + 1 } ?? 0
    let smallGrid = min(fullGrid, 4)
    // Too tall: the question's indented numbers go first once answered, then the grid shrinks
    // (it scrolls), then lines at the end of the feedback.
    if p.feedback != nil, lines.count + after.count + smallGrid > inner.height {
      lines = lines.filter { !$0.text.hasPrefix("  ") }
    }
    let gridRows = min(fullGrid, max(smallGrid, inner.height - lines.count - after.count))
    let room = inner.height - gridRows
    if lines.count + after.count > room {
      after = Array(after.prefix(max(2, room - lines.count)))
    }
    var y = inner.y
    for line in lines.prefix(max(0, room - after.count)) {
      write(line, at: &y, inner: inner, capabilities: capabilities, into: &buffer)
    }
    if let grid, gridRows > 0 {
      let area = Rect(x: inner.x, y: y, width: inner.width, height: gridRows)
      PracticeGrid(practice: p, grid: grid, capabilities: capabilities, theme: theme)
        .render(into: &buffer, area: area)
      y += gridRows
    }
    for line in after {
      write(line, at: &y, inner: inner, capabilities: capabilities, into: &buffer)
    }
  }

  /// Writes one line and moves down, clipped to `inner`.
  static func write(
    _ line: Line, at y: inout Int, inner: Rect, capabilities: Capabilities,
    into buffer: inout CellBuffer
  ) {
    guard y < inner.y + inner.height else { return }
    let text = TextFit.truncate(
      capabilities.drawable(" " + line.text), width: inner.width,
      ellipsis: capabilities.symbols.ellipsis)
    buffer.write(text, x: inner.x, y: y, style: line.style, clip: inner)
    y += 1
  }

  /// `Practice · question 3 of 10 · 2 right`.
  static func title(_ p: Practice) -> String {
    let s = p.session
    if p.done { return "Practice · done" }
    let number = s.results.count + (p.feedback == nil ? 1 : 0)
    return "Practice · question \(number) of \(s.questions.count) · \(s.score) right"
  }

  /// The keys that work now.
  static func hint(_ p: Practice) -> String {
    if p.done { return "Enter or Esc closes" }
    if p.feedback != nil { return "Enter next · Esc stops" }
    if p.question?.grid != nil { return "arrows move · Space chooses · Enter answers · Esc stops" }
    return "type the answer · Enter answers · Esc stops"
  }

  /// The question's lines: its kind, then its text (sentences wrapped, numbers kept whole).
  static func question(_ p: Practice, width: Int, theme: Theme) -> [Line] {
    guard let q = p.question else { return [] }
    var lines: [Line] = [("\(q.kind.title) · level \(q.level + 1)", theme.dim)]
    for text in q.lines {
      if q.grid != nil, text.hasPrefix("Type them as") {
        lines.append(
          ("Choose them on the grid: arrows move, Space chooses, Enter answers.", theme.dim))
      } else if text.hasPrefix("  ") {
        lines.append((text, theme.text))
      } else {
        lines += TextFit.wrap(text, width: max(10, width - 2)).map { ($0, theme.emphasis) }
      }
    }
    return lines
  }

  /// The answer line while answering; the verdict and the worked answer after.
  static func answer(_ p: Practice, width: Int, theme: Theme) -> [Line] {
    guard let feedback = p.feedback, let verdict = p.verdict else {
      if p.question?.grid != nil {
        return [("Chosen: " + QuizAnswer.cells(p.selected).text, theme.text)]
      }
      return [("", theme.text), ("Your answer: " + p.typed + "▏", theme.accent)]
    }
    var lines: [Line] = [("", theme.text)]
    var shown = feedback
    if case .cells(let right)? = p.question?.answer, !verdict.isRight, p.question?.grid != nil {
      // The grid shows which cells: say how many, not the list.
      let hit = p.selected.intersection(right).count
      let extra = p.selected.subtracting(right).count
      shown =
        [
          "Not quite: \(hit) of \(right.count) right, \(right.count - hit) missed (○)"
            + (extra > 0 ? ", \(extra) too many (×)" : "") + "."
        ] + (p.question?.worked ?? []).map { "  " + $0 }
    }
    for (k, text) in shown.enumerated() {
      let style = k == 0 ? (verdict.isRight ? theme.success : theme.error) : theme.text
      let indent = text.prefix { $0 == " " }
      lines += TextFit.wrap(String(text.dropFirst(indent.count)), width: max(10, width - 4))
        .map { (String(indent) + $0, style) }
    }
    return lines
  }

  /// The summary of a finished set.
  static func summary(_ p: Practice, theme: Theme) -> [Line] {
    let s = p.session
    var lines: [Line] = [(s.summary.first ?? "", theme.emphasis), ("", theme.text)]
    lines += s.summary.dropFirst().map { ($0, theme.text) }
    lines += [("", theme.text), ("Q starts another set with other questions.", theme.dim)]
    return lines
  }
}

// MARK: - PracticeGrid

/// The grid a cell question's cells are chosen on: a mark per cell (`·` free, `■` chosen), the
/// cursor in reverse, rows and columns numbered as the question numbers them. After the answer:
/// `■` right, `○` missed, `×` chosen but wrong. Scrolls to keep the cursor in view.
struct PracticeGrid {
  let practice: Practice
  let grid: QuizGrid
  let capabilities: Capabilities
  let theme: Theme

  /// Columns a cell takes.
  static let cellWidth = 3
  /// Columns of the row numbers.
  static let labelWidth = 5

  func render(into buffer: inout CellBuffer, area: Rect) {
    let rows = max(1, area.height - 1)
    let columns = max(1, (area.width - PracticeGrid.labelWidth) / PracticeGrid.cellWidth)
    var focus = practice.cursor
    if practice.feedback != nil, case .cells(let right)? = practice.question?.answer {
      focus = right.sorted().first ?? grid.origin
    }
    let top = PracticeGrid.first(
      of: rows, around: focus.row - grid.origin.row, length: grid.size.h)
    let left = PracticeGrid.first(
      of: columns, around: focus.column - grid.origin.column, length: grid.size.w)
    var header = String(repeating: " ", count: PracticeGrid.labelWidth)
    for c in left..<min(grid.size.w, left + columns) {
      header += TextFit.pad(
        "\(grid.origin.column + c)", width: PracticeGrid.cellWidth, alignment: .right)
    }
    buffer.write(header, x: area.x, y: area.y, style: theme.dim, clip: area)
    for (k, r) in (top..<min(grid.size.h, top + rows)).enumerated() {
      let y = area.y + 1 + k
      let label = TextFit.pad(
        "\(grid.origin.row + r)", width: PracticeGrid.labelWidth - 1, alignment: .right)
      buffer.write(label, x: area.x, y: y, style: theme.dim, clip: area)
      for (j, c) in (left..<min(grid.size.w, left + columns)).enumerated() {
        let cell = QuizCell(grid.origin.row + r, grid.origin.column + c)
        let (mark, style) = look(cell)
        let x = area.x + PracticeGrid.labelWidth + j * PracticeGrid.cellWidth + 1
        buffer.write(String(mark), x: x, y: y, style: style, clip: area)
      }
    }
  }

  /// The first of `visible` positions to show of `length`, keeping `focus` in view.
  static func first(of visible: Int, around focus: Int, length: Int) -> Int {
    guard length > visible else { return 0 }
    return min(max(0, focus - visible / 2), length - visible)
  }

  /// A cell's mark and style.
  func look(_ cell: QuizCell) -> (Character, Style) {
    let u = capabilities.unicode
    let chosen = practice.selected.contains(cell)
    guard practice.feedback != nil, case .cells(let right)? = practice.question?.answer else {
      var style = chosen ? theme.accent : theme.dim
      if cell == practice.cursor { style.attributes.insert(.reverse) }
      return (chosen ? (u ? "■" : "#") : (u ? "·" : "."), style)
    }
    switch (chosen, right.contains(cell)) {
    case (true, true): return (u ? "■" : "#", theme.success)
    case (false, true): return (u ? "○" : "o", theme.warning)
    case (true, false): return (u ? "×" : "x", theme.error)
    case (false, false): return (u ? "·" : ".", theme.dim)
    }
  }
}
