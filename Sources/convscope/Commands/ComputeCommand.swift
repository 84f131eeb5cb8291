import ArgumentParser
import ConvCore
import ConvFormats

// MARK: - ComputeCommand

/// `convscope compute CASE.json`: the numbers for one test-vector case.
struct ComputeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compute",
    abstract: "Compute y, dx, dw, db for one case in the conv-vectors JSON format.",
    discussion: """
      CASE.json holds "op" (conv2d, conv_transpose2d, maxpool2d, relu or network), flat row-major arrays "x", "w", "b", \
      "dy", their "shapes", and "params" (stride, padding, dilation as [h, w]). The output is \
      JSON with the computed "y", "dx", "dw", "db" (same keys, flat row-major) and, for cases \
      with a "seed_layer" block, "filters_after_sgd" and "biases_after_sgd". A network case \
      ("layers", "x", "target") gives "logits", "loss", "dx" and "layers": {"dw", "db"} for \
      each layer with weights, {} for one without. \
      A case file over 64 MiB is refused before reading. \
      A conv2d case may have at most 2^24 values in x, w and y, 2^30 multiply–adds a pass and \
      2^22 values to write. \
      Bad input gives a one-line error and exit status 2.
      """)

  @Argument(help: "A case file in the conv-vectors JSON format.")
  var casePath: String

  @Option(name: .shortAndLong, help: "Write the JSON here instead of standard output.")
  var output: String?

  @Option(help: "Implementation: fast, direct (the step engine's order) or reference.")
  var backend: ConvBackend = .fast

  func run() throws {
    let text = try reportingUserErrors {
      let c = try ConvCase.load(path: casePath)
      if let net = c.network {
        return try networkText(c, net)
      }
      if let config = c.conv, let x = c.tensors["x"] {
        // Before any work: a 200-byte case with padding 2000 asks for 16 million outputs.
        try WorkBudget.requireWalkable(input: x.shape, config: config, flags: .caseFile)
        let g = try ConvGeometry(config: config, inputShape: x.shape)
        let values = WorkBudget.sum([
          WorkBudget.product(g.outputShape),
          c.tensors["dy"] == nil
            ? 0
            : WorkBudget.sum([x.count, WorkBudget.product(config.weightShape), config.filters]),
        ])
        try WorkBudget.require(
          values, atMost: WorkBudget.maxComputedValues, flag: "\(casePath): y",
          value: ConvError.format(g.outputShape), unit: "values to write",
          hint: "reduce the case's padding or shapes")
      }
      if let spec = c.general, let x = c.tensors["x"], let w = c.tensors["w"] {
        // Every output value and every product, before any is done.
        let out = try GeneralReference.outputShape(x: x.shape, w: w.shape, spec: spec)
        try WorkBudget.require(
          WorkBudget.product(out), atMost: WorkBudget.maxComputedValues,
          flag: "\(casePath): y", value: ConvError.format(out), unit: "values to write",
          hint: "reduce the case's padding or shapes")
        // Each output value of a conv2d, each input value of a transposed one, meets
        // w.shape[1]·KH·KW weights.
        let cells = spec.transposed ? x.count : WorkBudget.product(out)
        let products = cells.flatMap {
          WorkBudget.product([$0, w.shape[1], w.shape[2], w.shape[3]])
        }
        try WorkBudget.require(
          products, atMost: WorkBudget.maxComputedValues * 64, flag: casePath,
          value: "\(ConvError.format(x.shape)) with w \(ConvError.format(w.shape))",
          unit: "multiply–adds", hint: "reduce the case's shapes")
      }
      let result = try CaseRunner.run(c, backend: backend)
      return try CaseRunner.json(result, name: c.name, op: c.op)
    }
    try emit(text, to: output)
  }

  /// A network case's JSON, after checking each layer's work against ``WorkBudget``.
  func networkText(_ c: ConvCase, _ net: NetworkCase) throws -> String {
    let x = try c.tensor("x")
    let shapes = try net.network.shapes(input: x.shape)
    for (k, layer) in net.network.layers.enumerated() {
      let out = shapes[k + 1]
      try WorkBudget.require(
        WorkBudget.product(out), atMost: WorkBudget.maxWalkValues,
        flag: "\(casePath): layer \(k + 1)", value: ConvError.format(out),
        unit: "values", hint: "reduce the case's padding or shapes")
      if case .maxPool2d(let pool) = layer.kind {
        try WorkBudget.require(
          WorkBudget.product(out + [pool.kernel.h, pool.kernel.w]),
          atMost: WorkBudget.maxComputedValues * 64, flag: "\(casePath): layer \(k + 1)",
          value: ConvError.format(out), unit: "comparisons", hint: "reduce the case's shapes")
      }
      guard case .conv2d(let config) = layer.kind else { continue }
      // Each output value meets C/groups·KH·KW weights (a product that cannot overflow here).
      try WorkBudget.require(
        WorkBudget.product(out + [config.groupChannels, config.kernel.h, config.kernel.w]),
        atMost: WorkBudget.maxComputedValues * 64,
        flag: "\(casePath): layer \(k + 1)", value: ConvError.format(out),
        unit: "multiply–adds", hint: "reduce the case's shapes")
    }
    return try CaseRunner.networkJSON(CaseRunner.runNetwork(c, backend: backend), name: c.name)
  }
}

extension ConvBackend: ExpressibleByArgument {}
