import ArgumentParser
import ConvCore
import ConvFormats
import ConvStepper
import Foundation

// MARK: - QuizCommand

/// `convscope quiz [layer/lesson/data flags] --plain`: practice questions on the layer, answered
/// line by line.
struct QuizCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "quiz",
    abstract: "Practice: questions on the layer, checked against it, with the worked answers.",
    discussion: """
      Questions are made from the configured layer (a lesson, the layer flags or --case): the \
      output size (for its geometry, later for another stride, padding and dilation), an output \
      value from its window, which input cells a window reads, which outputs an input cell \
      reaches, what a backward step adds to dx, dw or db, a weight after SGD, and with --pool \
      or --relu where the gradient goes. Each answer is checked at once and the worked answer \
      shown. Questions get harder through the set: a warm-up on the layer made plain (one \
      sample and channel, stride and dilation 1, rounded numbers), then its real numbers, then \
      the layer as it is. A summary ends it.

      --plain: questions on standard output, answers read a line each from standard input \
      (numbers as 1.25; sizes as 7x7; cells as row,column pairs separated by spaces, or none). \
      The same --seed gives the same questions, so a teacher can hand one out; --key prints \
      them with their answers instead. --json prints the summary as JSON on standard output \
      (the questions then go to standard error).
      """)

  @OptionGroup var source: LayerSource

  @Option(help: "How many questions (1…200; default: the lesson's practice, else 10).")
  var count: Int?
  @Option(
    help: ArgumentHelp(
      "Only these kinds, comma-separated: "
        + QuizKind.allCases.map(\.rawValue).joined(separator: ", ") + ".",
      valueName: "KINDS"))
  var kinds: String?
  @Flag(help: "Questions and answers as lines of text (standard output and input).")
  var plain = false
  @Flag(help: "Print the questions with their answers and worked answers (an answer key).")
  var key = false
  @Flag(help: "Print the summary as JSON (questions go to standard error).") var json = false

  func run() throws {
    var session = try reportingUserErrors { () throws -> QuizSession in
      if let count, !(1...200).contains(count) {
        throw ConvError.invalidParameter(name: "count", value: "\(count)", requirement: "1…200")
      }
      let trace = try LayerTrace(source.scenario())
      let plan = trace.scenario.practice
      var maker = try QuizMaker(
        trace: trace, seed: source.layer.seed ?? 0, kinds: try Self.kindList(kinds) ?? plan?.kinds)
      // As the viewer's Q before any step: the first output-value question asks for the
      // window after the walk's first.
      maker.focus = QuizFocus.afterStart(of: trace)
      return QuizSession(maker: maker, count: count ?? plan?.count ?? 10)
    }
    if key {
      try printKey(session)
      return
    }
    let say: (String) throws -> Void =
      json
      ? { line in _ = SafeFile.writeAll(2, Array((line + "\n").utf8)) } : { try Output.print($0) }
    var number = 0
    while let q = session.current {
      number += 1
      try say("")
      try say("Question \(number) of \(session.questions.count) (\(q.kind.title)):")
      for line in q.lines { try say(line) }
      guard let typed = readLine(strippingNewline: true) else { break }
      for line in session.answer(typed) { try say(line) }
    }
    try say("")
    if json {
      try Output.print(session.json, terminator: "")
    } else {
      for line in session.summary { try Output.print(line) }
    }
  }

  /// The questions with their answers, for a teacher.
  func printKey(_ session: QuizSession) throws {
    for (k, q) in session.questions.enumerated() {
      try Output.print("Question \(k + 1) of \(session.questions.count) (\(q.kind.title)):")
      for line in q.lines { try Output.print(line) }
      try Output.print("Answer: \(q.answer.text)")
      for line in q.worked { try Output.print("  " + line) }
      try Output.print()
    }
  }

  /// `--kinds a,b`: the kinds named, or nil for all; an unknown name is refused.
  static func kindList(_ text: String?) throws -> [QuizKind]? {
    guard let text else { return nil }
    return try text.split(separator: ",").map { name in
      let trimmed = name.trimmingCharacters(in: .whitespaces)
      guard let kind = QuizKind(rawValue: trimmed) else {
        throw ConvError.invalidParameter(
          name: "kinds", value: trimmed,
          requirement: "one of " + QuizKind.allCases.map(\.rawValue).joined(separator: ", "))
      }
      return kind
    }
  }
}
