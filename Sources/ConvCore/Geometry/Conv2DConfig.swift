import ConvKernels

// MARK: - Conv2DConfig

/// The hyper-parameters of a 2-D convolution layer (PyTorch's `Conv2d`).
///
/// The math is cross-correlation with padding on both sides:
/// `y[n,f,i,j] = b[f] + Σ_c Σ_p Σ_q w[f,c,p,q] · xpad[n, g·C/G + c, i·sh + p·dh, j·sw + q·dw]`,
/// `c` over the `C/G` channels of filter `f`'s group `g = ⌊f / (F/G)⌋`; a padding cell of
/// `xpad` holds zero or, under a copying ``paddingMode``, the input cell it copies.
public struct Conv2DConfig: Sendable, Hashable {
  /// Input channels `C`.
  public var inChannels: Int
  /// Filters (output channels) `F`.
  public var filters: Int
  /// Kernel size `KH×KW`.
  public var kernel: Size2
  /// Stride between windows.
  public var stride: Size2
  /// Zero padding added on each side.
  public var padding: Size2
  /// Spacing between kernel taps (1 = contiguous).
  public var dilation: Size2
  /// Groups `G`: `C` and `F` are multiples of it; each filter reads its group's `C/G`
  /// channels (depthwise: `G = C`).
  public var groups: Int
  /// What the padding cells hold.
  public var paddingMode: PaddingMode

  /// A configuration; call ``validate()`` before using values a user supplied.
  public init(
    inChannels: Int, filters: Int, kernel: Size2, stride: Size2 = 1, padding: Size2 = 0,
    dilation: Size2 = 1, groups: Int = 1, paddingMode: PaddingMode = .zeros
  ) {
    self.inChannels = inChannels
    self.filters = filters
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
    self.dilation = dilation
    self.groups = groups
    self.paddingMode = paddingMode
  }

  /// One group and zero padding: the layer the article and the first lessons show.
  public var isPlain: Bool { groups == 1 && paddingMode == .zeros }

  /// `C/G`: the input channels one filter reads.
  public var groupChannels: Int { inChannels / max(1, groups) }

  /// `F/G`: the filters of one group.
  public var groupFilters: Int { filters / max(1, groups) }

  /// The group of filter `f`, `⌊f / (F/G)⌋`.
  public func group(ofFilter f: Int) -> Int { f / max(1, groupFilters) }

  /// The input channel that filter `f`'s weight channel `c` (in `0..<C/G`) reads.
  public func inputChannel(filter f: Int, weightChannel c: Int) -> Int {
    group(ofFilter: f) * groupChannels + c
  }

  /// The weight shape `[F, C/G, KH, KW]`.
  public var weightShape: [Int] { [filters, groupChannels, kernel.h, kernel.w] }
  /// The bias shape `[F]`.
  public var biasShape: [Int] { [filters] }

  /// The footprint of one window: `d·(k−1)+1` along each axis.
  public var effectiveKernel: Size2 {
    Size2(dilation.h * (kernel.h - 1) + 1, dilation.w * (kernel.w - 1) + 1)
  }

  // MARK: Validation

  /// Throws a ``ConvError`` naming the first parameter out of range.
  public func validate() throws {
    try Conv2DConfig.require(inChannels, "in-channels", atLeast: 1)
    try Conv2DConfig.require(filters, "filters", atLeast: 1)
    try Conv2DConfig.require(kernel, "kernel-size", atLeast: 1)
    try Conv2DConfig.require(stride, "stride", atLeast: 1)
    try Conv2DConfig.require(padding, "padding", atLeast: 0)
    try Conv2DConfig.require(dilation, "dilation", atLeast: 1)
    // Guard against sizes whose products overflow before anything allocates.
    for (name, v) in [
      ("kernel-size", kernel), ("stride", stride), ("padding", padding), ("dilation", dilation),
    ] where v.h > 1 << 20 || v.w > 1 << 20 {
      throw ConvError.invalidParameter(name: name, value: "\(v)", requirement: "at most 1048576")
    }
    for (name, v) in [("in-channels", inChannels), ("filters", filters)] where v > 1 << 20 {
      throw ConvError.invalidParameter(name: name, value: "\(v)", requirement: "at most 1048576")
    }
    try Conv2DConfig.require(groups, "groups", atLeast: 1)
    guard inChannels % groups == 0, filters % groups == 0 else {
      throw ConvError.invalidParameter(
        name: "groups", value: "\(groups)",
        requirement:
          "a divisor of both in-channels (\(inChannels)) and filters (\(filters)): "
          + "divisors of both are \(Conv2DConfig.commonDivisors(inChannels, filters).map(String.init).joined(separator: ", "))"
      )
    }
  }

  /// The numbers that divide both `a` and `b`, ascending.
  static func commonDivisors(_ a: Int, _ b: Int) -> [Int] {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return x < 1 ? [1] : (1...x).filter { x % $0 == 0 }
  }

