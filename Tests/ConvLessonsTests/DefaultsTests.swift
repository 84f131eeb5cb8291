import ConvCore
import ConvStepper
import Testing

@testable import ConvLessons

// MARK: - Defaults you can see

@Suite("Lessons: a layer made by flags starts from PyTorch's defaults and says so")
struct DefaultsTests {
  /// The request `--input-size 5,9 --kernel-size 3,2 --stride 2,1` makes.
  static var flags: ScenarioRequest {
    var r = ScenarioRequest()
    r.inputSize = Size2(5, 9)
    r.kernelSize = Size2(3, 2)
    r.stride = Size2(2, 1)
    return r
  }

  @Test("flags alone: padding 0, stride 1, dilation 1 — not the first lesson's padding 1")
  func flagsAlone() throws {
    let built = try ScenarioBuilder.build(Self.flags)
    let c = built.scenario.config
    #expect(c.padding == Size2(0) && c.stride == Size2(2, 1) && c.dilation == Size2(1))
    #expect(built.scenario.bias.shape == [1] && built.scenario.bias.data == [0])
    var stride = ScenarioRequest()
    stride.stride = Size2(2)
    #expect(try ScenarioBuilder.build(stride).scenario.config.padding == Size2(0))
    // Nothing given: the first lesson as it is, padding 1.
    #expect(try ScenarioBuilder.build(ScenarioRequest()).scenario.config.padding == Size2(1))
  }

  @Test("a named lesson keeps its own values for what the flags leave")
  func lessonKeepsItsOwn() throws {
    var r = try BuiltinLessons.request(for: "first")
    var flags = ScenarioRequest()
    flags.stride = Size2(2)
    r = r.overridden(by: flags)
    let built = try ScenarioBuilder.build(r)
    #expect(built.scenario.config.padding == Size2(1) && built.scenario.config.stride == Size2(2))
    #expect(built.setup.defaultsLine.contains("dilation 1 (the lesson's)"))
    var article = ScenarioRequest()
    article.base = .article
    article.stride = Size2(2)
    #expect(try ScenarioBuilder.build(article).scenario.config.padding == Size2(2))
  }

  @Test("the setup lists every default in use and where each tensor came from")
  func setupLines() throws {
    let built = try ScenarioBuilder.build(Self.flags)
    #expect(
      built.setup.defaultsLine
        == "defaults in use: padding 0, dilation 1 (PyTorch's), bias = 0, dy = ones, lr 0.1, seed 0"
    )
    #expect(
      built.setup.originsLine
        == "tensors: x seeded small integers −2…3 (seed 0); w seeded small integers −1…1 (seed 0); "
        + "b zeros; dy ones (L = Σ y)")
    // The notes of a layer made by flags say the same.
    #expect(built.scenario.text.hasPrefix("Defaults in use: padding 0, dilation 1 (PyTorch's)"))
    #expect(built.scenario.text.contains("Tensors: x seeded small integers −2…3 (seed 0)"))

    var r = ScenarioRequest()
    r.kernel = .argument("sobel-x")
    r.bias = .argument("0.5")
    r.gradient = .argument("random")
    r.seed = 3
    r.stride = Size2(1)
    r.padding = Size2(1)
    r.dilation = Size2(1)
    r.learningRate = 0.01
    let given = try ScenarioBuilder.build(r).setup
    #expect(
      given.defaults.isEmpty && given.defaultsLine.hasSuffix("none (every setting was given)"))
    #expect(
      given.originsLine
        == "tensors: x the first lesson's; w preset sobel-x; b given values; "
        + "dy seeded random in −1…1 (seed 3)")
  }
}

// MARK: - Work limits

@Suite("ScenarioBuilder refuses a layer too large before it makes its tensors")
struct BuilderWorkLimitTests {
  @Test("--filters 1000000 --kernel-size 16: refused, the gigabyte of weights never made")
  func manyFilters() {
    var r = ScenarioRequest()
    r.filters = 1_000_000
    r.kernelSize = Size2(16)
    r.inputSize = Size2(16)
    let error = #expect(throws: ConvError.self) { try ScenarioBuilder.build(r) }
    #expect(error?.description.hasPrefix("the weights (1000000, 1, 16, 16) implies") == true)
  }

  @Test("--article --batch: checked before the batch is drawn")
  func articleBatch() {
    #expect(throws: ConvError.invalidParameter(name: "batch", value: "-1", requirement: "≥ 1")) {
      try Scenario.article(batch: -1)
    }
    #expect(throws: ConvError.self) { try Scenario.article(batch: 200_000) }
  }
}
