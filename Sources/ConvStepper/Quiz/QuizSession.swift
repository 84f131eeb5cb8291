import ConvCore

// MARK: - QuizSession

/// A set of practice questions and how the student did: score, streak, and a tally per kind.
/// Pure: answers go in as text, feedback comes out as lines.
public struct QuizSession: Sendable {
  /// One answered question.
  public struct Result: Sendable, Hashable {
    /// The question.
    public var question: QuizQuestion
    /// What the student typed.
    public var given: String
    /// What it came to.
    public var verdict: QuizVerdict
  }

  /// The questions of the set, in order.
  public let questions: [QuizQuestion]
  /// The answers so far.
  public private(set) var results: [Result] = []
  /// Right answers in a row, up to now.
  public private(set) var streak = 0
  /// The longest streak of the set.
  public private(set) var bestStreak = 0

  /// `count` questions from `maker`.
  public init(maker: QuizMaker, count: Int) {
    questions = (0..<max(0, count)).map { maker.question($0, of: count) }
  }

  /// The question to answer next; nil when the set is done.
  public var current: QuizQuestion? {
    results.count < questions.count ? questions[results.count] : nil
  }

  /// How many were right.
  public var score: Int { results.filter(\.verdict.isRight).count }

  /// Answers the current question with `typed`; the feedback lines (right or wrong, the answer,
  /// the worked answer). Nothing when the set is done.
  public mutating func answer(_ typed: String) -> [String] {
    guard let q = current else { return [] }
    let verdict = q.answer.check(typed)
    results.append(Result(question: q, given: typed, verdict: verdict))
    streak = verdict.isRight ? streak + 1 : 0
    bestStreak = max(bestStreak, streak)
    var lines: [String]
    switch verdict {
    case .right:
      lines = ["Right." + (streak >= 3 ? " \(streak) in a row." : "")]
    case .wrong(let note):
      lines = ["Not quite: you said \(QuizSession.echo(typed)), the answer is \(q.answer.text)."]
      if let note { lines.append("  (" + note + ")") }
    case .unreadable(let why):
      lines = [
        "Could not read \(QuizSession.echo(typed)) (\(why)); the answer is \(q.answer.text)."
      ]
    }
    return lines + q.worked.map { "  " + $0 }
  }

  /// What the student typed, quoted, or "nothing".
  static func echo(_ typed: String) -> String {
    let t = QuizAnswer.trimmed(typed)
    return t.isEmpty ? "nothing" : "\"\(t)\""
  }

  /// Asked and right, per kind, in the order kinds first came up.
  public var tally: [(kind: QuizKind, asked: Int, right: Int)] {
    var order: [QuizKind] = []
    var asked: [QuizKind: Int] = [:]
    var right: [QuizKind: Int] = [:]
    for r in results {
      if asked[r.question.kind] == nil { order.append(r.question.kind) }
      asked[r.question.kind, default: 0] += 1
      if r.verdict.isRight { right[r.question.kind, default: 0] += 1 }
    }
    return order.map { ($0, asked[$0] ?? 0, right[$0] ?? 0) }
  }

  /// The summary: the score, the best streak, a line per kind.
  public var summary: [String] {
    var lines = [
      "Score \(score)/\(questions.count)" + (bestStreak > 1 ? ", best streak \(bestStreak)" : "")
        + "."
    ]
    if results.count < questions.count {
      lines.append("Stopped after \(results.count) of \(questions.count) questions.")
    }
    for t in tally {
      lines.append("  \(t.kind.title): \(t.right)/\(t.asked)")
    }
    return lines
  }

  /// The summary as JSON: score, count, answered, best streak, per kind, and each question's
  /// kind, level, expected and given answer and whether it was right.
  public var json: String {
    func quote(_ s: String) -> String {
      var out = "\""
      for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case _ where u.value < 0x20:
          let hex = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(u)
        }
      }
      return out + "\""
    }
    let kinds = tally.map {
      "{\"kind\": \(quote($0.kind.rawValue)), \"asked\": \($0.asked), \"right\": \($0.right)}"
    }
    let answered = results.map {
      "{\"kind\": \(quote($0.question.kind.rawValue)), \"level\": \($0.question.level), "
        + "\"answer\": \(quote($0.question.answer.text)), \"given\": \(quote($0.given)), "
        + "\"right\": \($0.verdict.isRight)}"
    }
    return "{\"score\": \(score), \"count\": \(questions.count), \"answered\": \(results.count), "
      + "\"best_streak\": \(bestStreak),\n \"kinds\": [" + kinds.joined(separator: ", ") + "],\n"
      + " \"questions\": [\n  " + answered.joined(separator: ",\n  ") + "]}\n"
  }
}
