import ArgumentParser
import ConvCore
import ConvDebug
import ConvFormats
import ConvStepper

// MARK: - CheckFlags

/// The user's own results to compare (`check`, and the viewer, which marks every differing
/// cell): `--check-y/-dx/-dw/-db FILE`, `--check-all FILE`, `--shape` for flat files, and the
/// tolerance. Their layout is the data flags' `--layout`.
struct CheckFlags: ParsableArguments {
  @Option(
    name: .customLong("check-y"),
    help: ArgumentHelp("Your output y (FILE, or FILE.npz:NAME for one array).", valueName: "FILE"))
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
  @Option(
    name: .customLong("check-all"),
    help: ArgumentHelp(
      "A file of named arrays — an .npz (np.savez) or what the program of `convscope code` "
        + "prints — whose arrays y, dx, dw and db are checked (a --check-… flag wins for its "
        + "tensor).", valueName: "FILE"))
  var checkAll: String?
  @Option(
    name: .customLong("shape"), parsing: .unconditionalSingleValue,
    help: ArgumentHelp(
      "The shape of a flat --check file (a 1-D .npy, one CSV row), in --layout's order: "
        + "NAME=D0,D1,… for y, dx, dw or db (repeat for several), or D0,D1,… when one file is "
        + "checked.", valueName: "[NAME=]SHAPE"))
  var shapes: [String] = []

  @Option(parsing: .unconditional, help: "Relative tolerance, as numpy.allclose's rtol.") var rtol:
    Double = 1e-5
  @Option(parsing: .unconditional, help: "Absolute tolerance, as numpy.allclose's atol.") var atol:
    Double = 1e-8
  @Flag(help: "Plain numpy.allclose: no allowance for float32 rounding.") var strict = false

  /// The user's tensors in `layout` and the tolerance, or nil when no `--check-…` file was
  /// given.
  /// ``load(layout:)``, and when something is to be checked, the layer refused if it is too
  /// large to diagnose (``WorkBudget/requireCheckable(input:config:)``), before any work.
  func load(layout: DataLayout, for scenario: Scenario) throws -> (UserTensors, Tolerance)? {
    guard let loaded = try load(layout: layout) else { return nil }
    try WorkBudget.requireCheckable(input: scenario.input.shape, config: scenario.config)
    return loaded
  }

  func load(layout: DataLayout) throws -> (UserTensors, Tolerance)? {
    let files: [(CheckedTensor, String?)] = [
      (.y, checkY), (.dx, checkDX), (.dw, checkDW), (.db, checkDB),
    ]
    var paths: [CheckedTensor: String] = [:]
    for case (let name, let path?) in files { paths[name] = path }
    if let checkAll { try Self.addMembers(of: checkAll, to: &paths) }
    guard !paths.isEmpty else {
      if !shapes.isEmpty {
        throw InputError("--shape describes a --check-… file, but none was given")
      }
      return nil
    }
    let tolerance = Tolerance(rtol: rtol, atol: atol, float32Allowance: !strict)
    try tolerance.validate()
    let specs = try shapes.map { text in
      guard let spec = ShapeSpec(argument: text) else {
        throw InputError(
          "--shape \(text): give D0,D1,… or NAME=D0,D1,… (NAME y, dx, dw or db; each D ≥ 1)")
      }
      return spec
    }
    let shapeOf = try ShapeSpec.assign(specs, to: Set(paths.keys))
    return (try Self.read(paths, layout: layout, shapes: shapeOf), tolerance)
  }

  /// The arrays `y`, `dx`, `dw`, `db` of the archive at `path`, for the tensors not given on
  /// their own.
  static func addMembers(of path: String, to paths: inout [CheckedTensor: String]) throws {
    guard let members = try TensorFile.members(path: path) else {
      throw InputError(
        source: path,
        "--check-all reads a file of named arrays (an .npz, or what the program of convscope "
          + "code prints), and this one holds a single array: give it with --check-y, -dx, -dw "
          + "or -db")
    }
    let found = CheckedTensor.allCases.filter { members.contains($0.rawValue) }
    guard !found.isEmpty else {
      let listed = members.prefix(12).joined(separator: ", ")
      throw InputError(
        source: path,
        "holds \(members.isEmpty ? "no arrays" : listed), none named y, dx, dw or db: give "
          + "them one by one, e.g. --check-y \(path):\(members.first ?? "NAME")")
    }
    for name in found where paths[name] == nil { paths[name] = "\(path):\(name.rawValue)" }
  }

