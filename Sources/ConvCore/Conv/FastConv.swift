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
/// Agrees with ``ReferenceConv`` within the tolerance documented in `docs/performance.md`: the
/// sums are the same, in another order, in `Float` with fused multiply–adds. Results are
/// bitwise reproducible, whatever the thread count. With non-finite values in the data (`inf`, `NaN`)
/// a result may be `NaN` where the reference gives `±inf`: padded positions are multiplied in
/// as zeros instead of being skipped.
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

  /// The number of threads a pass over `geometry` uses with the current ``threadCount``.
  public static func threads(for geometry: ConvGeometry) -> Int {
    let setting = threadCount
    if setting > 0 { return setting }
    return geometry.forwardMACs >= parallelThresholdMACs ? processorCount : 1
  }

  // MARK: Strategy

  /// How a pass is computed (internal: the tests force each one).
  enum Strategy: CaseIterable {
    /// Implicit im2col on a padded copy where it applies, im2col blocks otherwise.
    case automatic
    /// Always the implicit strategy (stride 1 only; other strides use im2col).
    case implicit
    /// Always explicit im2col blocks.
    case im2col
  }

  /// Whether the implicit strategy runs for `g` under `strategy`.
  static func usesImplicit(_ g: ConvGeometry, _ strategy: Strategy) -> Bool {
    let cfg = g.config
    guard cfg.stride.h == 1, cfg.stride.w == 1 else { return false }
    switch strategy {
    case .im2col: return false
    case .implicit: return true
    case .automatic:
      // Every row is computed on the padded width: skip it when more than half is waste.
      let wp = g.paddedInput.w
      return 2 * g.output.w >= wp && 2 * g.input.w >= wp
    }
  }

  // MARK: Passes

  /// `y[N, F, OH, OW]`; the shapes must match `geometry` (checked by ``Conv2D``). `threads`
  /// overrides ``threadCount`` and `kernels` overrides ``kernels`` for this call.
  static func forward(
    x: Tensor, weight: Tensor, bias: Tensor, geometry g: ConvGeometry,
    strategy: Strategy = .automatic, threads requested: Int? = nil,
    kernels requestedKernels: FastKernelSet? = nil
  ) -> Tensor {
    precondition(x.shape == g.inputShape && weight.shape == g.weightShape)
    precondition(bias.shape == [g.config.filters])
    let threads = max(1, requested ?? threads(for: g))
    let set = requestedKernels.flatMap { $0.isAvailable ? $0 : nil } ?? kernels
    var y = Tensor(shape: g.outputShape)
    x.data.withUnsafeBufferPointer { xb in
      weight.data.withUnsafeBufferPointer { wb in
        bias.data.withUnsafeBufferPointer { bb in
          y.data.withUnsafeMutableBufferPointer { yb in
            guard let xp = xb.baseAddress, let wp = wb.baseAddress, let bp = bb.baseAddress,
              let yp = yb.baseAddress
            else { return }
            let io = ForwardIO(
              x: SendablePointer(readOnly: xp), w: SendablePointer(readOnly: wp),
              b: SendablePointer(readOnly: bp), y: SendablePointer(yp))
            if usesImplicit(g, strategy) {
              ImplicitPlan(g, kernels: set).forward(io, threads: threads)
            } else {
              Im2colPlan(g, kernels: set).forward(io, threads: threads)
            }
          }
        }
      }
    }
    return y
  }

  /// `(dx, dw, db)` summed over the batch; the shapes must match `geometry`. `threads`
  /// overrides ``threadCount`` and `kernels` overrides ``kernels`` for this call.
  static func backward(
    x: Tensor, weight: Tensor, dy: Tensor, geometry g: ConvGeometry,
    strategy: Strategy = .automatic, threads requested: Int? = nil,
    kernels requestedKernels: FastKernelSet? = nil
  ) -> Conv2DGradients {
    precondition(x.shape == g.inputShape && weight.shape == g.weightShape)
    precondition(dy.shape == g.outputShape)
    let threads = max(1, requested ?? threads(for: g))
    let set = requestedKernels.flatMap { $0.isAvailable ? $0 : nil } ?? kernels
    var dx = Tensor(shape: g.inputShape)
    var dw = Tensor(shape: g.weightShape)
    var db = Tensor(shape: [g.config.filters])
    x.data.withUnsafeBufferPointer { xb in
      weight.data.withUnsafeBufferPointer { wb in
        dy.data.withUnsafeBufferPointer { dyb in
          dx.data.withUnsafeMutableBufferPointer { dxb in
            dw.data.withUnsafeMutableBufferPointer { dwb in
              db.data.withUnsafeMutableBufferPointer { dbb in
                guard let xp = xb.baseAddress, let wp = wb.baseAddress,
                  let dyp = dyb.baseAddress, let dxp = dxb.baseAddress,
                  let dwp = dwb.baseAddress, let dbp = dbb.baseAddress
                else { return }
                let io = BackwardIO(
                  x: SendablePointer(readOnly: xp), w: SendablePointer(readOnly: wp),
                  dy: SendablePointer(readOnly: dyp), dx: SendablePointer(dxp),
                  dw: SendablePointer(dwp), db: SendablePointer(dbp))
                biasGradient(io, g)
                if usesImplicit(g, strategy) {
                  ImplicitPlan(g, kernels: set).backward(io, threads: threads)
                } else {
                  Im2colPlan(g, kernels: set).backward(io, threads: threads)
                }
              }
            }
          }
        }
      }
    }
    return Conv2DGradients(dx: dx, dw: dw, db: db)
  }

  /// `db[f] = Σ_n Σ_i Σ_j dy[n, f, i, j]`, each plane summed eight lanes at a time.
  static func biasGradient(_ io: BackwardIO, _ g: ConvGeometry) {
    let (n, f) = (g.batch, g.config.filters)
    let plane = g.output.h * g.output.w
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

// MARK: - Shared sizes

/// Sizes every plan needs, read once from the geometry.
struct FastSizes: Sendable {
  let batch: Int
  let channels: Int
  let filters: Int
  let height: Int
  let width: Int
  let kh: Int
  let kw: Int
  let sh: Int
  let sw: Int
  let ph: Int
  let pw: Int
  let dh: Int
  let dw: Int
  let oh: Int
  let ow: Int
  /// `C·KH·KW`, the reduction length of the forward pass.
  let taps: Int

  init(_ g: ConvGeometry) {
    let c = g.config
    batch = g.batch
    channels = c.inChannels
    filters = c.filters
    height = g.input.h
    width = g.input.w
    kh = c.kernel.h
    kw = c.kernel.w
    sh = c.stride.h
    sw = c.stride.w
    ph = c.padding.h
    pw = c.padding.w
    dh = c.dilation.h
    dw = c.dilation.w
    oh = g.output.h
    ow = g.output.w
    taps = channels * kh * kw
  }
}

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

// MARK: - ImplicitPlan

/// Stride 1: matrix products read straight out of zero-padded copies (no im2col matrix).
///
/// Forward: with `xpad` of pitch `Wp`, `y[f, i·Wp + j] = Σ_k W[f, k] · xpad[off(k) + i·Wp + j]`,
/// `off(c, p, q) = c·Hp·Wp + p·dh·Wp + q·dw`: columns `j ≥ OW` are computed and dropped.
/// Backward: `dyz` holds `dy` with `(KH−1)·dh` zero rows above and below and `(KW−1)·dw` zero
/// columns on the left of every row (pitch `Wp`), so that `dx` is the same product with the
/// flipped kernel, and `dw[f, k] = Σ_t dyz[f, base + t] · xpad[off(k) + t]`.
struct ImplicitPlan {
  let s: FastSizes
  /// The kernels its matrix products run on.
  let kernels: FastKernelSet
  /// Padded input height and width.
  let hp: Int
  let wp: Int
  /// `Hp·Wp`.
  let plane: Int
  /// Columns of the forward product: `(OH−1)·Wp + OW`.
  let forwardColumns: Int
  /// Columns of the output blocks one work item computes (a multiple of ``FastKernels/nr``).
  let block = 384
  /// Columns of `dy` the weight gradient reads per chunk (a multiple of 8).
  ///
  /// SIMD8: short chunks keep every filter's `dy` and every tap's input window of the chunk in
  /// the first-level cache; measured on the large layer, single thread, dw alone: 64 → 3.2 ms,
  /// 256 → 3.5 ms, 1024 → 4.6 ms, 4096 → 5.2 ms. AVX-512: each call of its kernel adds 16-lane
  /// accumulators for every (filter, tap) tile back to memory (F·taps·64 bytes, in the
  /// second-level cache), which short chunks repeat too often; measured on the large layer,
  /// single thread, whole backward pass (medians): 128 → 4.5 ms, 256 → 3.8 ms, 512 → 3.5 ms,
  /// 1024 → 3.6 ms, 2048 → 3.5 ms.
  var chunk: Int { kernels == .avx512 ? 1024 : 64 }

  init(_ g: ConvGeometry, kernels: FastKernelSet = FastConv.kernels) {
    s = FastSizes(g)
    self.kernels = kernels
    hp = s.height + 2 * s.ph
    wp = s.width + 2 * s.pw
    plane = hp * wp
    forwardColumns = (s.oh - 1) * wp + s.ow
  }

  /// Floats of slack after a padded buffer: reads of the last tile past the real columns.
  var slack: Int { block + 2 * FastKernels.nr + 64 }

  /// `xpad[n, c]`: the input with its zero border, `N·C` planes of `Hp·Wp`.
  func paddedInput(_ x: UnsafeMutablePointer<Float>, into xpad: UnsafeMutablePointer<Float>) {
    for nc in 0..<(s.batch * s.channels) {
      let src = x + nc * s.height * s.width
      let dst = xpad + nc * plane + s.ph * wp + s.pw
      for h in 0..<s.height {
        (dst + h * wp).update(from: src + h * s.width, count: s.width)
      }
    }
  }

  /// `off(c, p, q)` of the forward product.
  func forwardOffsets(into off: UnsafeMutablePointer<Int>) {
    var k = 0
    for c in 0..<s.channels {
      for p in 0..<s.kh {
        for q in 0..<s.kw {
          off[k] = c * plane + p * s.dh * wp + q * s.dw
          k += 1
        }
      }
    }
  }

  /// Calls `body(i, j0, j1)` for every row `i` (pitch `Wp`) that the columns `t0..<t1` touch,
  /// with the part `j0..<j1` of it that lies in `t0..<t1` and in the row's first `width` columns
  /// (rows where that part is empty are skipped).
  @inline(__always)
  func rowSegments(_ t0: Int, _ t1: Int, width: Int, _ body: (Int, Int, Int) -> Void) {
    for i in (t0 / wp)...((t1 - 1) / wp) {
      let j0 = max(0, t0 - i * wp)
      let j1 = min(width, t1 - i * wp)
      if j0 < j1 { body(i, j0, j1) }
    }
  }

  /// The products `C[r][t] = Σ_k A[r][k] · b(n)[offsets[k] + t]` for every sample `n`, `r < rows`
  /// and `t < columns`, in work items of one sample and ``block`` columns shared among
  /// `threads`. `a` is packed by `FastKernels.packA`. Each item's result goes to
  /// `keep(n, r, row, t0, t1)`, where `row[t]` is `C[r][t]` for `t` in `t0..<t1` (a per-thread
  /// buffer, valid during the call).
  func blockedProduct(
    rows: Int, depth: Int, columns: Int, a: SendablePointer<Float>,
    offsets: SendablePointer<Int>, threads: Int, b: @Sendable (Int) -> UnsafeMutablePointer<Float>,
    keep: @Sendable (Int, Int, UnsafeMutablePointer<Float>, Int, Int) -> Void
  ) {
    let block = self.block
    let blocks = (columns + block - 1) / block
    let workers = max(1, min(threads, s.batch * blocks))
    let out = Scratch<Float>(count: workers * rows * block, value: 0)
    let outs = out.shared
    let kernels = self.kernels
    FastParallel.forEach(items: s.batch * blocks, threads: workers) { item, thread in
      let (ni, bi) = item.quotientAndRemainder(dividingBy: blocks)
      let t0 = bi * block
      let t1 = min(columns, t0 + block)
      let c = outs.p + thread * rows * block
      FastKernels.gemm(
        using: kernels, rows: rows, depth: depth, columns: roundUp(t1 - t0, FastKernels.nr),
        a: a.p, b: b(ni) + t0, offsets: offsets.p, c: c, ldc: block)
      for r in 0..<rows { keep(ni, r, c + r * block - t0, t0, t1) }
    }
  }

  // MARK: Forward

  func forward(_ io: ForwardIO, threads: Int) {
    let (n, f, k) = (s.batch, s.filters, s.taps)
    let xpad = Scratch<Float>(count: n * s.channels * plane + slack, value: 0)
    paddedInput(io.x.p, into: xpad.base)
    let a = Scratch<Float>(count: f * k, value: 0)
    let w = io.w.p
    FastKernels.packA(rows: f, depth: k, element: { w[$0 * k + $1] }, into: a.base)
    let off = Scratch<Int>(count: k, value: 0)
    forwardOffsets(into: off.base)

    let xs = xpad.shared
    let perSample = s.channels * plane
    blockedProduct(
      rows: f, depth: k, columns: forwardColumns, a: a.shared, offsets: off.shared,
      threads: threads, b: { xs.p + $0 * perSample },
      keep: { ni, fi, row, t0, t1 in
        // Keep the columns j < OW of every output row the block covers, and add the bias.
        let bias = io.b.p[fi]
        let dst = io.y.p + (ni * f + fi) * s.oh * s.ow
        rowSegments(t0, t1, width: s.ow) { i, j0, j1 in
          for j in j0..<j1 { dst[i * s.ow + j] = row[i * wp + j] + bias }
        }
      })
  }

  // MARK: Backward

  func backward(_ io: BackwardIO, threads: Int) {
    let (n, f) = (s.batch, s.filters)
    let xpad = Scratch<Float>(count: n * s.channels * plane + slack, value: 0)
    paddedInput(io.x.p, into: xpad.base)

    // dyz: F rounded up to the weight-gradient tile, each filter a zero-bordered plane.
    let fPad = roundUp(f, FastKernels.dotRows)
    let marginRows = (s.kh - 1) * s.dh
    let marginCols = (s.kw - 1) * s.dw
    let zPlane = roundUp((s.oh + 2 * marginRows + 2) * wp + 8, 8)
    let storage = Scratch<Float>(count: n * fPad * zPlane + slack, value: 0)
    let origin = marginRows * wp + marginCols
    // Planes start `lead` floats in, so that `dy` itself (at `origin`) is 32-byte aligned:
    // the weight gradient's four `dy` loads per step are then aligned (zPlane is a multiple of 8).
    let lead = (8 - origin % 8) % 8
    let dyz = SendablePointer(storage.base + lead)
    for ni in 0..<n {
      for fi in 0..<f {
        let src = io.dy.p + (ni * f + fi) * s.oh * s.ow
        let dst = dyz.p + (ni * fPad + fi) * zPlane + origin
        for i in 0..<s.oh { (dst + i * wp).update(from: src + i * s.ow, count: s.ow) }
      }
    }

    weightGradient(
      io, xpad: xpad.shared, dyz: dyz, fPad: fPad, zPlane: zPlane, origin: origin,
      threads: threads)
    if s.channels < FastKernels.mr && (threads == 1 || n >= 2 * threads) {
      inputGradientByColumns(
        io, dyz: dyz, zPlane: zPlane, fPad: fPad, origin: origin, threads: threads)
    } else {
      inputGradient(io, dyz: dyz, zPlane: zPlane, fPad: fPad, threads: threads)
    }
  }

  /// `dw[f, k] = Σ_n Σ_t dyz[n, f, origin + t] · xpad[n, off(k) + t]`, `t` over the forward
  /// columns (zero where `j ≥ OW`), in fixed slots of chunks (see `FastParallel.forEachSlot`).
  func weightGradient(
    _ io: BackwardIO, xpad: SendablePointer<Float>, dyz: SendablePointer<Float>, fPad: Int,
    zPlane: Int, origin: Int, threads: Int
  ) {
    let (n, f, k) = (s.batch, s.filters, s.taps)
    let kPad = roundUp(k, FastKernels.dotCols)
    let off = Scratch<Int>(count: kPad, value: 0)
    forwardOffsets(into: off.base)
    let length = roundUp(forwardColumns, 8)
    let chunk = self.chunk
    let chunks = (length + chunk - 1) / chunk
    let slots = FastParallel.slots(items: n * chunks)
    let slot = fPad * kPad * kernels.dotVectors
    let acc = Scratch<V8>(count: slots * slot, value: V8())
    let (offs, accs, perSample) = (off.shared, acc.shared, s.channels * plane)
    FastParallel.forEachSlot(items: n * chunks, threads: threads) { range, slotIndex, _ in
      for unit in range {
        let (ni, ci) = unit.quotientAndRemainder(dividingBy: chunks)
        let t0 = ci * chunk
        FastKernels.dotAll(
          using: kernels,
          d: dyz.p + ni * fPad * zPlane + origin + t0, ldd: zPlane, paddedRows: fPad,
          b: xpad.p + ni * perSample + t0, offsets: offs.p, paddedTaps: kPad,
          length: min(chunk, length - t0), acc: accs.p + slotIndex * slot)
      }
    }
    reduceWeightGradient(
      accumulators: acc.base, vectors: kernels.dotVectors, slots: slots, paddedRows: fPad,
      paddedTaps: kPad, filters: f, taps: k, into: io.dw.p)
  }

  /// `dx[c, h, w] = Σ_{f,p,q} w[f,c,p,q] · dyz[f, (ph+h)·Wp + pw + w + flip(p, q)]`: the forward
  /// product on `dyz` with the kernel flipped, one row per input channel.
  func inputGradient(
    _ io: BackwardIO, dyz: SendablePointer<Float>, zPlane: Int, fPad: Int, threads: Int
  ) {
    let (f, c) = (s.filters, s.channels)
    let depth = f * s.kh * s.kw
    let a = Scratch<Float>(count: c * depth, value: 0)
    let (w, kh, kw) = (io.w.p, s.kh, s.kw)
    FastKernels.packA(
      rows: c, depth: depth,
      element: { ci, kk in
        let (fp, q) = kk.quotientAndRemainder(dividingBy: kw)
        let (fi, p) = fp.quotientAndRemainder(dividingBy: kh)
        return w[((fi * c + ci) * kh + p) * kw + q]
      }, into: a.base)
    let off = Scratch<Int>(count: depth, value: 0)
    var kk = 0
    for fi in 0..<f {
      for p in 0..<s.kh {
        for q in 0..<s.kw {
          off.base[kk] = fi * zPlane + (s.kh - 1 - p) * s.dh * wp + (s.kw - 1 - q) * s.dw
          kk += 1
        }
      }
    }
    let start = s.ph * wp + s.pw
    blockedProduct(
      rows: c, depth: depth, columns: (s.height - 1) * wp + s.width, a: a.shared,
      offsets: off.shared, threads: threads, b: { dyz.p + $0 * fPad * zPlane + start },
      keep: { ni, ci, row, t0, t1 in
        let dst = io.dx.p + (ni * c + ci) * s.height * s.width
        rowSegments(t0, t1, width: s.width) { h, w0, w1 in
          for x in w0..<w1 { dst[h * s.width + x] = row[h * wp + x] }
        }
      })
  }
}

extension ImplicitPlan {
  /// `dx` for few input channels (fewer than a 4-row panel, where the flipped product would
  /// waste most of each panel): `dcol[k][t] = Σ_f w[f, k] · dyz[f, origin + t]` with panels
  /// over the `C·KH·KW` taps, then col2im on the padded pitch, `dxpad[off(k) + t] += dcol[k][t]`
  /// for the real columns, and the crop. One sample per work item (the scatter overlaps).
  ///
  /// Measured on the article's layer (C = 1), single thread: dx 0.13 ms by the flipped product
  /// with one-row kernels, see `docs/performance.md` for this path's figure.
  func inputGradientByColumns(
    _ io: BackwardIO, dyz: SendablePointer<Float>, zPlane: Int, fPad: Int, origin: Int,
    threads: Int
  ) {
    let (n, f, c, k) = (s.batch, s.filters, s.channels, s.taps)
    let a = Scratch<Float>(count: k * f, value: 0)
    let w = io.w.p
    FastKernels.packA(rows: k, depth: f, element: { w[$1 * k + $0] }, into: a.base)
    let offF = Scratch<Int>(count: f, value: 0)
    for fi in 0..<f { offF.base[fi] = fi * zPlane }
    let off = Scratch<Int>(count: k, value: 0)
    forwardOffsets(into: off.base)
    let block = self.block
    let workers = max(1, min(threads, n))
    let dcol = Scratch<Float>(count: workers * k * block, value: 0)
    let dxpad = Scratch<Float>(count: workers * c * plane, value: 0)
    let (as_, offFs, offs, dcols, dxpads) = (
      a.shared, offF.shared, off.shared, dcol.shared, dxpad.shared
    )
    let (sizes, wp, plane, columns) = (s, self.wp, self.plane, forwardColumns)
    FastParallel.forEach(items: n, threads: workers) { ni, thread in
      let cp = dcols.p + thread * k * block
      let acc = dxpads.p + thread * c * plane
      acc.update(repeating: 0, count: c * plane)
      var t0 = 0
      while t0 < columns {
        let t1 = min(columns, t0 + block)
        FastKernels.gemm(
          using: kernels,
          rows: k, depth: f, columns: roundUp(t1 - t0, FastKernels.nr), a: as_.p,
          b: dyz.p + ni * fPad * zPlane + origin + t0, offsets: offFs.p, c: cp, ldc: block)
        for kk in 0..<k {
          let src = cp + kk * block - t0
          let dst = acc + offs.p[kk]
          rowSegments(t0, t1, width: sizes.ow) { i, j0, j1 in
            FastKernels.add(src + i * wp + j0, into: dst + i * wp + j0, count: j1 - j0)
          }
        }
        t0 = t1
      }
      let inPlane = sizes.height * sizes.width
      for ci in 0..<c {
        let src = acc + ci * plane + sizes.ph * wp + sizes.pw
        let dst = io.dx.p + (ni * c + ci) * inPlane
        for h in 0..<sizes.height {
          (dst + h * sizes.width).update(from: src + h * wp, count: sizes.width)
        }
      }
    }
  }
}

// MARK: - Im2colPlan

/// Any geometry: blocks of the im2col matrix `col[k][t]` (`t = i·OW + j`) gathered per thread.
///
/// Forward: `y = W·col`. Weight gradient: `dw += dy·colᵀ`. Input gradient: `dcol = Wᵀ·dy`
/// then col2im adds every `dcol[k][t]` into the input cell tap `k` of window `t` reads.
struct Im2colPlan {
  let s: FastSizes
  /// The kernels its matrix products run on.
  let kernels: FastKernelSet
  /// Output positions `OH·OW`.
  let columns: Int
  /// Columns per block: a multiple of ``FastKernels/nr`` keeping a `taps × block` im2col block
  /// near 128 KiB.
  let block: Int

  init(_ g: ConvGeometry, kernels: FastKernelSet = FastConv.kernels) {
    s = FastSizes(g)
    self.kernels = kernels
    columns = s.oh * s.ow
    let target = 32_768 / max(1, max(s.taps, s.filters))
    block = max(FastKernels.nr, min(384, target / FastKernels.nr * FastKernels.nr))
  }

  /// Gathers `col[k][t − t0]` for `t` in `t0..<t1` of sample `n` (pitch `block`), zero in the
  /// padding and in the columns `t1 − t0 ..< roundUp(t1 − t0, nr)`.
  func gather(
    _ x: UnsafeMutablePointer<Float>, sample n: Int, from t0: Int, to t1: Int,
    into col: UnsafeMutablePointer<Float>
  ) {
    let tail = roundUp(t1 - t0, FastKernels.nr)
    var k = 0
    for c in 0..<s.channels {
      let src = x + (n * s.channels + c) * s.height * s.width
      for p in 0..<s.kh {
        for q in 0..<s.kw {
          let row = col + k * block - t0
          for i in (t0 / s.ow)...((t1 - 1) / s.ow) {
            let j0 = max(0, t0 - i * s.ow)
            let j1 = min(s.ow, t1 - i * s.ow)
            let h = i * s.sh + p * s.dh - s.ph
            let dst = row + i * s.ow
            if h < 0 || h >= s.height {
              for j in j0..<j1 { dst[j] = 0 }
              continue
            }
            let srcRow = src + h * s.width
            for j in j0..<j1 {
              let wv = j * s.sw + q * s.dw - s.pw
              dst[j] = wv >= 0 && wv < s.width ? srcRow[wv] : 0
            }
          }
          for e in (t1 - t0)..<tail { col[k * block + e] = 0 }
          k += 1
        }
      }
    }
  }

  /// Copies `dy[n, f, t0..<t1]` into rows of pitch `block`, zero past `t1` (rows `F..<rows` stay
  /// as they are: zero).
  func copyGradient(
    _ dy: UnsafeMutablePointer<Float>, sample n: Int, from t0: Int, to t1: Int,
    into d: UnsafeMutablePointer<Float>
  ) {
    let tail = roundUp(t1 - t0, FastKernels.nr)
    for f in 0..<s.filters {
      let dst = d + f * block
      dst.update(from: dy + (n * s.filters + f) * columns + t0, count: t1 - t0)
      for e in (t1 - t0)..<tail { dst[e] = 0 }
    }
  }

  // MARK: Forward

  func forward(_ io: ForwardIO, threads: Int) {
    let (n, f, k) = (s.batch, s.filters, s.taps)
    let a = Scratch<Float>(count: f * k, value: 0)
    let w = io.w.p
    FastKernels.packA(rows: f, depth: k, element: { w[$0 * k + $1] }, into: a.base)
    let block = self.block
    let off = Scratch<Int>(count: k, value: 0)
    for kk in 0..<k { off.base[kk] = kk * block }
    let blocks = (columns + block - 1) / block
    let workers = max(1, min(threads, n * blocks))
    let col = Scratch<Float>(count: workers * k * block, value: 0)
    let out = Scratch<Float>(count: workers * f * block, value: 0)
    let (as_, offs, cols, outs, columns) = (a.shared, off.shared, col.shared, out.shared, columns)
    FastParallel.forEach(items: n * blocks, threads: workers) { item, thread in
      let (ni, bi) = item.quotientAndRemainder(dividingBy: blocks)
      let t0 = bi * block
      let t1 = min(columns, t0 + block)
      let colp = cols.p + thread * k * block
      let c = outs.p + thread * f * block
      gather(io.x.p, sample: ni, from: t0, to: t1, into: colp)
      FastKernels.gemm(
        using: kernels,
        rows: f, depth: k, columns: roundUp(t1 - t0, FastKernels.nr), a: as_.p, b: colp,
        offsets: offs.p, c: c, ldc: block)
      for fi in 0..<f {
        let bias = io.b.p[fi]
        let dst = io.y.p + (ni * f + fi) * columns
        for t in t0..<t1 { dst[t] = c[fi * block + t - t0] + bias }
      }
    }
  }

  // MARK: Backward

  func backward(_ io: BackwardIO, threads: Int) {
    weightGradient(io, threads: threads)
    inputGradient(io, threads: threads)
  }

  /// `dw[f, k] = Σ_n Σ_t dy[n, f, t] · col[k][t]` in fixed slots of blocks.
  func weightGradient(_ io: BackwardIO, threads: Int) {
    let (n, f, k) = (s.batch, s.filters, s.taps)
    let fPad = roundUp(f, FastKernels.dotRows)
    let kPad = roundUp(k, FastKernels.dotCols)
    let block = self.block
    let off = Scratch<Int>(count: kPad, value: 0)
    for kk in 0..<k { off.base[kk] = kk * block }
    let blocks = (columns + block - 1) / block
    let workers = max(1, min(threads, n * blocks))
    let slots = FastParallel.slots(items: n * blocks)
    let slot = fPad * kPad * kernels.dotVectors
    let acc = Scratch<V8>(count: slots * slot, value: V8())
    let col = Scratch<Float>(count: workers * k * block, value: 0)
    let d = Scratch<Float>(count: workers * fPad * block, value: 0)
    let (offs, accs, cols, ds, columns) = (off.shared, acc.shared, col.shared, d.shared, columns)
    FastParallel.forEachSlot(items: n * blocks, threads: workers) { range, slotIndex, thread in
      let colp = cols.p + thread * k * block
      let dp = ds.p + thread * fPad * block
      for unit in range {
        let (ni, bi) = unit.quotientAndRemainder(dividingBy: blocks)
        let t0 = bi * block
        let t1 = min(columns, t0 + block)
        gather(io.x.p, sample: ni, from: t0, to: t1, into: colp)
        copyGradient(io.dy.p, sample: ni, from: t0, to: t1, into: dp)
        FastKernels.dotAll(
          using: kernels,
          d: dp, ldd: block, paddedRows: fPad, b: colp, offsets: offs.p, paddedTaps: kPad,
          length: roundUp(t1 - t0, 8), acc: accs.p + slotIndex * slot)
      }
    }
    reduceWeightGradient(
      accumulators: acc.base, vectors: kernels.dotVectors, slots: slots, paddedRows: fPad,
      paddedTaps: kPad, filters: f, taps: k, into: io.dw.p)
  }

  /// `dcol = Wᵀ·dy` block by block, scattered into `dx`; one sample per work item, so that the
  /// scatter of a sample's overlapping windows stays on one thread.
  func inputGradient(_ io: BackwardIO, threads: Int) {
    let (n, f, k) = (s.batch, s.filters, s.taps)
    let a = Scratch<Float>(count: k * f, value: 0)
    let w = io.w.p
    FastKernels.packA(rows: k, depth: f, element: { w[$1 * k + $0] }, into: a.base)
    let block = self.block
    let off = Scratch<Int>(count: f, value: 0)
    for fi in 0..<f { off.base[fi] = fi * block }
    let workers = max(1, min(threads, n))
    let d = Scratch<Float>(count: workers * f * block, value: 0)
    let dcol = Scratch<Float>(count: workers * k * block, value: 0)
    let (as_, offs, ds, dcols, columns, sizes) = (
      a.shared, off.shared, d.shared, dcol.shared, columns, s
    )
    FastParallel.forEach(items: n, threads: workers) { ni, thread in
      let dp = ds.p + thread * f * block
      let cp = dcols.p + thread * k * block
      let dxn = io.dx.p + ni * sizes.channels * sizes.height * sizes.width
      var t0 = 0
      while t0 < columns {
        let t1 = min(columns, t0 + block)
        copyGradient(io.dy.p, sample: ni, from: t0, to: t1, into: dp)
        FastKernels.gemm(
          using: kernels,
          rows: k, depth: f, columns: roundUp(t1 - t0, FastKernels.nr), a: as_.p, b: dp,
          offsets: offs.p, c: cp, ldc: block)
        scatter(cp, from: t0, to: t1, into: dxn)
        t0 = t1
      }
    }
  }

  /// col2im: adds `dcol[k][t − t0]` into `dx[c, h, w]` of one sample for every real tap.
  func scatter(
    _ dcol: UnsafeMutablePointer<Float>, from t0: Int, to t1: Int,
    into dx: UnsafeMutablePointer<Float>
  ) {
    var k = 0
    for c in 0..<s.channels {
      let dst = dx + c * s.height * s.width
      for p in 0..<s.kh {
        for q in 0..<s.kw {
          let row = dcol + k * block - t0
          for i in (t0 / s.ow)...((t1 - 1) / s.ow) {
            let h = i * s.sh + p * s.dh - s.ph
            if h < 0 || h >= s.height { continue }
            let j0 = max(0, t0 - i * s.ow)
            let j1 = min(s.ow, t1 - i * s.ow)
            let dstRow = dst + h * s.width
            for j in j0..<j1 {
              let wv = j * s.sw + q * s.dw - s.pw
              if wv >= 0 && wv < s.width { dstRow[wv] += row[i * s.ow + j] }
            }
          }
          k += 1
        }
      }
    }
  }
}
