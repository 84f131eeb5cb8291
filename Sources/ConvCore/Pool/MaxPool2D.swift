// MARK: - MaxPool2DConfig

/// 2-D max pooling: kernel, stride (default: the kernel) and padding with −∞.
public struct MaxPool2DConfig: Sendable, Hashable {
  /// Window size.
  public var kernel: Size2
  /// Step between windows.
  public var stride: Size2
  /// Padding on each side, filled with −∞ (at most half the kernel, as in PyTorch).
  public var padding: Size2

  /// A pooling configuration; `stride` defaults to `kernel`.
  public init(kernel: Size2, stride: Size2? = nil, padding: Size2 = 0) {
    self.kernel = kernel
    self.stride = stride ?? kernel
    self.padding = padding
  }

  /// Throws a ``ConvError`` naming the first parameter out of range.
  public func validate() throws {
    try Conv2DConfig.require(kernel, "pool kernel", atLeast: 1)
    try Conv2DConfig.require(stride, "pool stride", atLeast: 1)
    try Conv2DConfig.require(padding, "pool padding", atLeast: 0)
    guard 2 * padding.h <= kernel.h, 2 * padding.w <= kernel.w else {
      throw ConvError.invalidParameter(
        name: "pool padding", value: "\(padding)", requirement: "at most half the pool kernel")
    }
    for (name, v) in [("pool kernel", kernel), ("pool stride", stride)]
    where v.h > 1 << 20 || v.w > 1 << 20 {
      throw ConvError.invalidParameter(name: name, value: "\(v)", requirement: "at most 1048576")
    }
  }

  /// The output size for an `H×W` input; throws when no window fits (naming the pool, not a
  /// convolution: ``ConvError/poolDoesNotFit(axis:kernel:input:padding:)``).
  public func outputSize(input: Size2) throws -> Size2 {
    try validate()
    if kernel.h > input.h + 2 * padding.h {
      throw ConvError.poolDoesNotFit(
        axis: "height", kernel: kernel.h, input: input.h, padding: padding.h)
    }
    if kernel.w > input.w + 2 * padding.w {
      throw ConvError.poolDoesNotFit(
        axis: "width", kernel: kernel.w, input: input.w, padding: padding.w)
    }
    let asConv = Conv2DConfig(
      inChannels: 1, filters: 1, kernel: kernel, stride: stride, padding: padding)
    return try asConv.outputSize(input: input)
  }
}

// MARK: - MaxPool2D

/// Max pooling forward and backward. Ties go to the first maximum in row-major window order;
/// a NaN in a window wins (it propagates, as in PyTorch).
public enum MaxPool2D {
  /// The result of a forward pass: the pooled values and, for each, the flat index (within its
  /// `H×W` plane) of the input cell that won.
  public struct Output: Sendable, Equatable {
    /// `[N, C, OH, OW]`.
    public var y: Tensor
    /// For every output cell, the winning cell's `h·W + w` in its input plane.
    public var argmax: [Int]
  }

  /// Pools `x[N, C, H, W]`.
  public static func forward(_ x: Tensor, config: MaxPool2DConfig) throws -> Output {
    guard x.rank == 4 else {
      throw ConvError.shapeMismatch(name: "pool input", expected: "[N, C, H, W]", actual: x.shape)
    }
    let (N, C, H, W) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let out = try config.outputSize(input: Size2(H, W))
    var y = Tensor(shape: [N, C, out.h, out.w])
    var argmax = [Int](repeating: 0, count: y.count)
    x.data.withUnsafeBufferPointer { x in
      y.data.withUnsafeMutableBufferPointer { y in
        argmax.withUnsafeMutableBufferPointer { argmax in
          var o = 0
          for plane in 0..<(N * C) {
            let base = plane * H * W
            for i in 0..<out.h {
              for j in 0..<out.w {
                (y[o], argmax[o]) = window(x, base: base, i: i, j: j, size: Size2(H, W), config)
                o += 1
              }
            }
          }
        }
      }
    }
    return Output(y: y, argmax: argmax)
  }

  /// The largest value of output cell `(i, j)`'s window in the plane at `base` (the first of
  /// equal ones; a NaN wins) and its index in the plane (−1 for a window all in the padding).
  @inline(__always)
  static func window(
    _ x: UnsafeBufferPointer<Float>, base: Int, i: Int, j: Int, size: Size2,
    _ config: MaxPool2DConfig
  ) -> (Float, Int) {
    let (H, W) = (size.h, size.w)
    var best = -Float.infinity
    var bestIndex = -1
    for p in 0..<config.kernel.h {
      let h = i * config.stride.h + p - config.padding.h
      if h < 0 || h >= H { continue }
      for q in 0..<config.kernel.w {
        let w = j * config.stride.w + q - config.padding.w
        if w < 0 || w >= W { continue }
        let v = x[base + h * W + w]
        if bestIndex < 0 || v > best || (v.isNaN && !best.isNaN) {
          best = v
          bestIndex = h * W + w
        }
      }
    }
    return (best, bestIndex)
  }

  /// Routes each `dy` value to the input cell that won its window (overlapping windows add).
  public static func backward(inputShape: [Int], dy: Tensor, argmax: [Int]) throws -> Tensor {
    guard inputShape.count == 4, dy.rank == 4, dy.shape[0] == inputShape[0],
      dy.shape[1] == inputShape[1], argmax.count == dy.count
    else {
      throw ConvError.shapeMismatch(
        name: "pool output gradient dy", expected: "[N, C, OH, OW] matching the input",
        actual: dy.shape)
    }
    var dx = try Tensor(validatingShape: inputShape, name: "pool dx")
    let plane = inputShape[2] * inputShape[3]
    let outPlane = dy.shape[2] * dy.shape[3]
    for o in 0..<dy.count where argmax[o] >= 0 {
      dx.data[(o / outPlane) * plane + argmax[o]] += dy.data[o]
    }
    return dx
  }
}
