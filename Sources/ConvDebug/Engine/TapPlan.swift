import ConvCore

// MARK: - TapPlan

/// A convolution described by where each tap reads: the correct layer and every buggy variant
/// are plans, run by one small engine (``TapEngine``) in `Double`.
///
/// Window `(i, j)` tap `(p, q)` reads row `i·windowStep.h + p·tapStep.h − padBefore.h` and column
/// `j·windowStep.w + q·tapStep.w − padBefore.w` of the input *as the code sees it* (``seen``, after
/// any transposition or layout mix-up, mapped back to the real input by ``inputIndex``), and
/// weight ``weightIndex``. Reads outside the seen input follow ``outside``. Filter `f`'s weight
/// channel `c` (in `0..<groupChannels`) reads seen channel ``channelOf``(f, c): its group's
/// channel under groups, every channel in turn when `groupChannels == channels`.
struct TapPlan {
  /// What a read outside the input gives.
  enum Outside: Equatable {
    /// Zero: contributes nothing (the correct padding).
    case zero
    /// A constant: contributes `w·value` to the output and `dy·value` to dw, nothing to dx.
    case constant(Double)
    /// The nearest edge cell (NumPy's `mode="edge"`).
    case edge
    /// The mirror image without repeating the edge (NumPy's `mode="reflect"`).
    case reflect
    /// The input wrapped around (NumPy's `mode="wrap"`).
    case circular

    /// What a layer with padding mode `mode` reads outside its input.
    init(_ mode: PaddingMode) {
      switch mode {
      case .zeros: self = .zero
      case .replicate: self = .edge
      case .reflect: self = .reflect
      case .circular: self = .circular
      }
    }
  }

  var batch: Int
  /// The input channels as the code sees them.
  var channels: Int
  var filters: Int
  /// The weight channels of one filter (`C/G`; `C` with one group).
  var groupChannels: Int
  /// The seen channel that filter `f`'s weight channel `c` reads.
  var channelOf: (Int, Int) -> Int
  /// Taps per window along each axis.
  var kernel: Size2
  /// The input size as the code sees it.
  var seen: Size2
  /// Padding before the first row/column (the offset of every read).
  var padBefore: Size2
  /// Padding after the last row/column (only used for the output size).
  var padAfter: Size2
  /// Distance between windows.
  var windowStep: Size2
  /// Distance between taps.
  var tapStep: Size2
  /// The number of windows; nil = the floor formula on the padded seen size.
  var outputOverride: Size2?
  /// The flat index into `w` of tap `(f, c, p, q)`, `c` the weight channel.
  var weightIndex: (Int, Int, Int, Int) -> Int
  /// The flat index into `x` of seen cell `(n, c, h, w)`.
  var inputIndex: (Int, Int, Int, Int) -> Int
  var outside: Outside = .zero
  /// The bias is added this many times (0 = missing).
  var biasScale: Double = 1
  /// Which windows the code computes; the others stay 0. nil = all.
  var computes: ((Int, Int) -> Bool)?

  /// The correct convolution of `g`.
  init(_ g: ConvGeometry) {
    let cfg = g.config
    let (C, H, W) = (cfg.inChannels, g.input.h, g.input.w)
    let (CG, KH, KW) = (cfg.groupChannels, cfg.kernel.h, cfg.kernel.w)
    batch = g.batch
    channels = C
    filters = cfg.filters
    groupChannels = CG
    channelOf = { f, c in cfg.inputChannel(filter: f, weightChannel: c) }
    kernel = cfg.kernel
    seen = g.input
    padBefore = cfg.padding
    padAfter = cfg.padding
    windowStep = cfg.stride
    tapStep = cfg.dilation
    weightIndex = { f, c, p, q in ((f * CG + c) * KH + p) * KW + q }
    outside = Outside(cfg.paddingMode)
    inputIndex = { n, c, h, w in ((n * C + c) * H + h) * W + w }
  }

  /// The number of windows along each axis (≤ 0 when none fits).
  var output: Size2 {
    if let outputOverride { return outputOverride }
    func length(_ n: Int, _ before: Int, _ after: Int, _ k: Int, _ step: Int, _ tap: Int) -> Int {
      let span = n + before + after - tap * (k - 1) - 1
      guard span >= 0 else { return 0 }
      return span / step + 1
    }
    return Size2(
      length(seen.h, padBefore.h, padAfter.h, kernel.h, windowStep.h, tapStep.h),
      length(seen.w, padBefore.w, padAfter.w, kernel.w, windowStep.w, tapStep.w))
  }

  /// The output shape `[N, F, OH, OW]`.
  var outputShape: [Int] { [batch, filters, output.h, output.w] }

  /// Resolves a read along an axis of length `n`: the index read, or nil for zero/constant.
  func resolve(_ r: Int, _ n: Int) -> Int? {
    if r >= 0 && r < n { return r }
    switch outside {
    case .zero, .constant: return nil
    // The same cells the padding modes copy (one definition, in ConvCore).
    case .edge: return PaddingMode.replicate.source(r, length: n)
    case .reflect: return PaddingMode.reflect.source(r, length: n)
    case .circular: return PaddingMode.circular.source(r, length: n)
    }
  }
}
