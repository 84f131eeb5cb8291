import ArgumentParser
import ConvDebug
import ConvFormats

// MARK: - CheckFlags

/// The user's own results to compare (`check`, and the viewer, which marks every differing
/// cell): `--check-y/-dx/-dw/-db FILE`, their layout and the tolerance.
struct CheckFlags: ParsableArguments {
  @Option(name: .customLong("check-y"), help: ArgumentHelp("Your output y.", valueName: "FILE"))
  var checkY: String?
  @Option(
    name: .customLong("check-dx"), help: ArgumentHelp("Your input gradient dx.", valueName: "FILE"))
  var checkDX: String?
  @Option(
    name: .customLong("check-dw"), help: ArgumentHelp("Your weight gradient dw.", valueName: "FILE")
  )
  var checkDW: String?
  @Option(
    name: .customLong("check-db"), help: ArgumentHelp("Your bias gradient db.", valueName: "FILE"))
  var checkDB: String?

  @Option(help: "Layout of your rank-4 tensors: nchw (default) or nhwc (channels last).")
  var layout: DataLayout = .nchw
  @Option(parsing: .unconditional, help: "Relative tolerance, as numpy.allclose's rtol.") var rtol:
    Double = 1e-5
  @Option(parsing: .unconditional, help: "Absolute tolerance, as numpy.allclose's atol.") var atol:
    Double = 1e-8
  @Flag(help: "Plain numpy.allclose: no allowance for float32 rounding.") var strict = false

  /// The user's tensors and the tolerance, or nil when no `--check-…` file was given.
  func load() throws -> (UserTensors, Tolerance)? {
    let files: [(CheckedTensor, String?)] = [
      (.y, checkY), (.dx, checkDX), (.dw, checkDW), (.db, checkDB),
    ]
    var paths: [CheckedTensor: String] = [:]
    for case (let name, let path?) in files { paths[name] = path }
    guard !paths.isEmpty else { return nil }
    let tolerance = Tolerance(rtol: rtol, atol: atol, float32Allowance: !strict)
    try tolerance.validate()
    return (try Self.read(paths, layout: layout), tolerance)
  }

  /// Reads the user's tensors from files in any format ``TensorFile`` reads (`.npy`, CSV, text;
  /// images whole), keeping their shapes as stored: ConvDebug reports a wrong shape (and may
  /// explain it by a bug), so nothing is reshaped here. Errors are one ``InputError`` line naming
  /// the file.
  static func read(_ paths: [CheckedTensor: String], layout: DataLayout) throws -> UserTensors {
    var user = UserTensors(layout: layout)
    for name in CheckedTensor.allCases {
      guard let path = paths[name] else { continue }
      user[name] = try TensorFile.load(path: path, options: LoadOptions(maxSize: 0)).tensor
      user.sources[name] = path
    }
    return user
  }
}

extension DataLayout: ExpressibleByArgument {}
