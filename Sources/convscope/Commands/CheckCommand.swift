import ArgumentParser
import ConvCore
import ConvDebug
import ConvFormats
import ConvStepper

// MARK: - CheckCommand

/// `convscope check [layer and data flags] --check-y FILE …`: compare the user's own results
/// with the correct ones and name the known mistake that reproduces them.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Compare your own y, dx, dw, db with the correct ones and name the mistake.",
    discussion: """
      Give the layer (the layer and data flags, or --case CASE.json) and one or more of your \
      results with --check-y, --check-dx, --check-dw, --check-db (.npy, .npz, CSV or text; \
      NCHW and [F, C, KH, KW] ([F, C/G, KH, KW] with --groups G) by default, --layout nhwc \
      for channels last such as the \
      article's [B, O, O, F]; axes of size 1 may be left out). convscope computes the correct \
      values and prints, per tensor, whether the shape agrees, how many cells differ, the \
      largest absolute and relative errors, and the first differing cell with its correct \
      formula. Then it recomputes the layer with each common mistake and names the ones that \
      reproduce your numbers, with the fix; when none does, it says where the differences \
      lie (border, rows, columns, samples, filters, channels). A conv_transpose2d case \
      (--case) or a --transposed layer is checked as PyTorch's ConvTranspose2d (w [C, F/G, KH, KW]), its mistakes \
      named among the transposed ones (kernel not flipped, output_padding forgotten, padding \
      not cropped, groups ignored, channel axes swapped). A cell agrees when \
      |yours − correct| ≤ atol + rtol·|correct| plus the rounding a correct float32 \
      computation can make (--strict drops \
      that allowance). With --relu or --pool, y is the convolution's output before them and \
      the gradients are the convolution's own.

      Your files: FILE.npz:NAME picks one array of an .npz (np.savez, np.savez_compressed); \
      --check-all FILE checks the arrays named y, dx, dw and db of an .npz or of what the \
      program of `convscope code` prints (python3 layer.py > out.txt). A flat file (a 1-D \
      .npy, one CSV row) takes its shape from --shape (y=N,F,OH,OW with several files). \
      float16, float64 and integer arrays are converted to float32, with a note; when your \
      float16 values differ only by float16's rounding, the report says so. With --layout \
      nhwc, --input and --grad are channels last too and --kernel is HWIO [KH, KW, C, F], as \
      TensorFlow writes it.

      The diagnosis recomputes the layer with every known mistake: a layer of more than 2^28 \
      multiply–adds a pass is refused (check a smaller batch); a long one shows its progress \
      on standard error when that is a terminal.

      Exit status: 0 when everything agrees, 1 when something differs, 2 for bad input.
      """)

  @OptionGroup var source: LayerSource

  @OptionGroup var check: CheckFlags
  @Flag(help: "Print the report as JSON.") var json = false

  func run() throws {
    let (text, status) = try reportingUserErrors { try report() }
    try Output.print(text, terminator: "")
    if status != 0 { throw ExitCode(status) }
  }

  /// The report and the exit status.
  func report() throws -> (String, Int32) {
    let layout = source.layer.layout
    guard let (loaded, tolerance) = try check.load(layout: layout) else {
      throw InputError(
        "nothing to check: give --check-y, --check-dx, --check-dw, --check-db or --check-all")
    }
    var user = loaded
    if let (layer, setup, notes) = try source.transposedLayer() {
      user.notes = notes + user.notes
      return try transposedReport(layer, setup: setup, user: user, tolerance: tolerance)
    }
    let (resolved, layerNotes) = try source.resolveNoted()
    user.notes = layerNotes + user.notes
    switch resolved {
    case .noWindow(let error, let stride):
      guard let d = NoWindowDiagnosis.diagnose(error, stride: stride, userY: user.y) else {
        throw error
      }
      let shape = user.y?.shape ?? []
      return (
        json
          ? CheckReport.noWindowJSON(
            error: error, userShape: shape, diagnosis: d, tolerance: tolerance, layout: layout)
          : CheckReport.noWindowText(error: error, userShape: shape, diagnosis: d), 1
      )
    case .layer(let scenario, let setup):
      try WorkBudget.requireCheckable(input: scenario.input.shape, config: scenario.config)
      let comparison = try Comparison(trace: LayerTrace(scenario), user: user, tolerance: tolerance)
      let diagnosis = diagnosedWithProgress(comparison.diagnose)
      return (
        json
          ? CheckReport.json(comparison, diagnosis, setup: setup)
          : CheckReport.text(comparison, diagnosis, setup: setup),
        CheckReport.exitStatus(comparison)
      )
    }
  }

  /// The known mistakes tried by `diagnose` (a conv2d's or a transposed layer's), with a
  /// progress line on a terminal.
  func diagnosedWithProgress(
    _ diagnose: (((_ done: Int, _ total: Int) -> Void)?) -> DiagnosisReport
  ) -> DiagnosisReport {
    var line = ProgressLine("check", total: 1)
    let report = diagnose { done, total in
      line.update(done, total: total, detail: "known mistakes tried")
    }
    line.finish()
    return report
  }

  /// The report of a transposed layer (a `conv_transpose2d` case, or `--transposed`) and the
  /// exit status.
  func transposedReport(
    _ layer: TransposedLayer, setup: LayerSetup?, user: UserTensors, tolerance: Tolerance
  ) throws -> (String, Int32) {
    try WorkBudget.require(
      layer.passMACs, atMost: WorkBudget.maxCheckMACs, flag: "checking the layer",
      value: "\(ConvError.format(layer.x.shape)) → \(ConvError.format(layer.outputShape))",
      unit: "multiply–adds a pass (each known mistake recomputes it)",
      hint: "check a case with a smaller batch or fewer channels")
    let comparison = try TransposedComparison(layer: layer, user: user, tolerance: tolerance)
    let diagnosis = diagnosedWithProgress(comparison.diagnose)
    return (
      json
        ? CheckReport.json(comparison, diagnosis, setup: setup)
        : CheckReport.text(comparison, diagnosis, setup: setup),
      CheckReport.exitStatus(comparison)
    )
  }
}