  static func require(_ value: Int, _ name: String, atLeast minimum: Int) throws {
    guard value >= minimum else {
      throw ConvError.invalidParameter(name: name, value: "\(value)", requirement: "≥ \(minimum)")
    }
  }

  static func require(_ value: Size2, _ name: String, atLeast minimum: Int) throws {
    guard value.h >= minimum, value.w >= minimum else {
      throw ConvError.invalidParameter(name: name, value: "\(value)", requirement: "≥ \(minimum)")
    }
  }

  // MARK: Output size

  /// PyTorch's output length along one axis: `⌊(n + 2p − d(k−1) − 1)/s⌋ + 1`.
  ///
  /// Returns a value ≤ 0 when no window fits; callers validate with ``outputSize(input:)``.
  public static func outputLength(
    input n: Int, kernel k: Int, stride s: Int, padding p: Int,
    dilation d: Int
  ) -> Int {
    let span = n + 2 * p - d * (k - 1) - 1
    // Floor division (span may be negative when the kernel does not fit).
    let q = span >= 0 ? span / s : -((-span + s - 1) / s)
    return q + 1
  }

  /// The output size `OH×OW` for an `H×W` input; throws when no window fits.
  public func outputSize(input: Size2) throws -> Size2 {
    try validate()
    try Conv2DConfig.require(input, "input size", atLeast: 1)
    let eff = effectiveKernel
    let padded = Size2(input.h + 2 * padding.h, input.w + 2 * padding.w)
    if eff.h > padded.h {
      throw ConvError.kernelDoesNotFit(
        axis: "height", effectiveKernel: eff.h, paddedInput: padded.h)
    }
    if eff.w > padded.w {
      throw ConvError.kernelDoesNotFit(axis: "width", effectiveKernel: eff.w, paddedInput: padded.w)
    }
    try checkPaddingMode(input: input)
    return Size2(
      Conv2DConfig.outputLength(
        input: input.h, kernel: kernel.h, stride: stride.h, padding: padding.h,
        dilation: dilation.h),
      Conv2DConfig.outputLength(
        input: input.w, kernel: kernel.w, stride: stride.w, padding: padding.w,
        dilation: dilation.w))
  }

  /// PyTorch's limits on a copying padding mode: reflect pads less than the input (`H−1` at
  /// most), circular at most the input; replicate and zeros any amount.
  func checkPaddingMode(input: Size2) throws {
    let limit: Size2
    let words: String
    switch paddingMode {
    case .zeros, .replicate: return
    case .reflect:
      limit = Size2(input.h - 1, input.w - 1)
      words = "less than the input for reflect padding"
    case .circular:
      limit = input
      words = "at most the input for circular padding"
    }
    if padding.h > limit.h || padding.w > limit.w {
      throw ConvError.invalidParameter(
        name: "padding", value: "\(padding)",
        requirement: "\(words) (input \(input), so at most \(limit))")
    }
  }

  /// The output-size formula with live numbers, e.g.
  /// `⌊(32 + 2·2 − 1·(5−1) − 1)/1⌋ + 1 = 32`, for one axis (`height` uses h values).
  public func outputFormula(input n: Int, alongHeight: Bool) -> String {
    let k = alongHeight ? kernel.h : kernel.w
    let s = alongHeight ? stride.h : stride.w
    let p = alongHeight ? padding.h : padding.w
    let d = alongHeight ? dilation.h : dilation.w
    let o = Conv2DConfig.outputLength(input: n, kernel: k, stride: s, padding: p, dilation: d)
    return "⌊(\(n) + 2·\(p) − \(d)·(\(k)−1) − 1)/\(s)⌋ + 1 = \(o)"
  }
}

// MARK: - ConvGeometry

/// A configuration bound to an input size: every derived size a loop needs, validated once.
public struct ConvGeometry: Sendable, Hashable {
  /// The layer's hyper-parameters.
  public let config: Conv2DConfig
  /// Batch size `N`.
  public let batch: Int
  /// Input size `H×W`.
  public let input: Size2
  /// Output size `OH×OW`.
  public let output: Size2

  /// Validates `config` against an input of shape `[N, C, H, W]`.
  public init(config: Conv2DConfig, inputShape: [Int]) throws {
    try config.validate()
    guard inputShape.count == 4 else {
      throw ConvError.shapeMismatch(
        name: "input x", expected: "[N, C, H, W] (rank 4)", actual: inputShape)
    }
    guard inputShape[1] == config.inChannels else {
      throw ConvError.shapeMismatch(
        name: "input x",
        expected: "\(config.inChannels) channel\(config.inChannels == 1 ? "" : "s") in dimension 1",
        actual: inputShape)
    }
    try Conv2DConfig.require(inputShape[0], "batch", atLeast: 1)
    self.config = config
    self.batch = inputShape[0]
    self.input = Size2(inputShape[2], inputShape[3])
    self.output = try config.outputSize(input: input)
  }

