// MARK: - Conv2DConfig

/// The hyper-parameters of a 2-D convolution layer (PyTorch's `Conv2d` without groups).
///
/// The math is cross-correlation with zero padding on both sides:
/// `y[n,f,i,j] = b[f] + Σ_c Σ_p Σ_q w[f,c,p,q] · xpad[n,c, i·sh + p·dh, j·sw + q·dw]`.
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

  /// A configuration; call ``validate()`` before using values a user supplied.
  public init(
    inChannels: Int, filters: Int, kernel: Size2, stride: Size2 = 1, padding: Size2 = 0,
    dilation: Size2 = 1
  ) {
    self.inChannels = inChannels
    self.filters = filters
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
    self.dilation = dilation
  }

  /// The weight shape `[F, C, KH, KW]`.
  public var weightShape: [Int] { [filters, inChannels, kernel.h, kernel.w] }
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
    return Size2(
      Conv2DConfig.outputLength(
        input: input.h, kernel: kernel.h, stride: stride.h, padding: padding.h,
        dilation: dilation.h),
      Conv2DConfig.outputLength(
        input: input.w, kernel: kernel.w, stride: stride.w, padding: padding.w,
        dilation: dilation.w))
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
  /// `[F, C, KH, KW]`.
  public var weightShape: [Int] { config.weightShape }

  /// The padded input size.
  public var paddedInput: Size2 {
    Size2(input.h + 2 * config.padding.h, input.w + 2 * config.padding.w)
  }

  /// Multiply–accumulate operations of one forward pass.
  public var forwardMACs: Int {
    batch * config.filters * output.h * output.w * config.inChannels * config.kernel.h
      * config.kernel.w
  }

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
      padding: config.padding.h, dilation: config.dilation.h)
  }

  /// Unpadded input columns that no window reads (ascending).
  public func unreadColumns() -> [Int] {
    ConvGeometry.unread(
      length: input.w, outputs: output.w, kernel: config.kernel.w, stride: config.stride.w,
      padding: config.padding.w, dilation: config.dilation.w)
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

  /// How many windows (per filter) read each input cell, `[H][W]` flattened row-major.
  public func readCounts() -> [Int] {
    let rows = ConvGeometry.counts(
      length: input.h, outputs: output.h, kernel: config.kernel.h, stride: config.stride.h,
      padding: config.padding.h, dilation: config.dilation.h)
    let cols = ConvGeometry.counts(
      length: input.w, outputs: output.w, kernel: config.kernel.w, stride: config.stride.w,
      padding: config.padding.w, dilation: config.dilation.w)
    var result = [Int](repeating: 0, count: input.h * input.w)
    for h in 0..<input.h {
      for w in 0..<input.w { result[h * input.w + w] = rows[h] * cols[w] }
    }
    return result
  }

  static func counts(
    length: Int, outputs: Int, kernel: Int, stride: Int, padding: Int,
    dilation: Int
  ) -> [Int] {
    var c = [Int](repeating: 0, count: length)
    for i in 0..<outputs {
      for p in 0..<kernel {
        let r = i * stride + p * dilation - padding
        if r >= 0 && r < length { c[r] += 1 }
      }
    }
    return c
  }

  static func unread(
    length: Int, outputs: Int, kernel: Int, stride: Int, padding: Int,
    dilation: Int
  ) -> [Int] {
    counts(
      length: length, outputs: outputs, kernel: kernel, stride: stride, padding: padding,
      dilation: dilation
    ).enumerated().filter { $0.element == 0 }.map(\.offset)
  }
}
