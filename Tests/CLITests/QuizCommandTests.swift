import Foundation
import Testing

// MARK: - convscope quiz --plain

@Suite("convscope quiz: practice on standard input and output")
struct QuizCommandTests {
  static let args = ["quiz", "--lesson", "first", "--seed", "1", "--count", "5"]

  /// The answers of the set, from the answer key (`--key`).
  static func answers() throws -> [String] {
    let key = try Binary.run(args + ["--key"])
    #expect(key.status == 0, "\(key.stderr)")
    let answers = key.stdout.split(separator: "\n").filter { $0.hasPrefix("Answer: ") }
      .map { String($0.dropFirst("Answer: ".count)) }
    #expect(answers.count == 5)
    return answers
  }

  @Test("answered correctly, the first lesson's seed-1 set scores 5/5")
  func allRight() throws {
    let answers = try Self.answers()
    let r = try Binary.run(Self.args + ["--plain"], stdin: answers.joined(separator: "\n") + "\n")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("Score 5/5, best streak 5."), "\(r.stdout)")
    #expect(r.stdout.components(separatedBy: "\nRight.").count - 1 == 5)
    #expect(r.stdout.contains("Question 5 of 5"))
  }

  @Test("answered wrongly, it scores 0/5 and shows each correct answer")
  func allWrong() throws {
    let answers = try Self.answers()
    let r = try Binary.run(
      Self.args + ["--plain"], stdin: String(repeating: "12345\n", count: 5))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("Score 0/5."), "\(r.stdout)")
    for answer in answers {
      #expect(r.stdout.contains("the answer is \(answer)."), "\(answer) not shown")
    }
  }

  @Test("--json: the summary alone on standard output, the questions on standard error")
  func json() throws {
    let answers = try Self.answers()
    let r = try Binary.run(
      Self.args + ["--plain", "--json"], stdin: answers.prefix(3).joined(separator: "\n") + "\n")
    #expect(r.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    #expect(object?["score"] as? Int == 3)
    #expect(object?["answered"] as? Int == 3, "input ended after three answers")
    #expect(object?["count"] as? Int == 5)
    #expect(r.stderr.contains("Question 1 of 5"))
  }

  @Test("bad counts and kinds are one line and exit 2")
  func refusals() throws {
    for (extra, words) in [
      (["--count", "0"], "count must be 1…200"),
      (["--kinds", "pool"], "one this layer has"),
      (["--kinds", "nonsense"], "kinds must be one of output-size"),
    ] {
      let r = try Binary.run(["quiz", "--lesson", "first"] + extra + ["--plain"])
      #expect(r.status == 2)
      #expect(r.stderr.contains(words), "\(extra): \(r.stderr)")
      #expect(r.stderr.split(separator: "\n").count == 1)
    }
  }

  @Test("every kind through --plain: a layer with ReLU and pooling, answered right then wrong")
  func everyKind() throws {
    let args = [
      "quiz", "--input-size", "6", "--channels", "2", "--stride", "2", "--padding", "1",
      "--relu", "--pool", "2", "--seed", "3", "--count", "16",
    ]
    let key = try Binary.run(args + ["--key"])
    #expect(key.status == 0, "\(key.stderr)")
    let answers = key.stdout.split(separator: "\n").filter { $0.hasPrefix("Answer: ") }
      .map { String($0.dropFirst("Answer: ".count)) }
    for kind in [
      "output size", "an output value", "the cells a window reads",
      "the outputs an input cell reaches", "a backward step's contribution", "a weight after SGD",
      "where max-pool sends the gradient", "which gradients pass ReLU",
    ] {
      #expect(key.stdout.contains("(\(kind)):"), "no question on \(kind)")
    }
    let right = try Binary.run(args + ["--plain"], stdin: answers.joined(separator: "\n") + "\n")
    #expect(right.stdout.contains("Score 16/16"), "\(right.stdout)")
    let wrong = try Binary.run(args + ["--plain"], stdin: String(repeating: "99,99\n", count: 16))
    #expect(wrong.stdout.contains("Score 0/16."), "\(wrong.stdout)")
  }
}
