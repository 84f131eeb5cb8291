import ArgumentParser
import ConvCore
import ConvFormats
import ConvLessons
import ConvStepper

// MARK: - StepsCommand

/// `convscope steps CASE.json`: the timeline of one phase, or the state after one step.
struct StepsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "steps",
    abstract: "List the steps of a phase of a case, or print the state after one step.",
    discussion: """
      Steps are in a fixed order: for each sample n, for each filter f, for each output row i, \
      for each output column j. A step is one window (forward), one output-gradient cell \
      (backward), one filter (update); ReLU and max-pool cases have their own phases. \
      Steps are numbered from 1, as in the viewer, render --step and export --step. \
      Without --json: a table, one step a line. With --json: one JSON object a line with step, \
      phase, sample, filter, out [i, j], value and formula (plus taps and details). \
      With --at K --json: the state after step K as one object with flat row-major arrays y \
      (null where not yet computed), dx, dw, db (partial sums) and done. A list holds at most \
      2^18 steps (narrow it with --sample, --filter or --at).

      A transposed case (conv_transpose2d) is walked one input cell a step, as the viewer's \
      stamp view: forward, the cell's value times the kernel lands on the output cells \
      listed (its JSON: input [c, i, j], x, output_channels, lands, taps); backward, the same \
      cell gathers dy into dx; the update, one input channel's kernels w[c] a step, then the \
      bias. --at K --json prints y so far (forward), dx and dw so far (backward), or w and b \
      (update). --filter does not apply.
      """)

  @Argument(help: "A case file in the conv-vectors JSON format.")
  var casePath: String

  @Option(help: "forward, backward, update (or relu, pool, pool-backward, relu-backward).")
  var phase: Phase = .forward

  @Option(parsing: .unconditional, help: "Only this sample.") var sample: Int?
  @Option(parsing: .unconditional, help: "Only this filter.") var filter: Int?
  @Flag(help: "JSON, one object a line.") var json = false
  @Option(
    parsing: .unconditional, help: "Print the state after step K (from 1) instead of the list.")
  var at: Int?

  func run() throws {
    try reportingUserErrors {
      let c = try ConvCase.load(path: casePath)
      if let t = try c.transposedScenario() {
        try transposedSteps(TransposedTrace(t))
        return
      }
      let scenario = try c.scenario()
      if at == nil { try requireListable(scenario) }
      let trace = try LayerTrace(scenario)
      guard scenario.phases.contains(phase) else {
        throw InputError(
          source: casePath,
          "this case has no \(phase.rawValue) phase (it has: "
            + scenario.phases.map(\.rawValue).joined(separator: ", ") + ")")
      }
      let timeline = try Timeline(
        trace: trace, phase: phase, scope: TimelineScope(sample: sample, filter: filter))
      if let at {
        guard at >= 1, at <= timeline.windowCount else {
          throw InputError(
            "--at \(at): the \(phase.rawValue) phase has steps 1 to \(timeline.windowCount)")
        }
        if json {
          try Output.print(
            try JSONOutput.text(StepReport.state(timeline, window: at - 1)), terminator: "")
        } else {
          try Output.print(StepReport.textLine(timeline, window: at - 1))
        }
        return
      }
      if !json { try Output.print(StepReport.textHeader) }
      for index in 0..<timeline.windowCount {
        if json {
          try Output.print(
            try JSONOutput.text(StepReport.line(timeline, window: index)), terminator: "")
        } else {
          try Output.print(StepReport.textLine(timeline, window: index))
        }
      }
    }
  }
}

extension StepsCommand {
  /// The steps of a transposed case: the list, or the state after `--at`.
  func transposedSteps(_ t: TransposedTrace) throws {
    guard TransposedScenario.phases.contains(phase) else {
      throw InputError(
        source: casePath,
        "a transposed case has the phases forward, backward and update, not \(phase.rawValue)")
    }
    guard filter == nil else {
      throw InputError("--filter: a transposed layer's steps are input cells; use --sample or --at")
    }
    if let sample, !(0..<t.dims.n).contains(sample) {
      throw InputError("--sample \(sample): the case has samples 0 to \(t.dims.n - 1)")
    }
    let count = t.stepCount(phase)
    let samples = phase == .update ? [0] : sample.map { [$0] } ?? Array(0..<t.dims.n)
    if let at {
      guard at >= 1, at <= count else {
        throw InputError("--at \(at): the \(phase.rawValue) phase has steps 1 to \(count)")
      }
      let n = samples[0]
      try Output.print(
        json
          ? try JSONOutput.text(
            TransposedStepReport.state(t, phase: phase, sample: n, step: at - 1))
          : TransposedStepReport.textLine(t, phase: phase, sample: n, step: at - 1),
        terminator: json ? "" : "\n")
      return
    }
    try WorkBudget.require(
      count * samples.count, atMost: WorkBudget.maxListedSteps, flag: "--phase",
      value: phase.rawValue, unit: "lines to list",
      hint: "choose one sample with --sample, or one step with --at K")
    if !json { try Output.print(TransposedStepReport.textHeader) }
    for n in samples {
      for k in 0..<count {
        try Output.print(
          json
            ? try JSONOutput.text(TransposedStepReport.line(t, phase: phase, sample: n, step: k))
            : TransposedStepReport.textLine(t, phase: phase, sample: n, step: k),
          terminator: json ? "" : "\n")
      }
    }
  }

  /// Refuses, before the walk is computed, a list longer than ``WorkBudget/maxListedSteps``:
  /// a step a cell of the output (of the pooled output for the pool phases), a filter for the
  /// update, fewer with --sample or --filter.
  func requireListable(_ scenario: Scenario) throws {
    let pooled = phase == .pool || phase == .poolBackward
    let shape = pooled ? try scenario.blockOutputShape() : try scenario.geometry().outputShape
    var lines = phase == .update ? shape[1] : WorkBudget.product(shape) ?? Int.max
    if sample != nil { lines /= max(1, shape[0]) }
    if filter != nil { lines /= max(1, shape[1]) }
    try WorkBudget.require(
      lines, atMost: WorkBudget.maxListedSteps, flag: "--phase", value: phase.rawValue,
      unit: "lines to list", hint: "choose some with --sample or --filter, or one step with --at K")
  }
}

extension Phase: ExpressibleByArgument {}
