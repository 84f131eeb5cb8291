import Synchronization

// MARK: - FastConv

/// The fast path for whole-layer work: forward and backward passes as register-tiled SIMD
/// matrix products (see `docs/performance.md` for the design and the measurements behind it).
///
/// Two strategies compute every pass:
/// - **implicit** (stride 1, the common case): the input is copied once into a zero-padded
///   buffer and the matrix-product kernels read the im2col matrix straight out of it through a
///   table of tap offsets; `dx` is the same product on a zero-bordered copy of `dy` with the
///   kernel flipped. Outputs are computed on the padded width and the extra columns dropped.
/// - **im2col** (any stride, or when the padded width would waste too much): blocks of the
///   im2col matrix are gathered into a per-thread buffer; `dx` goes through `dcol = Wᵀ·dy` and a
///   col2im scatter.
///
/// Works on raw buffers and a ``ConvShape``; ConvCore's `Conv2D` checks the tensors and calls it.
///
/// Agrees with ConvCore's `ReferenceConv` within the tolerance documented in
/// `docs/performance.md`: the sums are the same, in another order, in `Float` (with fused
/// multiply–adds, except on the portable kernels on x86-64). Results are bitwise reproducible,
/// whatever the thread count. With non-finite values in the data (`inf`, `NaN`) a result may be
/// `NaN` where the reference gives `±inf`: padded positions are multiplied in as zeros instead
/// of being skipped.
public enum FastConv {
  // MARK: Threads

  private static let threadSetting = Atomic<Int>(0)

  /// How many threads the fast path uses: 0 (the default) chooses by size — one thread below
  /// ``parallelThresholdMACs`` multiply–adds per forward pass, every core from there on; any
  /// other value is used as given. Process-wide; safe to set from any thread.
  public static var threadCount: Int {
    get { threadSetting.load(ordering: .relaxed) }
    set { threadSetting.store(max(0, newValue), ordering: .relaxed) }
  }

  /// The number of cores the automatic setting uses for large work.
  public static var processorCount: Int { FastParallel.processorCount }

  /// Forward multiply–adds from which the automatic setting uses every core (chosen by
  /// measurement, see `docs/performance.md`).
  public static let parallelThresholdMACs = 16_000_000

  /// The number of threads a pass of `macs` forward multiply–adds uses with the current
  /// ``threadCount``.
  public static func threads(forMACs macs: Int) -> Int {
    let setting = threadCount
    if setting > 0 { return setting }
    return macs >= parallelThresholdMACs ? processorCount : 1
  }

  // MARK: Strategy

  /// How a pass is computed: ``automatic`` everywhere but in the tests, which force each one.
  public enum Strategy: Sendable, CaseIterable {
    /// Implicit im2col on a padded copy where it applies, im2col blocks otherwise.
    case automatic
    /// Always the implicit strategy (stride 1 only; other strides use im2col).
    case implicit
    /// Always explicit im2col blocks.
    case im2col
  }

  /// Whether the implicit strategy runs for `s` under `strategy`.
  static func usesImplicit(_ s: ConvShape, _ strategy: Strategy) -> Bool {
    guard s.sh == 1, s.sw == 1 else { return false }
    switch strategy {
    case .im2col: return false
    case .implicit: return true
    case .automatic:
      // Every row is computed on the padded width: skip it when more than half is waste.
      let wp = s.width + 2 * s.pw
      return 2 * s.ow >= wp && 2 * s.width >= wp
    }
  }

  /// The set a pass runs on: `requested` when this processor runs it, else ``kernels``.
  static func kernels(_ requested: FastKernelSet?) -> FastKernelSet {
    requested.flatMap { $0.isAvailable ? $0 : nil } ?? kernels
  }

  // MARK: Passes

  /// Gives back the scratch memory kept between calls (``ScratchPool``): after a one-off
  /// pass on a big layer, what it kept would otherwise stay resident.
  public static func releaseScratch() {
    ScratchPool.drain()
  }

  /// Writes `y[N, F, OH, OW]` for `x[N, C, H, W]`, `weight[F, C/G, KH, KW]` and `bias[F]`.
  /// Groups and copying padding modes go through plain pieces (`GeneralPasses`).
  ///
  /// The buffers must hold exactly ``ConvShape/inputCount``, ``ConvShape/weightCount``, `F`
  /// and ``ConvShape/outputCount`` floats and must not overlap; nothing here checks them in a
  /// release build (ConvCore's `Conv2D` does, before it calls this). `threads` overrides
  /// ``threadCount`` and `kernels` overrides ``kernels`` for this call.
  public static func forward(
    shape s: ConvShape, x: UnsafeBufferPointer<Float>, weight: UnsafeBufferPointer<Float>,
    bias: UnsafeBufferPointer<Float>, y: UnsafeMutableBufferPointer<Float>,
    strategy: Strategy = .automatic, threads requested: Int? = nil,
    kernels requestedKernels: FastKernelSet? = nil
  ) {
    precondition(x.count == s.inputCount && weight.count == s.weightCount)
    precondition(bias.count == s.filters && y.count == s.outputCount)
    guard let xp = x.baseAddress, let wp = weight.baseAddress, let bp = bias.baseAddress,
      let yp = y.baseAddress
    else { return }
    let threads = max(1, requested ?? threads(forMACs: s.forwardMACs))
    if !s.isPlain {
      GeneralPasses.forward(
        shape: s, x: xp, weight: wp, bias: bp, y: yp, strategy: strategy, threads: threads,
        kernels: requestedKernels)
      return
    }
    let set = kernels(requestedKernels)
    let io = ForwardIO(
      x: SendablePointer(readOnly: xp), w: SendablePointer(readOnly: wp),
      b: SendablePointer(readOnly: bp), y: SendablePointer(yp))
    if usesImplicit(s, strategy) {
      ImplicitPlan(s, kernels: set).forward(io, threads: threads)
    } else {
      Im2colPlan(s, kernels: set).forward(io, threads: threads)
    }
  }

