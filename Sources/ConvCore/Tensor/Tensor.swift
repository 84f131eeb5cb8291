// MARK: - Tensor

/// A dense tensor of `Float`: a shape plus contiguous row-major storage (NCHW for images).
///
/// `Tensor` is a value type (copy-on-write through its array), `Sendable` and `Equatable`
/// (equal shapes and bitwise-equal values, except that `-0 == 0` and `NaN != NaN` as for `Float`).
public struct Tensor: Sendable, Equatable, CustomStringConvertible {
  /// The largest element count a tensor built from user input may have (2^28, 1 GiB of floats).
  public static let maxElementCount = 1 << 28

  /// The size of each dimension, outermost first.
  public private(set) var shape: [Int]
  /// The values in row-major order; `data.count == shape.reduce(1, *)`.
  public var data: [Float]

  // MARK: Creating

  /// A tensor of the given shape with every value set to `value`.
  ///
  /// The shape must come from validated code: negative sizes or an overflowing product trap.
  /// Use ``init(validatingShape:repeating:name:)`` for shapes a user controls.
  public init(shape: [Int], repeating value: Float = 0) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
    self.shape = shape
    self.data = Array(repeating: value, count: shape.reduce(1, *))
  }

  /// A tensor of a user-controlled shape: throws instead of trapping on negative sizes,
  /// overflow, or more than ``maxElementCount`` elements.
  public init(validatingShape shape: [Int], repeating value: Float = 0, name: String = "tensor")
    throws
  {
    let count = try Tensor.elementCount(of: shape, name: name)
    self.shape = shape
    self.data = Array(repeating: value, count: count)
  }

  /// A tensor from a shape and its row-major values; throws when the lengths disagree.
  public init(shape: [Int], data: [Float], name: String = "tensor") throws {
    let count = try Tensor.elementCount(of: shape, name: name)
    guard count == data.count else {
      throw ConvError.dataLengthMismatch(name: name, shape: shape, count: data.count)
    }
    self.shape = shape
    self.data = data
  }

  /// The element count of `shape`, checked for negative sizes, overflow and the size limit.
  public static func elementCount(of shape: [Int], name: String = "tensor") throws -> Int {
    var count = 1
    for d in shape {
      guard d >= 0 else {
        throw ConvError.invalidParameter(
          name: "\(name) shape", value: ConvError.format(shape), requirement: "non-negative")
      }
      let (product, overflow) = count.multipliedReportingOverflow(by: d)
      guard !overflow, product <= maxElementCount else {
        throw ConvError.tooLarge(name: name, shape: shape, limit: maxElementCount)
      }
      count = product
    }
    return count
  }

  /// A tensor of seeded uniform values in `range`, reproducible across runs and platforms.
  public static func uniform(shape: [Int], in range: ClosedRange<Float> = -1...1, seed: UInt64)
    -> Tensor
  {
    var generator = SeededGenerator(seed: seed)
    return uniform(shape: shape, in: range, using: &generator)
  }

  /// A tensor of uniform values in `range` drawn from `generator`.
  public static func uniform(
    shape: [Int], in range: ClosedRange<Float>, using generator: inout SeededGenerator
  ) -> Tensor {
    var t = Tensor(shape: shape)
    let width = Double(range.upperBound - range.lowerBound)
    for i in t.data.indices {
      t.data[i] = Float(Double(range.lowerBound) + width * generator.nextUnit())
    }
    return t
  }

  /// A tensor of seeded normal values with the given mean and standard deviation.
  public static func normal(shape: [Int], mean: Float = 0, std: Float = 1, seed: UInt64) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    var t = Tensor(shape: shape)
    for i in t.data.indices {
      t.data[i] = mean + std * Float(generator.nextNormal())
    }
    return t
  }

  // MARK: Shape

  /// The number of dimensions.
  public var rank: Int { shape.count }
  /// The number of values.
  public var count: Int { data.count }

  /// Row-major strides: `strides[k]` is the distance between neighbours along dimension `k`.
  public var strides: [Int] {
    var result = Array(repeating: 1, count: shape.count)
    var s = 1
    for k in stride(from: shape.count - 1, through: 0, by: -1) {
      result[k] = s
      s *= shape[k]
    }
    return result
  }

  /// The same values with another shape of the same element count.
  public func reshaped(_ newShape: [Int]) throws -> Tensor {
    try Tensor(shape: newShape, data: data, name: "reshape target")
  }

  /// Throws unless the tensor has exactly `expected` as its shape.
  public func requireShape(_ expected: [Int], name: String) throws {
    guard shape == expected else {
      throw ConvError.shapeMismatch(name: name, expected: ConvError.format(expected), actual: shape)
    }
  }

  // MARK: Indexing

  /// The flat row-major offset of a multi-index (bounds are checked by precondition).
  @inlinable
  public func offset(_ index: [Int]) -> Int {
    precondition(index.count == shape.count, "index rank \(index.count) ≠ tensor rank \(rank)")
    var o = 0
    for k in 0..<index.count {
      precondition(index[k] >= 0 && index[k] < shape[k], "index \(index) out of \(shape)")
      o = o * shape[k] + index[k]
    }
    return o
  }

  /// The value at a multi-index, e.g. `t[[n, c, h, w]]`.
  @inlinable
  public subscript(_ index: [Int]) -> Float {
    get { data[offset(index)] }
    set { data[offset(index)] = newValue }
  }

  /// The value at `(n, c, h, w)` of a rank-4 tensor.
  @inlinable
  public subscript(n n: Int, c c: Int, h h: Int, w w: Int) -> Float {
    get { data[((n * shape[1] + c) * shape[2] + h) * shape[3] + w] }
    set { data[((n * shape[1] + c) * shape[2] + h) * shape[3] + w] = newValue }
  }

  // MARK: Values

  /// Sets every value to `value`.
  public mutating func fill(_ value: Float) {
    for i in data.indices { data[i] = value }
  }

  /// A tensor of the same shape with `transform` applied to every value.
  public func map(_ transform: (Float) -> Float) -> Tensor {
    var t = self
    for i in t.data.indices { t.data[i] = transform(t.data[i]) }
    return t
  }

  /// The largest absolute value (0 for an empty tensor; NaN is ignored).
  public var maxAbs: Float {
    data.reduce(0) { max($0, abs($1)) }
  }

  /// The largest absolute difference to another tensor of the same shape (`.infinity` if the
  /// shapes differ).
  public func maxAbsDifference(to other: Tensor) -> Float {
    guard shape == other.shape else { return .infinity }
    var m: Float = 0
    for i in data.indices {
      let d = abs(data[i] - other.data[i])
      if d.isNaN { return .nan }
      m = max(m, d)
    }
    return m
  }

  /// A short summary: shape and the first few values.
  public var description: String {
    let head = data.prefix(8).map { "\($0)" }.joined(separator: ", ")
    return "Tensor\(ConvError.format(shape)) [\(head)\(data.count > 8 ? ", …" : "")]"
  }
}
