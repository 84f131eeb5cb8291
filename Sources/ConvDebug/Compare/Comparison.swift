import ConvCore
import ConvStepper

// MARK: - Comparison

/// The user's tensors compared with the correct ones for one layer: the value the UI and
/// `convscope check` are built on.
///
/// ```swift
/// let trace = try LayerTrace(scenario)
/// let comparison = try Comparison(trace: trace, user: UserTensors(y: theirY))
/// comparison[.y]?.mismatches            // flat channels-first indices that differ
/// comparison.mismatchWindows(in: .forward)  // global forward windows to jump between
/// let report = comparison.diagnose()    // the known mistakes that reproduce their numbers
/// ```
///
/// The correct values are computed in `Double` by ConvCore's oracle from the scenario's float32
/// tensors; the comparison follows ``Tolerance`` (numpy.allclose plus a float32 allowance).
/// `dy` is the trace's gradient of the convolution's output (after any ReLU and pooling), so the
/// gradients compared are always the convolution's own.
public struct Comparison: Sendable {
  /// The layer (its scenario holds `x`, `w`, `b` and the gradient source).
  public let trace: LayerTrace
  /// The user's tensors.
  public let user: UserTensors
  /// The tolerance.
  public let tolerance: Tolerance
  /// One result per tensor the user gave, in the order y, dx, dw, db.
  public let results: [TensorComparison]
  let reference: ReferenceData
  let windowIndex: [Phase: [Int]]

  /// Compares `user` with the correct results of `trace`; throws only for a tolerance that is
  /// not finite and ≥ 0.
  public init(trace: LayerTrace, user: UserTensors, tolerance: Tolerance = Tolerance()) throws {
    try tolerance.validate()
    self.trace = trace
    var user = user
    user.adoptHWIOWeights(trace.geometry.config)
    self.user = user
    self.tolerance = tolerance
    let reference = ReferenceData(trace: trace)
    self.reference = reference
    var results: [TensorComparison] = []
    for name in user.given {
      guard let t = user[name], let e = reference.expected[name] else { continue }
      results.append(
        TensorComparison(name, user: user, userTensor: t, expected: e, tolerance: tolerance))
    }
    self.results = results
    windowIndex = Comparison.windows(results, geometry: trace.geometry)
  }

  /// The result for `name`, if the user gave it.
  public subscript(_ name: CheckedTensor) -> TensorComparison? {
    results.first { $0.tensor == name }
  }

  /// Whether every tensor the user gave agrees.
  public var allMatch: Bool { results.allSatisfy(\.matches) }

  /// The tensors that disagree (wrong shape or differing cells).
  public var mismatching: [CheckedTensor] { results.filter { !$0.matches }.map(\.tensor) }

  /// The correct value of a tensor (channels first), for tensors the user did not give too.
  public func correct(_ name: CheckedTensor) -> Tensor? { reference.expected[name]?.tensor }
}