  /// Reads the user's tensors from files in any format ``TensorFile`` reads (`.npy`, `.npz`,
  /// CSV, text, named arrays; images whole), keeping their shapes as stored unless `shapes`
  /// gives one: ConvDebug reports a wrong shape (and may explain it by a bug), so nothing else is
  /// reshaped here. What reading did (a float64 file rounded) becomes the report's notes. Errors
  /// are one ``InputError`` line naming the file.
  static func read(
    _ paths: [CheckedTensor: String], layout: DataLayout, shapes: [CheckedTensor: [Int]] = [:]
  ) throws -> UserTensors {
    var user = UserTensors(layout: layout)
    for name in CheckedTensor.allCases {
      guard let path = paths[name] else { continue }
      var loaded = try TensorFile.load(
        path: path, options: .layerArray(role: "a checked tensor"),
        preferredMember: name.rawValue)
      if let shape = shapes[name] {
        loaded = try ShapeSpec.reshape(loaded, to: shape, name: name)
      }
      user[name] = loaded.tensor
      user.sources[name] = loaded.source
      user.storedTypes[name] = loaded.storedType
      user.notes += loaded.notes.map { "\(loaded.source): \($0)" }
    }
    return user
  }
}

// MARK: - ShapeSpec

/// `--shape D0,D1,…` or `--shape NAME=D0,D1,…` (NAME y, dx, dw or db).
struct ShapeSpec {
  var tensor: CheckedTensor?
  var shape: [Int]

  init?(argument: String) {
    var text = Substring(argument)
    if let eq = text.firstIndex(of: "=") {
      guard let name = CheckedTensor(rawValue: String(text[..<eq])) else { return nil }
      tensor = name
      text = text[text.index(after: eq)...]
    }
    let dims = text.split(whereSeparator: { $0 == "," || $0 == "x" || $0 == "×" }).map {
      Int($0.trimmingCharacters(in: .whitespaces))
    }
    guard !dims.isEmpty, dims.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
    shape = dims.compactMap { $0 }
    // The product must be countable (a file holds at most Tensor.maxElementCount values).
    guard (try? Tensor.elementCount(of: shape)) != nil else { return nil }
  }

  /// The shape of each checked tensor: a bare shape belongs to the one file given.
  static func assign(_ specs: [ShapeSpec], to given: Set<CheckedTensor>) throws
    -> [CheckedTensor: [Int]]
  {
    var result: [CheckedTensor: [Int]] = [:]
    for spec in specs {
      let text = spec.shape.map(String.init).joined(separator: ",")
      let name: CheckedTensor
      if let t = spec.tensor {
        name = t
      } else {
        guard given.count == 1, let only = given.first else {
          throw InputError(
            "--shape \(text): \(given.count) tensors are checked; say whose shape it is, e.g. "
              + "--shape y=\(text)")
        }
        name = only
      }
      guard given.contains(name) else {
        throw InputError("--shape \(name)=\(text): no --check-\(name) file was given")
      }
      guard result[name] == nil else {
        throw InputError("--shape: two shapes for \(name)")
      }
      result[name] = spec.shape
    }
    return result
  }

  /// `loaded` with `shape`, which must hold exactly its values.
  static func reshape(_ loaded: LoadedTensor, to shape: [Int], name: CheckedTensor) throws
    -> LoadedTensor
  {
    let needed = shape.reduce(1, *)
    let text = ConvError.format(shape)
    let dims = shape.map(String.init).joined(separator: ",")
    guard needed == loaded.tensor.count else {
      throw InputError(
        source: loaded.source,
        "\(loaded.tensor.count) values cannot have --shape \(name)=\(dims), which needs "
          + "\(needed)")
    }
    var result = loaded
    result.tensor = try loaded.tensor.reshaped(shape)
    result.notes.append("read as \(text) (--shape)")
    return result
  }
}
