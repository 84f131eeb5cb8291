import ConvCore

// MARK: - Kernel mistakes

/// The buggy variants, one small function each. Each recomputes the user's layer the way the
/// mistaken code would, from the same `x`, `w`, `b` and `dy`, and returns the tensors the
/// mistake changes — or nil when the mistake cannot show with this configuration.
enum Bugs {}

extension BugInfo {
  /// The kernel flipped: a true convolution.
  public static let kernelFlipped = BugInfo(
    id: "kernel-flipped",
    title: "the kernel is flipped: a true convolution instead of cross-correlation",
    explanation:
      "Your numbers are what the layer gives when the kernel is turned by 180° before it slides "
      + "(tap (p, q) uses w[f, c, KH−1−p, KW−1−q]) — the textbook convolution, as in "
      + "scipy.signal.convolve2d. Convolution layers (PyTorch's Conv2d, TensorFlow's conv2d) "
      + "compute cross-correlation: the kernel is used as it is.",
    fix:
      "Use w[f, c, p, q] at tap (p, q): drop the w[..., ::-1, ::-1] / np.flip / np.rot90, or "
      + "use scipy.signal.correlate2d instead of convolve2d.",
    separatingHint: "a kernel that changes when turned by 180° (random values, not a symmetric "
      + "blur or a centred box)",
    affects: [.y, .dx, .dw])

  /// The kernel's height and width swapped.
  public static let kernelTransposed = BugInfo(
    id: "kernel-transposed",
    title: "the kernel's height and width are swapped (the kernel is transposed)",
    explanation:
      "Tap (p, q) uses w[f, c, q, p]: the kernel is read with rows and columns exchanged (a "
      + "[KW, KH] array read as [KH, KW], or a stray w.T / swapaxes).",
    fix: "Index the kernel as w[f, c, p, q] with p along the height (rows) and q along the width.",
    separatingHint: "a kernel that is not symmetric about its diagonal",
    affects: [.y, .dx, .dw])

  /// Weights stored channels last, read channels first.
  public static let weightsChannelsLast = BugInfo(
    id: "weights-channels-last",
    title: "the weights are laid out [F, KH, KW, C] but read as [F, C, KH, KW]",
    explanation:
      "The weight buffer holds channels last (TensorFlow/Keras order, or an OHWI export) and your "
      + "code indexes it channels first, so channels and kernel taps are mixed up.",
    fix:
      "Transpose the weights once: w = np.ascontiguousarray(w.transpose(0, 3, 1, 2)) (from "
      + "[F, KH, KW, C]); for TensorFlow's [KH, KW, C, F] use w.transpose(3, 2, 0, 1).",
    separatingHint: "more than one input channel and a kernel larger than 1×1",
    affects: [.y, .dx])

  /// The input gradient from the unflipped kernel.
  public static let dxUnflippedKernel = BugInfo(
    id: "dx-unflipped-kernel",
    title: "dx uses the kernel unflipped",
    explanation:
      "Written as a full convolution, dx correlates dy with the kernel turned by 180°; your dx "
      + "uses the kernel as it is, so each dy[n, f, i, j] adds dy·w[f, c, KH−1−p, KW−1−q] to the "
      + "input cell that tap (p, q) read instead of dy·w[f, c, p, q].",
    fix:
      "Scatter dy[n, f, i, j]·w[f, c, p, q] into the input cell tap (p, q) of window (i, j) read "
      + "(then crop the padding), or rotate the kernel by 180° before the full convolution.",
    separatingHint: "a kernel that changes when turned by 180°",
    affects: [.dx])
}

extension Bugs {
  /// **Kernel flipped.** A true convolution: tap `(p, q)` of every window uses
  /// `w[f, c, KH−1−p, KW−1−q]`. The backward pass is that layer's own gradient (so `dw` comes
  /// out flipped). Cannot show on a 1×1 kernel.
  static func kernelFlipped(_ c: BugContext) -> VariantResult? {
    let (k, C) = (c.config.kernel, c.config.groupChannels)
    guard k.h > 1 || k.w > 1 else { return nil }
    var plan = c.plan
    plan.weightIndex = { f, ch, p, q in
      ((f * C + ch) * k.h + (k.h - 1 - p)) * k.w + (k.w - 1 - q)
    }
    return VariantResult(c.run(plan))
  }

  /// **Kernel transposed.** Tap `(p, q)` uses `w[f, c, q, p]`, so the window is `KW×KH` taps
  /// (the output changes shape when the kernel is not square).
  static func kernelTransposed(_ c: BugContext) -> VariantResult? {
    let (k, C) = (c.config.kernel, c.config.groupChannels)
    guard k.h > 1 || k.w > 1 else { return nil }
    var plan = c.plan
    plan.kernel = Size2(k.w, k.h)
    plan.weightIndex = { f, ch, p, q in ((f * C + ch) * k.h + q) * k.w + p }
    guard plan.output.h >= 1, plan.output.w >= 1 else { return nil }
    return VariantResult(c.run(plan))
  }

  /// **Weights channels last, read channels first.** The code's `w[f, c, p, q]` is the value
  /// at that flat position of the true weights laid out `[F, KH, KW, C]`.
  static func weightsChannelsLast(_ c: BugContext) -> VariantResult? {
    // Under groups the weights are [F, KH, KW, C/G] read as [F, C/G, KH, KW].
    let (k, C) = (c.config.kernel, c.config.groupChannels)
    guard C > 1, k.h * k.w > 1 else { return nil }
    var plan = c.plan
    plan.weightIndex = { f, ch, p, q in
      let pos = ((f * C + ch) * k.h + p) * k.w + q
      let (c2, q2, p2, f2) = (pos % C, pos / C % k.w, pos / (C * k.w) % k.h, pos / (C * k.w * k.h))
      return ((f2 * C + c2) * k.h + p2) * k.w + q2
    }
    return VariantResult(c.run(plan, gradients: [.dx]))
  }

  /// **dx from the unflipped kernel.** The input gradient scatters `dy·w[f, c, KH−1−p, KW−1−q]`
  /// where tap `(p, q)` read (the forward pass and `dw` are right).
  static func dxUnflippedKernel(_ c: BugContext) -> VariantResult? {
    let (k, C) = (c.config.kernel, c.config.groupChannels)
    guard k.h > 1 || k.w > 1, c.wanted.contains(.dx) else { return nil }
    var plan = c.plan
    plan.weightIndex = { f, ch, p, q in
      ((f * C + ch) * k.h + (k.h - 1 - p)) * k.w + (k.w - 1 - q)
    }
    return VariantResult(c.run(plan, forward: false, gradients: [.dx]))
  }
}
