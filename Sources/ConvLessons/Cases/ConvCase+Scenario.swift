import ConvCore
import ConvFormats
import ConvStepper

// MARK: - A case as a scenario

extension ConvCase {
  /// The case as a walkable ``Scenario``: its tensors, and its `dy` as the output gradient
  /// (all ones when the case has none). ReLU and max-pool cases become a block whose convolution
  /// is the identity, so their own phases can be walked.
  public func scenario() throws -> Scenario {
    let x = try tensor("x")
    let gradient: GradientSource = tensors["dy"].map { .tensor($0) } ?? .ones
    if general != nil {
      throw InputError(
        source: name,
        "a transposed convolution: the viewer, render, export, steps, check, code and compute "
          + "take it; this command takes a conv2d")
    }
    if op == .network {
      throw InputError(
        source: name,
        "a whole network (\"op\": \"network\"): only compute takes it; this command takes "
          + "one layer's case (conv2d, maxpool2d, relu, conv_transpose2d)")
    }
    do {
      switch op {
      case .convTranspose2d, .network:
        throw InputError(source: name, "missing params")
      case .conv2d:
        guard let config = conv else { throw InputError(source: name, "missing params") }
        return try Scenario(
          title: name, text: "", config: config, input: x, weight: tensor("w"),
          bias: tensor("b"), gradient: gradient, learningRate: seedLayer?.alpha ?? 0.1
        ).validated()
      case .maxpool2d:
        return try Scenario.identity(input: x, relu: false, pool: pool, gradient: gradient)
          .validated()
      case .relu:
        return try Scenario.identity(input: x, relu: true, pool: nil, gradient: gradient)
          .validated()
      }
    } catch let error as ConvError {
      throw InputError(source: name, "\(error)")
    }
  }
}

// MARK: - A transposed case as a walk

extension ConvCase {
  /// A `conv_transpose2d` case as a walkable ``TransposedScenario`` (its `dy` as the output
  /// gradient, all ones when it has none); nil for the other ops.
  public func transposedScenario() throws -> TransposedScenario? {
    guard op == .convTranspose2d, let spec = general else { return nil }
    let gradient: GradientSource = tensors["dy"].map { .tensor($0) } ?? .ones
    do {
      return try TransposedScenario(
        title: name, spec: spec, input: tensor("x"), weight: tensor("w"), bias: tensor("b"),
        gradient: gradient, learningRate: seedLayer?.alpha ?? 0.1
      ).validated()
    } catch let error as ConvError {
      throw InputError(source: name, "\(error)")
    }
  }
}
