import ConvCore
import ConvFormats
import ConvStepper
import Testing

@testable import ConvLessons

// MARK: - A transposed layer from flags and lessons

@Suite("TransposedBuilder: --transposed and the lesson keys")
struct TransposedBuilderTests {
  static func request(_ edit: (inout ScenarioRequest) -> Void) -> ScenarioRequest {
    var r = ScenarioRequest()
    r.transposed = true
    edit(&r)
    return r
  }

  @Test("PyTorch's defaults, seeded small integers, the output size of the formula")
  func defaults() throws {
    let s = try TransposedBuilder.build(Self.request { _ in }).scenario
    #expect(s.input.shape == [1, 1, 3, 3] && s.weight.shape == [1, 1, 3, 3])
    #expect(s.spec.stride == Size2(1) && s.spec.outputPadding == Size2(0))
    #expect(try s.outputShape() == [1, 1, 5, 5])
    #expect(s.bias.data == [0] && s.gradient == .ones)
    #expect(s.input.data.allSatisfy { $0 == $0.rounded() && (-2...3).contains($0) })
    let again = try TransposedBuilder.build(Self.request { _ in }).scenario
    #expect(again.input == s.input && again.weight == s.weight)
  }

  @Test("every parameter at a non-default value, rectangular")
  func parameters() throws {
    let s = try TransposedBuilder.build(
      Self.request {
        $0.inputSize = Size2(3, 4)
        $0.channels = 4
        $0.filters = 6
        $0.groups = 2
        $0.kernelSize = Size2(3, 2)
        $0.stride = Size2(2, 3)
        $0.padding = Size2(1, 0)
        $0.outputPadding = Size2(1, 2)
        $0.dilation = Size2(1, 2)
        $0.batch = 2
        $0.learningRate = 0.5
        $0.phase = .backward
        $0.step = 3
        $0.transposedView = .zeroInsertion
      }
    ).scenario
    #expect(s.weight.shape == [4, 3, 3, 2])
    // OH = (3−1)·2 − 2 + 1·2 + 1 + 1 = 6; OW = (4−1)·3 − 0 + 2·1 + 2 + 1 = 14.
    #expect(try s.outputShape() == [2, 6, 6, 14])
    #expect(s.learningRate == 0.5 && s.startPhase == .backward && s.startStep == 2)
    #expect(s.startView == .zeroInsertion)
  }

  @Test("what a transposed layer cannot be is refused in one line")
  func refusals() {
    let bad: [(String, (inout ScenarioRequest) -> Void)] = [
      ("article", { $0.base = .article }),
      ("reflect", { $0.paddingMode = .reflect }),
      ("relu", { $0.relu = true }),
      ("groups", { $0.groups = 2 }),  // one input channel
      ("output padding", { $0.outputPadding = Size2(1) }),  // not below stride 1 or dilation 1
      ("phase", { $0.phase = .relu }),
      ("kernel", { $0.kernel = .values(Tensor(shape: [2, 1, 3, 3])) }),  // C is 1
    ]
    for (name, edit) in bad {
      do {
        _ = try TransposedBuilder.build(Self.request(edit))
        Issue.record("\(name) was accepted")
      } catch {
        #expect(!"\(error)".contains("\n"), "\(name): \(error)")
      }
    }
  }

  @Test("a four-axis kernel gives F/G; the conv2d builder refuses a transposed request")
  func kernelShape() throws {
    let w = Tensor(shape: [2, 3, 2, 2], repeating: 1)
    let s = try TransposedBuilder.build(
      Self.request {
        $0.channels = 2
        $0.kernel = .values(w)
      }
    ).scenario
    #expect(s.weight == w && s.bias.count == 3)
    #expect(throws: InputError.self) { try ScenarioBuilder.build(Self.request { _ in }) }
    var conv = ScenarioRequest()
    conv.outputPadding = Size2(1)
    #expect(throws: InputError.self) { try ScenarioBuilder.build(conv) }
  }

  @Test("the lesson keys: transposed, output-padding, view")
  func lessonKeys() throws {
    let r = try LessonFile.parse(
      "transposed: yes\nstride: 2\noutput-padding: 1\nview: adjoint\n", source: "t")
    #expect(r.transposed == true && r.outputPadding == Size2(1) && r.transposedView == .adjoint)
    let s = try TransposedBuilder.build(r).scenario
    #expect(s.spec.outputPadding == Size2(1) && s.startView == .adjoint)
    #expect(throws: InputError.self) { try LessonFile.parse("view: sideways\n", source: "t") }
  }
}
