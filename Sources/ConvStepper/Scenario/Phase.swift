// MARK: - Phase

/// The passes of a convolution block (conv → optional ReLU → optional max-pool) in the order a
/// walk visits them.
public enum Phase: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// The convolution's forward pass, one window per step.
  case forward
  /// ReLU on the convolution's output, one cell per step.
  case relu
  /// Max pooling of the (rectified) output, one pooling window per step.
  case pool
  /// The pooling's backward pass: each gradient routed to its window's argmax.
  case poolBackward = "pool-backward"
  /// ReLU's backward pass: the gradient kept where the convolution's output was positive.
  case reluBackward = "relu-backward"
  /// The convolution's backward pass, one output-gradient cell per step.
  case backward
  /// The SGD update, one filter per step.
  case update

  /// A short human name: `forward`, `ReLU`, `max-pool`, …
  public var description: String {
    switch self {
    case .forward: return "forward"
    case .relu: return "ReLU"
    case .pool: return "max-pool"
    case .poolBackward: return "max-pool backward"
    case .reluBackward: return "ReLU backward"
    case .backward: return "backward"
    case .update: return "update"
    }
  }

  /// Whether the phase belongs to the backward half (gradients flow).
  public var isBackward: Bool {
    switch self {
    case .poolBackward, .reluBackward, .backward, .update: return true
    default: return false
    }
  }
}
