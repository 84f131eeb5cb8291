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
      CASE.json holds "op" (conv2d, maxpool2d or relu), flat row-major arrays "x", "w", "b", \
      "dy", their "shapes", and "params" (stride, padding, dilation as [h, w]). The output is \
      JSON with the computed "y", "dx", "dw", "db" (same keys, flat row-major) and, for cases \
      with a "seed_layer" block, "filters_after_sgd" and "biases_after_sgd". \
      A case file over 64 MiB is refused before reading. \
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
      let result = try CaseRunner.run(c, backend: backend)
      return try CaseRunner.json(result, name: c.name, op: c.op)
    }
    try emit(text, to: output)
  }
}

extension ConvBackend: ExpressibleByArgument {}
