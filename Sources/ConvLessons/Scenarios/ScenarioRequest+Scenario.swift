import ConvCore
import ConvFormats
import ConvStepper

// MARK: - A scenario as a request

extension ScenarioRequest {
  /// The request that rebuilds `scenario` exactly: every parameter and every tensor inline.
  /// Changing one field of it and building again is how the UI edits a scenario.
  public init(_ scenario: Scenario) {
    self.init()
    title = scenario.title
    text = scenario.text
    let c = scenario.config
    stride = c.stride
    padding = c.padding
    dilation = c.dilation
    groups = c.groups
    paddingMode = c.paddingMode
    learningRate = scenario.learningRate
    relu = scenario.relu
    pool = scenario.pool
    input = .values(scenario.input)
    kernel = .values(scenario.weight)
    bias = .values(scenario.bias)
    switch scenario.gradient {
    case .ones: gradient = .argument("ones")
    case .output: gradient = .argument("output")
    case .random(let seed):
      gradient = .argument("random")
      self.seed = seed
    case .tensor(let t): gradient = .values(t)
    }
    phase = scenario.startPhase
    step = scenario.startStep + 1
    unfold = scenario.startUnfolded ? true : nil
    load.maxSize = 0
  }
}
