// MARK: - WorkBudget

/// The limits on the work a request may imply, and the arithmetic that estimates it.
///
/// Every command checks the sizes its flags give here, before it allocates or computes anything:
/// a small flag value can imply a huge tensor (`--filters 1000000 --kernel-size 16`), hours of
/// finite differences (`gradcheck --cells 0`) or gigabytes of output (`export --steps 1..5000
/// --size 300x100`). An estimate over its limit is a ``ConvError/tooMuchWork(flag:value:implies:limit:hint:)``:
/// one line that names the flag, its value, what it implies and the limit.
public enum WorkBudget {
  /// Values in any one tensor of a walked layer (input, weights, output): 2^24, 64 MiB of floats.
  public static let maxWalkValues = 1 << 24
  /// Multiply–adds of one pass of a walked layer, the pooling's comparisons included: 2^30.
  public static let maxWalkMACs = 1 << 30
  /// Multiply–adds of a finite-difference gradient check (in `Double`, each perturbed loss over
  /// the outputs the cell reaches): 2^30, about ten seconds.
  public static let maxGradientCheckMACs = 1 << 30
  /// Cells drawn by one export, frames × width × height, for text, ANSI and recordings: 2^26.
  public static let maxExportCells = 1 << 26
  /// Cells drawn by one export as SVG or HTML (each cell is an element): 2^22.
  public static let maxMarkupExportCells = 1 << 22
  /// Values `compute` writes as JSON (y, dx, dw, db; about 12 bytes each): 2^22.
  public static let maxComputedValues = 1 << 22
  /// Lines `steps` lists in one run (about 250 bytes each, 1 KB as JSON): 2^18.
  public static let maxListedSteps = 1 << 18
  /// Bytes of one recording (`export --format asciicast`): 64 MiB, the recorder's own limit.
  public static let maxRecordingBytes = 64 << 20
  /// Bytes of one export of a file per step (a folder of slides): 256 MiB.
  public static let maxFolderBytes = 256 << 20

  /// Refuses an export of `frames` frames of `width`×`height` cells, each about `frameBytes`
  /// bytes, whose cells drawn (over `cellLimit`) or bytes written (over `byteLimit`) pass their
  /// limit. `flag` and `value` are what asked for it (`--steps 1..5000 --size 300x100`).
  public static func requireExport(
    frames: Int, width: Int, height: Int, frameBytes: Int, cellLimit: Int, byteLimit: Int,
    flag: String, value: String
  ) throws {
    let perFrame = max(1, width * height)
    let fit = max(0, min(cellLimit / perFrame, byteLimit / max(1, frameBytes)))
    let hint =
      fit > 0
      ? "choose at most \(fit) steps with --steps A..B, or a smaller --size"
      : "choose a smaller --size"
    try require(
      product([frames, width, height]), atMost: cellLimit, flag: flag, value: value,
      unit: "cells to draw (\(frames) frames of \(width)×\(height))", hint: hint)
    try require(
      product([frames, frameBytes]), atMost: byteLimit, flag: flag, value: value,
      unit: "bytes of output (\(frames) frames of about \(frameBytes) bytes)", hint: hint)
  }

  // MARK: Arithmetic

  /// The product of `factors`; nil when one is negative or the product overflows.
  public static func product(_ factors: [Int]) -> Int? {
    var p = 1
    for f in factors {
      guard f >= 0 else { return nil }
      let (next, overflow) = p.multipliedReportingOverflow(by: f)
      guard !overflow else { return nil }
      p = next
    }
    return p
  }

  /// The sum of `terms`; nil when one is nil or the sum overflows.
  public static func sum(_ terms: [Int?]) -> Int? {
    var s = 0
    for t in terms {
      guard let t else { return nil }
      let (next, overflow) = s.addingReportingOverflow(t)
      guard !overflow else { return nil }
      s = next
    }
    return s
  }

  /// Throws ``ConvError/tooMuchWork(flag:value:implies:limit:hint:)`` when `amount` (nil: too
  /// many to count) passes `limit`.
  ///
  /// - Parameters:
  ///   - flag: the flag (or flags) that asked for the work, e.g. `--cells`.
  ///   - value: its value as given.
  ///   - unit: what is counted, e.g. `multiply–adds of finite differences`.
  ///   - hint: what would be valid, e.g. `give --cells at most 1200`.
  public static func require(
    _ amount: Int?, atMost limit: Int, flag: String, value: String, unit: String,
    hint: String
  ) throws(ConvError) {
    if let amount, amount <= limit { return }
    throw ConvError.tooMuchWork(
      flag: flag, value: value, implies: "\(amount.map(String.init) ?? "too many") \(unit)",
      limit: "\(limit)", hint: hint)
  }