  /// Writes `dx[N, C, H, W]`, `dw[F, C, KH, KW]` and `db[F]` (summed over the batch) for the
  /// output gradient `dy[N, F, OH, OW]`.
  ///
  /// `dx` must be **zero on entry** (the im2col strategy adds into it). The same rules for the
  /// buffers as ``forward(shape:x:weight:bias:y:strategy:threads:kernels:)``.
  public static func backward(
    shape s: ConvShape, x: UnsafeBufferPointer<Float>, weight: UnsafeBufferPointer<Float>,
    dy: UnsafeBufferPointer<Float>, dx: UnsafeMutableBufferPointer<Float>,
    dw: UnsafeMutableBufferPointer<Float>, db: UnsafeMutableBufferPointer<Float>,
    strategy: Strategy = .automatic, threads requested: Int? = nil,
    kernels requestedKernels: FastKernelSet? = nil
  ) {
    precondition(x.count == s.inputCount && weight.count == s.weightCount)
    precondition(dy.count == s.outputCount && dx.count == s.inputCount)
    precondition(dw.count == s.weightCount && db.count == s.filters)
    guard let xp = x.baseAddress, let wp = weight.baseAddress, let dyp = dy.baseAddress,
      let dxp = dx.baseAddress, let dwp = dw.baseAddress, let dbp = db.baseAddress
    else { return }
    let threads = max(1, requested ?? threads(forMACs: s.forwardMACs))
    if !s.isPlain {
      GeneralPasses.backward(
        shape: s, x: xp, weight: wp, dy: dyp, dx: dxp, dw: dwp, db: dbp, strategy: strategy,
        threads: threads, kernels: requestedKernels)
      return
    }
    let set = kernels(requestedKernels)
    let io = BackwardIO(
      x: SendablePointer(readOnly: xp), w: SendablePointer(readOnly: wp),
      dy: SendablePointer(readOnly: dyp), dx: SendablePointer(dxp),
      dw: SendablePointer(dwp), db: SendablePointer(dbp))
    biasGradient(io, s)
    if usesImplicit(s, strategy) {
      ImplicitPlan(s, kernels: set).backward(io, threads: threads)
    } else {
      Im2colPlan(s, kernels: set).backward(io, threads: threads)
    }
  }

  /// `db[f] = Σ_n Σ_i Σ_j dy[n, f, i, j]`, each plane summed eight lanes at a time.
  static func biasGradient(_ io: BackwardIO, _ s: ConvShape) {
    let (n, f) = (s.batch, s.filters)
    let plane = s.oh * s.ow
    for fi in 0..<f {
      var total: Float = 0
      for ni in 0..<n {
        total += FastKernels.sum(io.dy.p + (ni * f + fi) * plane, plane)
      }
      io.db.p[fi] = total
    }
  }
}

// MARK: - Pass inputs and outputs

/// The raw buffers of one forward pass.
struct ForwardIO: Sendable {
  /// Input `[N, C, H, W]`, read-only.
  let x: SendablePointer<Float>
  /// Weights `[F, C, KH, KW]`, read-only.
  let w: SendablePointer<Float>
  /// Bias `[F]`, read-only.
  let b: SendablePointer<Float>
  /// Output `[N, F, OH, OW]`, written once per element.
  let y: SendablePointer<Float>
}

/// The raw buffers of one backward pass.
struct BackwardIO: Sendable {
  /// Input `[N, C, H, W]`, read-only.
  let x: SendablePointer<Float>
  /// Weights `[F, C, KH, KW]`, read-only.
  let w: SendablePointer<Float>
  /// Output gradient `[N, F, OH, OW]`, read-only.
  let dy: SendablePointer<Float>
  /// Input gradient `[N, C, H, W]`, zero on entry.
  let dx: SendablePointer<Float>
  /// Weight gradient `[F, C, KH, KW]`.
  let dw: SendablePointer<Float>
  /// Bias gradient `[F]`.
  let db: SendablePointer<Float>
}

// MARK: - Shared helpers

/// `value` rounded up to a multiple of `step`.
@inline(__always)
func roundUp(_ value: Int, _ step: Int) -> Int {
  (value + step - 1) / step * step
}

/// Sums the per-slot lane accumulators of the weight gradient into `dw[F, taps]`: lane-wise,
/// an entry's `vectors` then the slots in order; then the eight lanes.
func reduceWeightGradient(
  accumulators acc: UnsafeMutablePointer<V8>, vectors: Int, slots: Int, paddedRows: Int,
  paddedTaps: Int, filters: Int, taps: Int, into dw: UnsafeMutablePointer<Float>
) {
  let slot = paddedRows * paddedTaps * vectors
  for f in 0..<filters {
    for k in 0..<taps {
      let entry = (f * paddedTaps + k) * vectors
      var total = acc[entry]
      for v in 1..<vectors { total += acc[entry + v] }
      for s in 1..<max(1, slots) {
        for v in 0..<vectors { total += acc[s * slot + entry + v] }
      }
      dw[f * taps + k] = total.sum()
    }
  }
}
