import ConvCore

// MARK: - CheckedTensor

/// The four tensors of a convolution whose values a user can check against convscope's.
///
/// Shapes, channels first (NCHW): `y[N, F, OH, OW]`, `dx[N, C, H, W]`, `dw[F, C, KH, KW]`,
/// `db[F]`. With ``DataLayout/nhwc`` the rank-4 ones are channels last.
public enum CheckedTensor: String, Sendable, CaseIterable, Comparable, CustomStringConvertible {
  /// The forward output.
  case y
  /// The gradient of the loss with respect to the input.
  case dx
  /// The gradient with respect to the weights.
  case dw
  /// The gradient with respect to the biases.
  case db

  /// `y`, `dx`, `dw` or `db`.
  public var description: String { rawValue }

  /// The order `y`, `dx`, `dw`, `db`.
  public static func < (a: CheckedTensor, b: CheckedTensor) -> Bool {
    allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
  }

  /// What the tensor is, in words: `the output y`, `the input gradient dx`, …
  public var meaning: String {
    switch self {
    case .y: return "the output y"
    case .dx: return "the input gradient dx"
    case .dw: return "the weight gradient dw"
    case .db: return "the bias gradient db"
    }
  }

  /// Whether the tensor comes from the backward pass.
  public var isGradient: Bool { self != .y }

  /// The axis names of the tensor in `layout`, e.g. `[N, OH, OW, F]`; a grouped layer's
  /// weights have `C/G` channels (`[F, C/G, KH, KW]`).
  public func axes(in layout: DataLayout, grouped: Bool = false) -> String {
    switch (self, layout) {
    case (.dw, .nchw) where grouped: return "[F, C/G, KH, KW]"
    case (.dw, .nhwc) where grouped: return "[F, KH, KW, C/G]"
    case (.y, .nchw): return "[N, F, OH, OW]"
    case (.y, .nhwc): return "[N, OH, OW, F]"
    case (.dx, .nchw): return "[N, C, H, W]"
    case (.dx, .nhwc): return "[N, H, W, C]"
    case (.dw, .nchw): return "[F, C, KH, KW]"
    case (.dw, .nhwc): return "[F, KH, KW, C]"
    case (.db, _): return "[F]"
    }
  }
}
