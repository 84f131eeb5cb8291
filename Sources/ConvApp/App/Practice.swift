import ConvCore
import ConvStepper
import TermUI

// MARK: - Practice

/// `Q`: practice questions on the layer on screen (see ``QuizMaker``), answered in the viewer:
/// numbers and sizes are typed, cells are chosen on a grid with the arrows and Space. Each
/// answer gets its verdict and the worked answer at once; Enter goes on; the set ends with a
/// summary.
public struct Practice: Sendable {
  /// The questions and the answers so far.
  public internal(set) var session: QuizSession
  /// What is typed for the current question.
  public internal(set) var typed = ""
  /// The cells chosen for the current cell question.
  public internal(set) var selected: Set<QuizCell> = []
  /// The grid cursor of a cell question.
  public internal(set) var cursor = QuizCell(0, 0)
  /// After an answer: its feedback, shown until Enter; nil while answering.
  public internal(set) var feedback: [String]?

  /// How many questions a `Q` set has (unless the lesson says).
  public static let count = 10

  /// A set of questions on `trace` from `seed`: the lesson's practice (its kinds and count)
  /// when it names one, else ``count`` of every kind.
  /// `focus` is the output cell the walk reaches next: the set's first output-value question
  /// on the layer itself asks for it.
  init(trace: LayerTrace, seed: UInt64, focus: QuizFocus? = nil) throws {
    let plan = trace.scenario.practice
    var maker = try QuizMaker(trace: trace, seed: seed, kinds: plan?.kinds)
    maker.focus = focus
    session = QuizSession(maker: maker, count: plan?.count ?? Practice.count)
    resetAnswer()
  }

  /// The question on screen: the one being answered, or the one just answered.
  public var question: QuizQuestion? {
    if feedback != nil { return session.results.last?.question }
    return session.current
  }

  /// The verdict of the answer just given (while its feedback shows).
  public var verdict: QuizVerdict? {
    feedback == nil ? nil : session.results.last?.verdict
  }

  /// Whether the set is over (the summary shows).
  public var done: Bool { feedback == nil && session.current == nil }

  /// A fresh answer for the current question: nothing typed, nothing chosen, the cursor in the
  /// middle of the grid.
  mutating func resetAnswer() {
    typed = ""
    selected = []
    guard let grid = session.current?.grid else { return }
    cursor = QuizCell(grid.origin.row + grid.size.h / 2, grid.origin.column + grid.size.w / 2)
  }

  /// Submits the answer: the chosen cells for a cell question, else what is typed.
  mutating func submit() {
    guard let q = session.current else { return }
    let text = q.grid != nil ? QuizAnswer.cells(selected).text : typed
    feedback = session.answer(text)
  }

  /// Moves the grid cursor by `dr` rows and `dc` columns, within the grid.
  mutating func move(_ dr: Int, _ dc: Int) {
    guard let grid = session.current?.grid else { return }
    let row = min(max(cursor.row + dr, grid.origin.row), grid.origin.row + grid.size.h - 1)
    let column = min(
      max(cursor.column + dc, grid.origin.column), grid.origin.column + grid.size.w - 1)
    cursor = QuizCell(row, column)
  }
}

// MARK: - Keys

/// Opens practice on the layer on screen; each `Q` a new set.
func openPractice(_ model: inout Model) {
  model.practiceSets += 1
  do {
    model.practice = try Practice(
      trace: model.trace, seed: UInt64(model.practiceSets), focus: nextOutputCell(model))
    model.message = nil
  } catch {
    model.message = Message("Practice: \(error)", kind: .error)
  }
}

/// The output cell of the forward pass the walk reaches next (the current one at the end), when
/// the walk is in the forward pass.
func nextOutputCell(_ model: Model) -> QuizFocus? {
  guard model.phase == .forward else { return nil }
  let tick = model.timeline.nextTick(after: model.state.tick, .window) ?? model.state.tick
  return (model.timeline.state(at: tick).window ?? model.state.window).map(QuizFocus.init)
}

/// A key while practice is open.
func practiceKey(_ model: inout Model, _ key: Key) {
  guard var p = model.practice else { return }
  if key == .escape || (p.done && key == .enter) {
    model.practice = nil
    model.message = Message(
      "Practice: " + (p.session.summary.first ?? "") + " Q starts another set.",
      kind: !p.session.results.isEmpty && p.session.score == p.session.results.count
        ? .success : .info)
    return
  }
  if p.feedback != nil {
    if key == .enter || key == .right || key == .character(" ") {
      p.feedback = nil
      p.resetAnswer()
    }
  } else if p.session.current?.grid != nil {
    cellKey(&p, key)
  } else {
    typingKey(&p, key)
  }
  model.practice = p
}

/// Arrows (or hjkl) move, Space chooses or drops a cell, Backspace drops them all, Enter answers.
private func cellKey(_ p: inout Practice, _ key: Key) {
  switch key {
  case .up, .character("k"): p.move(-1, 0)
  case .down, .character("j"): p.move(1, 0)
  case .left, .character("h"): p.move(0, -1)
  case .right, .character("l"): p.move(0, 1)
  case .character(" "):
    if p.selected.contains(p.cursor) {
      p.selected.remove(p.cursor)
    } else {
      p.selected.insert(p.cursor)
    }
  case .backspace: p.selected = []
  case .enter: p.submit()
  default: break
  }
}

/// Characters of a number or a size are typed; Backspace deletes; Enter answers.
private func typingKey(_ p: inout Practice, _ key: Key) {
  switch key {
  case .character(let c) where "0123456789.-+eExX×, ".contains(c) && p.typed.count < 24:
    p.typed.append(c)
  case .backspace:
    if !p.typed.isEmpty { p.typed.removeLast() }
  case .enter:
    if !p.typed.isEmpty { p.submit() }
  default: break
  }
}
