import ConvCore
import ConvFormats
import Foundation
import Testing

@testable import ConvLessons

// MARK: - Cases computed but not walked

@Suite("--case: grouped, padding-mode and transposed cases are walked")
struct GeneralCaseTests {
  @Test(
    "a grouped or padding-mode case is a walk of its own layer",
    arguments: [
      ("conv_groups2", 2, PaddingMode.zeros), ("conv_depthwise", 3, .zeros),
      ("conv_pad_reflect", 1, .reflect), ("conv_pad_circular", 1, .circular),
    ])
  func walked(name: String, groups: Int, mode: PaddingMode) throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures/conv-vectors/\(name).json").path
    let s = try ConvCase.load(path: path).scenario()
    #expect(s.config.groups == groups && s.config.paddingMode == mode)
  }

  @Test(
    "a transposed case is a transposed walk; a conv2d walk refuses it in one line",
    arguments: ["convT_s1", "convT_s2_p1_op1", "convT_d2_g2"])
  func transposed(name: String) throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures/conv-vectors/\(name).json").path
    let c = try ConvCase.load(path: path)
    let walk = try #require(try c.transposedScenario())
    #expect(walk.spec == c.general)
    do {
      _ = try c.scenario()
      Issue.record("\(name) became a conv2d walk")
    } catch {
      let text = "\(error)"
      #expect(text.contains("a transposed convolution") && text.contains("viewer"), "\(text)")
      #expect(!text.contains("\n"))
    }
  }
}

@Suite("--groups: a kernel of all C channels is refused in the groups' words")
struct GroupKernelTests {
  /// A 4-channel 5×5 layer with two groups, kernel to be given.
  static func grouped() -> ScenarioRequest {
    var r = ScenarioRequest()
    r.channels = 4
    r.inputSize = Size2(5)
    r.groups = 2
    return r
  }

  @Test("w [F, C, KH, KW] with --groups 2: the error says each filter reads C/G")
  func allChannelsRefused() throws {
    var r = Self.grouped()
    r.kernel = .values(Tensor(shape: [4, 4, 3, 3]))
    do {
      _ = try ScenarioBuilder.build(r)
      Issue.record("a [4, 4, 3, 3] kernel was taken for a 4-channel layer with groups 2")
    } catch {
      let text = "\(error)"
      #expect(text.contains("--groups 2 each filter reads C/G = 2 of the input's 4"), "\(text)")
      #expect(text.contains("(4, 2, 3, 3) [F, C/G, KH, KW]"), "\(text)")
    }
    r.kernel = .values(Tensor(shape: [4, 2, 3, 3]))
    #expect(try ScenarioBuilder.build(r).scenario.config.groups == 2)
  }

  @Test("a 2-D kernel with --groups is replicated over its group's channels, and says so")
  func replicatedOverTheGroup() throws {
    var r = Self.grouped()
    r.kernel = .values(try Tensor(shape: [2, 3, 3], data: (0..<18).map(Float.init)))
    let built = try ScenarioBuilder.build(r)
    #expect(built.scenario.weight.shape == [2, 2, 3, 3])
    #expect(
      built.notes.contains {
        $0.contains("across the 2 input channels of its group (of 4, groups 2)")
      },
      "\(built.notes)")
  }
}
