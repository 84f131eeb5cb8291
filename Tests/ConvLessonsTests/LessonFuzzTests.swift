import ConvCore
import ConvFormats
import Foundation
import TestSupport
import Testing

@testable import ConvLessons

// MARK: - Lesson fuzzing

/// The lesson reader's fuzz target (the other readers' are in ConvFormatsTests' `FuzzTests`):
/// seeded mutations of `Tests/Fixtures/fuzz/lesson/`. Each parse returns a request or throws an
/// `InputError` of one line naming the lesson and line; a block never holds more values than
/// the file has bytes. `CONVSCOPE_FUZZ_SEED` replays a run, `CONVSCOPE_FUZZ_ITERATIONS` runs
/// longer.
@Suite("Lessons: fuzzing the reader")
struct LessonFuzzTests {
  @Test("lesson reader")
  func lessons() throws {
    let fuzz = FuzzRun(name: "LessonFuzzTests", defaultIterations: 4_000)
    var rng = SeededGenerator(seed: fuzz.seed)
    let corpus = try FuzzCorpus.files("lesson")
    var parses = 0
    var accepted = 0
    func check(_ bytes: [UInt8], _ file: String, _ what: String) {
      parses += 1
      // `LessonFile.load` refuses bytes that are not UTF-8 before parsing.
      guard let text = String(validating: bytes, as: UTF8.self) else { return }
      do {
        let request = try LessonFile.parse(text, source: file)
        accepted += 1
        for spec in [request.input, request.kernel, request.bias, request.gradient] {
          if case .values(let t)? = spec {
            #expect(t.count <= bytes.count, "\(file) \(what): \(t.shape); \(fuzz.replay)")
          }
        }
      } catch let error as InputError {
        if !error.message.hasPrefix(file + ":") || error.message.contains("\n") {
          Issue.record(
            "\(file) \(what): not one line naming the lesson: \(error.message); \(fuzz.replay)")
        }
      } catch {
        Issue.record("\(file) \(what): threw \(type(of: error)): \(error); \(fuzz.replay)")
      }
    }
    fuzz.drive(corpus, tokens: Mutator.tokens["lesson"] ?? [], &rng, check)
    print("fuzz lesson: \(parses) files, \(accepted) read; \(fuzz.replay)")
    #expect(accepted > 0, "\(fuzz.replay)")
  }
}