  // MARK: Layers

  /// The multiply–adds of one pass of a convolution with `outputCells` outputs (N·F·OH·OW), plus
  /// the comparisons of a max pooling of `pooledCells` outputs with a `pool`-cell window.
  public static func passMACs(
    outputCells: Int, config: Conv2DConfig, pooledCells: Int = 0, poolWindow: Int = 0
  ) -> Int? {
    sum([
      product([outputCells, config.groupChannels, config.kernel.h, config.kernel.w]),
      product([pooledCells, poolWindow]),
    ])
  }

  /// What to reduce when a layer is too large, in the words of the command's flags.
  public struct LayerFlags: Sendable {
    /// For the input, e.g. `--batch, --channels or --input-size`.
    public var input: String
    /// For the weights.
    public var weights: String
    /// For the output.
    public var output: String
    /// For one pass's multiply–adds.
    public var work: String

    /// The hints, each after "reduce ".
    public init(input: String, weights: String, output: String, work: String) {
      self.input = input
      self.weights = weights
      self.output = output
      self.work = work
    }

    /// A case file's layer (`compute`, `steps`, `--case`): its parameters and shapes.
    public static let caseFile = LayerFlags(
      input: "the case's x", weights: "the case's w",
      output: "the case's padding or shapes", work: "the case's shapes")

    /// The layer flags of the viewer, `render`, `export`, `check`, `gradcheck` and `code`.
    public static let layer = LayerFlags(
      input: "--batch, --channels or --input-size",
      weights: "--filters, --channels or --kernel-size",
      output: "--batch, --filters, --input-size or --padding",
      work: "--batch, --filters, --channels, --kernel-size or --input-size")
  }

  /// Refuses an input `[N, C, H, W]` too large to walk, before it is made.
  public static func requireWalkable(input: [Int], flags: LayerFlags = .layer) throws {
    try require(
      product(input), atMost: maxWalkValues, flag: "the input", value: ConvError.format(input),
      unit: "values", hint: "reduce \(flags.input)")
  }

  /// Refuses a layer too large to walk, from its shapes alone (nothing is allocated): the input
  /// `[N, C, H, W]`, the weights of `config`, the output and one pass's multiply–adds (with the
  /// comparisons of `pool`).
  public static func requireWalkable(
    input: [Int], config: Conv2DConfig, pool: MaxPool2DConfig? = nil, flags: LayerFlags = .layer
  ) throws {
    try requireWalkable(input: input, flags: flags)
    try require(
      product(config.weightShape), atMost: maxWalkValues, flag: "the weights",
      value: ConvError.format(config.weightShape), unit: "values",
      hint: "reduce \(flags.weights)")
    guard input.count == 4 else { return }
    let out = try config.outputSize(input: Size2(input[2], input[3]))
    let outShape = [input[0], config.filters, out.h, out.w]
    let cells = product(outShape)
    try require(
      cells, atMost: maxWalkValues, flag: "the output", value: ConvError.format(outShape),
      unit: "values", hint: "reduce \(flags.output)")
    var (pooled, window) = (0, 0)
    if let pool {
      let p = try pool.outputSize(input: out)
      pooled = product([input[0], config.filters, p.h, p.w]) ?? Int.max
      window = pool.kernel.h * pool.kernel.w
    }
    try require(
      passMACs(
        outputCells: cells ?? Int.max, config: config, pooledCells: pooled, poolWindow: window),
      atMost: maxWalkMACs, flag: "the layer",
      value: "\(ConvError.format(input)) → \(ConvError.format(outShape))",
      unit: "multiply–adds a pass",
      hint: "reduce \(flags.work)" + (pool == nil ? "" : ", or the --pool kernel"))
  }

  /// Multiply–adds of one pass of a layer whose numbers are checked (`check`, `--check-…`):
  /// 2^28. The diagnosis recomputes the layer with every known mistake, some 150 times the
  /// work of one pass: about 40 s at this limit.
  public static let maxCheckMACs = 1 << 28