  /// `[N, C, H, W]`.
  public var inputShape: [Int] { [batch, config.inChannels, input.h, input.w] }
  /// `[N, F, OH, OW]`.
  public var outputShape: [Int] { [batch, config.filters, output.h, output.w] }
  /// `[F, C/G, KH, KW]`.
  public var weightShape: [Int] { config.weightShape }

  /// The padded input size.
  public var paddedInput: Size2 {
    Size2(input.h + 2 * config.padding.h, input.w + 2 * config.padding.w)
  }

  /// Multiply–accumulate operations of one forward pass.
  public var forwardMACs: Int {
    batch * config.filters * output.h * output.w * config.groupChannels * config.kernel.h
      * config.kernel.w
  }

  /// The input row that row `h` (unpadded coordinates, maybe in the padding) reads: `h` itself
  /// inside the input, the row a copying padding mode copies, nil for a zero.
  @inlinable
  public func sourceRow(_ h: Int) -> Int? { config.paddingMode.source(h, length: input.h) }

  /// The input column that column `w` (unpadded coordinates) reads, as ``sourceRow(_:)``.
  @inlinable
  public func sourceColumn(_ w: Int) -> Int? { config.paddingMode.source(w, length: input.w) }

  /// The input row read by output row `i` and kernel row `p`, in unpadded coordinates
  /// (negative or ≥ H means padding).
  @inlinable
  public func inputRow(outputRow i: Int, kernelRow p: Int) -> Int {
    i * config.stride.h + p * config.dilation.h - config.padding.h
  }

  /// The input column read by output column `j` and kernel column `q`, unpadded coordinates.
  @inlinable
  public func inputColumn(outputColumn j: Int, kernelColumn q: Int) -> Int {
    j * config.stride.w + q * config.dilation.w - config.padding.w
  }

  /// Unpadded input rows that no window reads, because the floor dropped them or stride skips
  /// them (ascending).
  public func unreadRows() -> [Int] {
    ConvGeometry.unread(
      length: input.h, outputs: output.h, kernel: config.kernel.h, stride: config.stride.h,
      padding: config.padding.h, dilation: config.dilation.h, mode: config.paddingMode)
  }

  /// Unpadded input columns that no window reads (ascending).
  public func unreadColumns() -> [Int] {
    ConvGeometry.unread(
      length: input.w, outputs: output.w, kernel: config.kernel.w, stride: config.stride.w,
      padding: config.padding.w, dilation: config.dilation.w, mode: config.paddingMode)
  }

  /// Unpadded input rows past the last window: dropped by the floor in the output-size formula.
  public func rowsDroppedByFloor() -> [Int] {
    let last =
      (output.h - 1) * config.stride.h + config.dilation.h * (config.kernel.h - 1)
      - config.padding.h
    return last + 1 < input.h ? Array((last + 1)..<input.h) : []
  }

  /// Unpadded input columns past the last window: dropped by the floor.
  public func columnsDroppedByFloor() -> [Int] {
    let last =
      (output.w - 1) * config.stride.w + config.dilation.w * (config.kernel.w - 1)
      - config.padding.w
    return last + 1 < input.w ? Array((last + 1)..<input.w) : []
  }

  /// How many taps of one filter's windows read each input cell, `[H][W]` flattened row-major
  /// (a cell a copying padding mode copies is counted for each copy read).
  public func readCounts() -> [Int] {
    let rows = ConvGeometry.counts(
      length: input.h, outputs: output.h, kernel: config.kernel.h, stride: config.stride.h,
      padding: config.padding.h, dilation: config.dilation.h, mode: config.paddingMode)
    let cols = ConvGeometry.counts(
      length: input.w, outputs: output.w, kernel: config.kernel.w, stride: config.stride.w,
      padding: config.padding.w, dilation: config.dilation.w, mode: config.paddingMode)
    var result = [Int](repeating: 0, count: input.h * input.w)
    for h in 0..<input.h {
      for w in 0..<input.w { result[h * input.w + w] = rows[h] * cols[w] }
    }
    return result
  }

  static func counts(
    length: Int, outputs: Int, kernel: Int, stride: Int, padding: Int,
    dilation: Int, mode: PaddingMode = .zeros
  ) -> [Int] {
    var c = [Int](repeating: 0, count: length)
    for i in 0..<outputs {
      for p in 0..<kernel {
        if let r = mode.source(i * stride + p * dilation - padding, length: length) { c[r] += 1 }
      }
    }
    return c
  }

  static func unread(
    length: Int, outputs: Int, kernel: Int, stride: Int, padding: Int,
    dilation: Int, mode: PaddingMode = .zeros
  ) -> [Int] {
    counts(
      length: length, outputs: outputs, kernel: kernel, stride: stride, padding: padding,
      dilation: dilation, mode: mode
    ).enumerated().filter { $0.element == 0 }.map(\.offset)
  }
}
