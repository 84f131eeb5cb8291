import ConvCore
import ConvLessons
import ConvStepper
import TermUI
import Testing

@testable import ConvApp

// MARK: - Practice in the viewer (Q)

@Suite("Practice in the viewer: Q, typed answers, cells chosen on the grid")
struct PracticeTests {
  /// Answers the question on screen the way a student would with the keys: types a number or
  /// a size; for cells, walks the cursor to each one and presses Space. `right` false answers
  /// wrongly (a size or number off, or one cell too few/many).
  static func answer(_ m: inout Model, right: Bool) throws {
    let p = try #require(m.practice)
    let q = try #require(p.question)
    switch q.answer {
    case .cells(var cells):
      if !right {
        if let first = cells.sorted().first {
          cells.remove(first)
        } else if let g = q.grid {
          cells.insert(g.origin)
        }
      }
      var cursor = p.cursor
      for cell in cells.sorted() {
        for _ in 0..<abs(cell.row - cursor.row) { send(&m, cell.row > cursor.row ? "Down" : "Up") }
        for _ in 0..<abs(cell.column - cursor.column) {
          send(&m, cell.column > cursor.column ? "Right" : "Left")
        }
        cursor = cell
        send(&m, "Space")
      }
    case .size(let s):
      type(&m, right ? q.answer.text : "\(s.h + 1)x\(s.w)")
    case .number(let v, let tolerance):
      type(&m, right ? q.answer.text : NumberFormatForTests.text(v + 10 * tolerance + 1))
    }
    send(&m, "Enter")
  }

  static func type(_ m: inout Model, _ text: String) {
    for c in text { _ = update(&m, .key(.character(c))) }
  }

  @Test("Q opens the questions; answered right with the keys, every set scores full marks")
  func allRight() throws {
    let pooling = try ScenarioBuilder.build(try BuiltinLessons.request(for: "conv-relu-pool"))
    for scenario in [Scenario.firstLesson, try .article(batch: 1), pooling.scenario] {
      var m = try lessonModel(scenario, width: 80, height: 24)
      send(&m, "Q")
      let count = scenario.practice?.count ?? 10
      #expect(m.practice?.session.questions.count == count)
      for k in 0..<count {
        try Self.answer(&m, right: true)
        #expect(m.practice?.verdict == .right, "question \(k + 1): \(m.practice?.feedback ?? [])")
        let screen = view(m).plainText
        #expect(screen.contains("Right."), "\(screen)")
        send(&m, "Enter")
      }
      let p = try #require(m.practice)
      #expect(p.done && p.session.score == count)
      #expect(view(m).plainText.contains("Score \(count)/\(count), best streak \(count)."))
      send(&m, "Enter")
      #expect(m.practice == nil)
      #expect(m.message?.text.contains("Score \(count)/\(count)") == true)
    }
  }

  @Test("answered wrong: 0/10, each screen shows the right answer, and missed cells are marked")
  func allWrong() throws {
    var m = try lessonModel(.firstLesson, width: 120, height: 40)
    send(&m, "Q")
    var sawMissedMark = false
    for _ in 0..<10 {
      try Self.answer(&m, right: false)
      let p = try #require(m.practice)
      let q = try #require(p.question)
      #expect(!(p.verdict?.isRight ?? true))
      let screen = view(m).plainText
      if q.grid != nil {
        // On the grid: how many, and the marks (○ missed, × chosen but not).
        #expect(screen.contains(" missed (○)"), "\(screen)")
        if case .cells(let cells) = q.answer, !cells.isEmpty {
          #expect(screen.contains("○"))
          sawMissedMark = true
        }
      } else {
        #expect(screen.contains("the answer is \(q.answer.text)"), "\(screen)")
      }
      send(&m, "Enter")
    }
    #expect(sawMissedMark, "no missed cell was marked on a grid")
    #expect(m.practice?.session.score == 0)
    #expect(view(m).plainText.contains("Score 0/10."))
  }

  @Test("a lesson's practice sets the kinds and count, and its end says Q")
  func lessonPlan() throws {
    var s = Scenario.firstLesson
    s.practice = PracticePlan(kinds: [.outputSize, .window], count: 3)
    var m = try lessonModel(s)
    for _ in 0..<5 where m.phase != s.phases.last { send(&m, "Tab") }
    send(&m, "End")
    send(&m, "Right")
    #expect(
      m.message?.text.contains("Q: practice, 3 questions") == true, "\(m.message?.text ?? "")")
    send(&m, "Q")
    let questions = try #require(m.practice?.session.questions)
    #expect(questions.count == 3)
    #expect(Set(questions.map(\.kind)).isSubset(of: [.outputSize, .window]))
  }

  @Test("the first output-value question asks for the window the walk reaches next")
  func nextWindow() throws {
    for (rights, expected) in [(0, "y[0,0,0,1]"), (3, "y[0,0,0,4]"), (7, "y[0,0,1,1]")] {
      var m = try lessonModel()
      for _ in 0..<rights { send(&m, "Right") }
      send(&m, "Q")
      let questions = try #require(m.practice?.session.questions)
      let q = try #require(questions.first { $0.kind == .outputValue })
      #expect(q.lines.first == "The window the walk reaches next (its output hidden):")
      #expect(q.lines.dropFirst().first?.hasPrefix("Compute \(expected) =") == true, "\(q.lines)")
      #expect(
        questions.filter { $0.lines.first?.hasPrefix("The window the walk") == true }.count == 1)
    }
  }

  @Test("Esc stops a set and says the score; keys of the viewer do nothing meanwhile")
  func escape() throws {
    var m = try lessonModel()
    let before = stepNumber(m)
    send(&m, "Q")
    try Self.answer(&m, right: true)
    send(&m, "Enter", "q")  // q is not a quit key while practising
    #expect(m.practice != nil)
    send(&m, "Escape")
    #expect(m.practice == nil)
    #expect(m.message?.text.hasPrefix("Practice: Score 1/10") == true)
    #expect(stepNumber(m) == before)
    send(&m, "Q")
    #expect(m.practiceSets == 2, "a second Q is a new set")
  }

  @Test("the practice screen fits 80×24, 120×40 and 160×48 without losing the question")
  func fits() throws {
    for (w, h) in [(80, 24), (120, 40), (160, 48)] {
      var m = try lessonModel(try .article(batch: 1), width: w, height: h)
      send(&m, "Q")
      for _ in 0..<10 {
        let q = try #require(m.practice?.question)
        let screen = view(m).plainText
        let ask = try #require(q.lines.first { !$0.hasPrefix("  ") && !$0.hasPrefix("Type them") })
        let firstWords = String(ask.prefix(20))
        #expect(screen.contains(firstWords), "\(w)×\(h): \(firstWords) not on\n\(screen)")
        try Self.answer(&m, right: true)
        send(&m, "Enter")
      }
    }
  }
}

/// Numbers typed by the tests, in a form the answer reader takes.
enum NumberFormatForTests {
  static func text(_ v: Float) -> String { "\(v)" }
}