  /// Refuses a layer too large to diagnose (see ``maxCheckMACs``), from its shapes alone.
  public static func requireCheckable(input: [Int], config: Conv2DConfig) throws {
    guard input.count == 4 else { return }
    let out = try config.outputSize(input: Size2(input[2], input[3]))
    let outShape = [input[0], config.filters, out.h, out.w]
    try require(
      passMACs(outputCells: product(outShape) ?? Int.max, config: config),
      atMost: maxCheckMACs, flag: "checking the layer",
      value: "\(ConvError.format(input)) → \(ConvError.format(outShape))",
      unit: "multiply–adds a pass (each known mistake recomputes it)",
      hint: "check a smaller --batch, or fewer --filters or --channels")
  }

  // MARK: Gradient checks

  /// The multiply–adds of a finite-difference check of `geometry` that checks at most
  /// `cellsPerTensor` cells of each of dx, dw and db (nil: every cell).
  ///
  /// A dx cell's loss runs over the outputs its windows reach (at most ``dxReach(geometry:)``), a dw
  /// or db cell's over every output of its filter (N·OH·OW); each output costs C·KH·KW
  /// multiply–adds, twice (θ+ε and θ−ε).
  public static func gradientCheckMACs(geometry g: ConvGeometry, cellsPerTensor: Int?) -> Int? {
    let c = g.config
    func checked(_ total: Int) -> Int { min(total, cellsPerTensor ?? total) }
    let reach = dxReach(geometry: g)
    let perFilter = product([g.batch, g.output.h, g.output.w])
    let taps = 2 * c.groupChannels * c.kernel.h * c.kernel.w
    let xCount = product([g.batch, c.inChannels, g.input.h, g.input.w])
    let wCount = product(c.weightShape)
    guard let xCount, let wCount, let perFilter else { return nil }
    return sum([
      product([checked(xCount), reach, taps]),
      product([checked(wCount), perFilter, taps]),
      product([checked(c.filters), perFilter, taps]),
    ])
  }

  /// The most outputs one input cell's windows reach: F times, along each axis, the windows
  /// that can hold the cell (at most the kernel's taps, the output's length and
  /// ⌈(d·(k−1)+1)/s⌉).
  public static func dxReach(geometry g: ConvGeometry) -> Int {
    let c = g.config
    // Under a copying padding mode a cell is also read through its copies: each kernel tap
    // reaches it from at most `padding + 1` windows (replicate's edge), so the bound grows.
    let copies = c.paddingMode != .zeros
    func axis(_ k: Int, _ d: Int, _ s: Int, _ o: Int, _ p: Int) -> Int {
      copies ? min(o, k * (p + 1)) : min(k, o, (d * (k - 1) + 1 + s - 1) / s)
    }
    return c.groupFilters * axis(c.kernel.h, c.dilation.h, c.stride.h, g.output.h, c.padding.h)
      * axis(c.kernel.w, c.dilation.w, c.stride.w, g.output.w, c.padding.w)
  }

  /// The most cells per tensor whose check fits ``maxGradientCheckMACs`` (0 when not one does).
  public static func gradientCheckCells(geometry: ConvGeometry) -> Int {
    var (low, high) = (0, 1 << 40)
    while low < high {
      let mid = (low + high + 1) / 2
      if let m = gradientCheckMACs(geometry: geometry, cellsPerTensor: mid),
        m <= maxGradientCheckMACs
      {
        low = mid
      } else {
        high = mid - 1
      }
    }
    return low
  }

  /// Refuses a gradient check over ``maxGradientCheckMACs``; `flag` is the flag that sets the
  /// cells (`--cells`, `--check-cells`) and `cellsPerTensor` its value (nil for 0, "all").
  public static func requireGradientCheck(
    geometry: ConvGeometry, cellsPerTensor: Int?, flag: String
  ) throws {
    let most = gradientCheckCells(geometry: geometry)
    let value = cellsPerTensor.map(String.init) ?? "0 (every cell)"
    try require(
      gradientCheckMACs(geometry: geometry, cellsPerTensor: cellsPerTensor),
      atMost: maxGradientCheckMACs, flag: flag, value: value,
      unit: "multiply–adds of finite differences",
      hint: most > 0
        ? "give \(flag) from 1 to \(most) for this layer" : "choose a smaller layer")
  }
}
