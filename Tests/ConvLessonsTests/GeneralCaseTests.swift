import ConvCore
import ConvFormats
import Foundation
import Testing

@testable import ConvLessons

// MARK: - Cases computed but not walked

@Suite("--case: grouped, padding-mode and transposed cases are not walked yet")
struct GeneralCaseTests {
  @Test(
    "the walk refuses them in one line that says compute can",
    arguments: [
      ("conv_groups2", "a grouped convolution (groups = 2)"),
      ("conv_pad_reflect", "reflect padding"),
      ("convT_s1", "a transposed convolution"),
    ])
  func refused(name: String, words: String) throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures/conv-vectors/\(name).json").path
    let c = try ConvCase.load(path: path)
    do {
      _ = try c.scenario()
      Issue.record("\(name) became a walk")
    } catch {
      let text = "\(error)"
      #expect(text.contains(words) && text.contains("convscope compute"), "\(text)")
      #expect(!text.contains("\n"))
    }
  }
}
