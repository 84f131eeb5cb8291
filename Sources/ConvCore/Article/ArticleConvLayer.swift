import ConvKernels

// MARK: - ArticleConvLayer

/// The blog article's `ConvLayer(input_size, filter_size, num_filters, stride=1, padding=0,
/// alpha=0.01)`, done right.
///
/// A thin adapter over ``Conv2DLayer`` with the article's names and layouts: `forward` takes
/// `x[B, H, W]` (one channel) and returns `out[B, O, O, F]` (channels last, as the article
/// indexes it: `out[n][i][j][f] = y[n][f][i][j]`); `backward(dOut)` takes `dOut[B, O, O, F]`,
/// returns `dX[B, H, W]` and applies one SGD step with `alpha` — after the whole batch, not per
/// sample (see `docs/article-errata.md`).
public struct ArticleConvLayer: Sendable {
  /// Side of the square input.
  public let inputSize: Int
  /// Side of the square filter.
  public let filterSize: Int
  /// Number of filters.
  public let numFilters: Int
  /// Stride along both axes.
  public let stride: Int
  /// Zero padding on every side.
  public let padding: Int
  /// The SGD learning rate.
  public let alpha: Float
  /// The convolution that does the work.
  public private(set) var conv: Conv2DLayer

  /// The layer with He-initialised filters (seeded) and zero biases. Throws on impossible sizes.
  public init(
    inputSize: Int, filterSize: Int, numFilters: Int, stride: Int = 1, padding: Int = 0,
    alpha: Float = 0.01, seed: UInt64 = 0, backend: ConvBackend = .fast
  ) throws {
    guard alpha.isFinite, alpha >= 0 else {
      throw ConvError.invalidParameter(name: "alpha", value: "\(alpha)", requirement: "finite, ≥ 0")
    }
    try Conv2DConfig.require(inputSize, "input-size", atLeast: 1)
    let config = Conv2DConfig(
      inChannels: 1, filters: numFilters, kernel: Size2(filterSize), stride: Size2(stride),
      padding: Size2(padding))
    _ = try config.outputSize(input: Size2(inputSize))
    self.inputSize = inputSize
    self.filterSize = filterSize
    self.numFilters = numFilters
    self.stride = stride
    self.padding = padding
    self.alpha = alpha
    self.conv = try Conv2DLayer(config: config, seed: seed, backend: backend)
  }

  /// Installs filters `[F, K, K]` (or `[F, 1, K, K]`) and biases `[F]`; shapes are checked.
  public mutating func setParameters(filters: Tensor, biases: Tensor) throws {
    let shape = conv.config.weightShape
    let w = filters.rank == 3 ? try filters.reshaped(shape) : filters
    try w.requireShape(shape, name: "filters")
    try conv.setWeight(w)
    try conv.setBias(biases)
  }

  /// The output side `O = ⌊(input + 2·padding − filter)/stride⌋ + 1`.
  public var outputSize: Int {
    Conv2DConfig.outputLength(
      input: inputSize, kernel: filterSize, stride: stride, padding: padding, dilation: 1)
  }

  /// The filters as the article stores them, `[F, K, K]`.
  public var filters: Tensor {
    // C = 1, so [F, 1, K, K] and [F, K, K] share their data.
    var t = Tensor(shape: [numFilters, filterSize, filterSize])
    t.data = conv.weight.data
    return t
  }

  /// The biases, `[F]`.
  public var biases: Tensor { conv.bias }

  /// `out[B, O, O, F]` for `x[B, inputSize, inputSize]`.
  public mutating func forward(_ x: Tensor) throws -> Tensor {
    guard x.rank == 3, x.shape[1] == inputSize, x.shape[2] == inputSize, x.shape[0] >= 1 else {
      throw ConvError.shapeMismatch(
        name: "input x", expected: "(B, \(inputSize), \(inputSize))", actual: x.shape)
    }
    let nchw = try x.reshaped([x.shape[0], 1, inputSize, inputSize])
    return Layout.nchwToNHWC(try conv.forward(nchw))
  }

  /// `dX[B, H, W]` for `dOut[B, O, O, F]`, then one SGD step `W -= α·dW`, `b -= α·db`.
  public mutating func backward(_ dOut: Tensor) throws -> Tensor {
    guard let x = conv.cachedInput else {
      throw ConvError.missingPass(needed: "forward", by: "backward")
    }
    let o = outputSize
    try dOut.requireShape([x.shape[0], o, o, numFilters], name: "output gradient dOut")
    let gradients = try conv.backward(Layout.nhwcToNCHW(dOut))
    try conv.sgdStep(learningRate: alpha)
    return try gradients.dx.reshaped([x.shape[0], inputSize, inputSize])
  }

  /// The gradients of the last `backward`, before the step was applied.
  public var lastGradients: Conv2DGradients? { conv.gradients }
}

// MARK: - Layout

/// Conversions between channels-first (NCHW) and channels-last (NHWC) rank-4 tensors.
public enum Layout {
  /// `[N, C, H, W]` → `[N, H, W, C]`.
  public static func nchwToNHWC(_ t: Tensor) -> Tensor { permuted(t, nhwcFromNCHW: true) }

  /// `[N, H, W, C]` → `[N, C, H, W]`.
  public static func nhwcToNCHW(_ t: Tensor) -> Tensor { permuted(t, nhwcFromNCHW: false) }

  /// Moves the channel axis of a rank-4 tensor last (`true`) or back to second (`false`).
  static func permuted(_ t: Tensor, nhwcFromNCHW toNHWC: Bool) -> Tensor {
    precondition(t.rank == 4)
    let s = t.shape
    let (N, C, H, W) = toNHWC ? (s[0], s[1], s[2], s[3]) : (s[0], s[3], s[1], s[2])
    var r = Tensor(shape: toNHWC ? [N, H, W, C] : [N, C, H, W])
    precondition(r.count == t.count)
    // Per sample a [C, H·W] ↔ [H·W, C] transpose, on raw buffers in the kernels target.
    t.data.withUnsafeBufferPointer { src in
      r.data.withUnsafeMutableBufferPointer { dst in
        Transpose.batched(
          src, into: dst, batch: N, rows: toNHWC ? C : H * W, columns: toNHWC ? H * W : C)
      }
    }
    return r
  }

}
