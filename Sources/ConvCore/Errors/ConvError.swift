// MARK: - ConvError

/// Every error ConvCore throws for a value a user controls.
///
/// The message names the parameter and the value, so a command-line tool can print it as one line.
public enum ConvError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A parameter is out of range, e.g. `stride` 0.
  case invalidParameter(name: String, value: String, requirement: String)
  /// A tensor has the wrong shape for the operation.
  case shapeMismatch(name: String, expected: String, actual: [Int])
  /// The effective kernel, `d·(k−1)+1`, is larger than the padded input along one axis.
  case kernelDoesNotFit(axis: String, effectiveKernel: Int, paddedInput: Int)
  /// The pooling window is larger than the map it pools (the convolution's output plus twice
  /// the pool padding) along one axis.
  case poolDoesNotFit(axis: String, kernel: Int, input: Int, padding: Int)
  /// The data length disagrees with the product of the shape.
  case dataLengthMismatch(name: String, shape: [Int], count: Int)
  /// A tensor would hold more elements than allowed.
  case tooLarge(name: String, shape: [Int], limit: Int)
  /// `backward` or `sgdStep` was called before the pass it depends on.
  case missingPass(needed: String, by: String)
  /// A flag's value implies more work than ``WorkBudget`` allows: the flag, its value, what it
  /// implies (`512000000 multiply–adds`), the limit and what would be valid.
  case tooMuchWork(flag: String, value: String, implies: String, limit: String, hint: String)

  /// A one-line message naming the parameter and the value.
  public var description: String {
    switch self {
    case .invalidParameter(let name, let value, let requirement):
      return "\(name) must be \(requirement) (got \(value))"
    case .shapeMismatch(let name, let expected, let actual):
      return "\(name) has shape \(ConvError.format(actual)) but \(expected) was expected"
    case .kernelDoesNotFit(let axis, let effectiveKernel, let paddedInput):
      return
        "the effective kernel \(axis) (dilation·(kernel−1)+1 = \(effectiveKernel)) is larger than "
        + "the padded input \(axis) (\(paddedInput)): no window fits"
    case .poolDoesNotFit(let axis, let kernel, let input, let padding):
      let padded = padding > 0 ? " plus 2·\(padding) pool padding" : ""
      return
        "the pool kernel \(axis) (\(kernel)) is larger than the convolution's output \(axis) "
        + "(\(input)\(padded)): no pooling window fits"
    case .dataLengthMismatch(let name, let shape, let count):
      let product = shape.reduce(1, *)
      return "\(name) has \(count) values but its shape \(ConvError.format(shape)) needs \(product)"
    case .tooLarge(let name, let shape, let limit):
      return "\(name) with shape \(ConvError.format(shape)) exceeds the limit of \(limit) elements"
    case .missingPass(let needed, let by):
      return "\(by) needs \(needed) to run first"
    case .tooMuchWork(let flag, let value, let implies, let limit, let hint):
      return "\(flag) \(value) implies \(implies), over the limit of \(limit); \(hint)"
    }
  }

  /// Formats a shape the way NumPy prints it: `(10, 32, 32)`.
  public static func format(_ shape: [Int]) -> String {
    shape.count == 1
      ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }
}
