// MARK: - A network's work

extension NetSpec {
  /// The number of weights and biases the network has for inputs of shape `input` (nil when
  /// it is too many to count), worked out from the shapes alone: nothing is allocated.
  public func parameterCount(input: [Int]) throws(NetShapeError) -> Int? {
    let shapes = try shapes(input: input)
    var total: Int? = 0
    for k in layers.indices {
      // `shapes` has checked every layer, so this cannot throw.
      guard let (_, weights) = try? shaped(k, input: shapes[k]), let weights else { continue }
      total = WorkBudget.sum([
        total, WorkBudget.product(weights.w), WorkBudget.product(weights.b),
      ])
    }
    return total
  }
}

extension WorkBudget {
  /// Refuses, before any weight is drawn, a network that is too large to train with batches of
  /// shape `input` (`[B, C, H, W]`): more than ``maxWalkValues`` parameters, more than
  /// ``maxWalkValues`` values in one layer's output for a batch, or more than ``maxWalkMACs``
  /// multiply–adds (or pooling comparisons) in one layer's forward pass. `flag` names what
  /// asked for it (`--net big.net`), `source` the file for the message.
  public static func requireTrainable(_ spec: NetSpec, input: [Int], flag: String) throws {
    let shapes = try spec.shapes(input: input)
    try require(
      try spec.parameterCount(input: input), atMost: maxWalkValues, flag: flag,
      value: "a network", unit: "weights and biases", hint: "use fewer or smaller layers")
    for k in spec.layers.indices {
      let out = shapes[k + 1]
      try require(
        product(out), atMost: maxWalkValues, flag: flag,
        value: "layer \(k + 1)'s output \(ConvError.format(out)) for a batch",
        unit: "values", hint: "reduce --batch or the layer's size")
      let macs: Int?
      switch try spec.kind(k, input: shapes[k]) {
      case .conv2d(let config): macs = passMACs(outputCells: product(out) ?? -1, config: config)
      case .maxPool2d(let pool): macs = product(out + [pool.kernel.h, pool.kernel.w])
      case .linear: macs = product(out + [shapes[k].last ?? 0])
      case .relu, .flatten: macs = 0
      }
      try require(
        macs, atMost: maxWalkMACs, flag: flag,
        value: "layer \(k + 1) (\(spec.layers[k].name)) for a batch",
        unit: "multiply–adds a pass", hint: "reduce --batch or the layer's size")
    }
  }
}
