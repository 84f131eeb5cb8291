#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - CrossEntropy

/// Softmax cross-entropy with class-index targets, the mean over the batch: PyTorch's
/// `F.cross_entropy(logits, target)`.
///
/// `loss = (1/N) Σ_n (log Σ_k exp(z[n,k]) − z[n, t_n])`, the log-sum-exp taken after subtracting
/// each row's maximum so no `exp` overflows; `∂loss/∂z[n,k] = (softmax(z[n])[k] − [k = t_n]) / N`.
/// Computed in `Double` (a batch's logits are few).
public enum CrossEntropy {
  /// The mean loss and its gradient with respect to `logits [N, classes]`.
  public static func lossAndGradient(logits: Tensor, targets: [Int]) throws -> (
    loss: Double, dLogits: Tensor
  ) {
    guard logits.rank == 2, logits.shape[0] > 0, logits.shape[1] > 0 else {
      throw ConvError.shapeMismatch(
        name: "logits", expected: "[N, classes] with N, classes ≥ 1", actual: logits.shape)
    }
    let (n, classes) = (logits.shape[0], logits.shape[1])
    try requireTargets(targets, batch: n, classes: classes)
    var grad = Tensor(shape: logits.shape)
    var total = 0.0
    for r in 0..<n {
      let row = (0..<classes).map { Double(logits.data[r * classes + $0]) }
      let top = row.max() ?? 0
      let exps = row.map { exp($0 - top) }
      let sum = exps.reduce(0, +)
      total += top + log(sum) - row[targets[r]]
      for k in 0..<classes {
        let p = exps[k] / sum - (k == targets[r] ? 1 : 0)
        grad.data[r * classes + k] = Float(p / Double(n))
      }
    }
    return (total / Double(n), grad)
  }

  /// Throws unless there is one target per row, each a class index in `0..<classes`.
  public static func requireTargets(_ targets: [Int], batch: Int, classes: Int) throws {
    guard targets.count == batch else {
      throw ConvError.invalidParameter(
        name: "target", value: "\(targets.count) class indices",
        requirement: "one class index per image (\(batch))")
    }
    if let bad = targets.first(where: { !(0..<classes).contains($0) }) {
      throw ConvError.invalidParameter(
        name: "target", value: "\(bad)", requirement: "a class index from 0 to \(classes - 1)")
    }
  }
}
