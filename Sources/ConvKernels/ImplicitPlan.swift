// MARK: - ImplicitPlan

/// Stride 1: matrix products read straight out of zero-padded copies (no im2col matrix).
///
/// Forward: with `xpad` of pitch `Wp`, `y[f, i·Wp + j] = Σ_k W[f, k] · xpad[off(k) + i·Wp + j]`,
/// `off(c, p, q) = c·Hp·Wp + p·dh·Wp + q·dw`: columns `j ≥ OW` are computed and dropped.
/// Backward: `dyz` holds `dy` with `(KH−1)·dh` zero rows above and below and `(KW−1)·dw` zero
/// columns on the left of every row (pitch `Wp`), so that `dx` is the same product with the
/// flipped kernel, and `dw[f, k] = Σ_t dyz[f, base + t] · xpad[off(k) + t]`.
struct ImplicitPlan {
  let s: ConvShape
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
  /// Portable (8 lanes): short chunks keep every filter's `dy` and every tap's input window of
  /// the chunk in the first-level cache; measured on the large layer, single thread, dw alone:
  /// 64 → 3.2 ms, 256 → 3.5 ms, 1024 → 4.6 ms, 4096 → 5.2 ms. AVX2 (3×4 tiles, which load
  /// and store their 12 accumulators on every call): measured on a Zen 4, dw alone, best of 7
  /// medians: 128 → 3.3 ms, 256 → 3.1 ms, 512 → 3.0 ms, 1024 → 3.4 ms. AVX-512: each call of
  /// its kernel adds 16-lane accumulators for every (filter, tap) tile back to memory
  /// (F·taps·64 bytes, in the second-level cache), which short chunks repeat too often;
  /// measured on the large layer, single thread, whole backward pass (medians): 128 → 4.5 ms,
  /// 256 → 3.8 ms, 512 → 3.5 ms, 1024 → 3.6 ms, 2048 → 3.5 ms.
  var chunk: Int { kernels == .avx512 ? 1024 : kernels == .avx2 ? 512 : 64 }

  init(_ shape: ConvShape, kernels: FastKernelSet = FastConv.kernels) {
    s = shape
    self.kernels = kernels
    hp = s.height + 2 * s.ph
    wp = s.width + 2 * s.pw
    plane = hp * wp
    forwardColumns = (s.oh - 1) * wp + s.ow
  }

  /// Floats of slack after a padded buffer: reads of the last tile past the real columns.
  var slack: Int { block + 2 * FastKernels.nr + 64 }

  /// `xpad[n, c]`: the input with its zero border, `N·C` planes of `Hp·Wp`, then ``slack``
  /// zeros. Writes every float of the buffer (which may come uninitialized), in one pass.
  func paddedInput(_ x: UnsafeMutablePointer<Float>, into xpad: UnsafeMutablePointer<Float>) {
    let planes = s.batch * s.channels
    for nc in 0..<planes {
      copyBordered(
        x + nc * s.height * s.width, rows: s.height, width: s.width, into: xpad + nc * plane,
        start: s.ph * wp + s.pw, pitch: wp, size: plane)
    }
    (xpad + planes * plane).initialize(repeating: 0, count: slack)
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
    let xpad = Scratch<Float>(uninitializedCount: n * s.channels * plane + slack)
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
    let xpad = Scratch<Float>(uninitializedCount: n * s.channels * plane + slack)
    paddedInput(io.x.p, into: xpad.base)

    // dyz: F rounded up to the weight-gradient tile, each filter a zero-bordered plane.
    let fPad = roundUp(f, FastKernels.dotRows)
    let marginRows = (s.kh - 1) * s.dh
    let marginCols = (s.kw - 1) * s.dw
    let zPlane = roundUp((s.oh + 2 * marginRows + 2) * wp + 8, 8)
    let storage = Scratch<Float>(uninitializedCount: n * fPad * zPlane + slack)
    let origin = marginRows * wp + marginCols
    // Planes start `lead` floats in, so that `dy` itself (at `origin`) is 32-byte aligned:
    // the weight gradient's `dy` loads are then aligned (zPlane is a multiple of 8).
    let lead = (8 - origin % 8) % 8
    let dyz = SendablePointer(storage.base + lead)
    storage.base.initialize(repeating: 0, count: lead)
    for ni in 0..<n {
      for fi in 0..<fPad {
        let dst = dyz.p + (ni * fPad + fi) * zPlane
        guard fi < f else {
          dst.initialize(repeating: 0, count: zPlane)
          continue
        }
        copyBordered(
          io.dy.p + (ni * f + fi) * s.oh * s.ow, rows: s.oh, width: s.ow, into: dst,
          start: origin, pitch: wp, size: zPlane)
      }
    }
    (dyz.p + n * fPad * zPlane).initialize(repeating: 0, count: slack - lead)

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

/// Writes `dst[0..<size]` in one pass: `rows` rows of `width` floats from `src` (pitch `width`)
/// at `dst + start + i·pitch`, zeros everywhere else. `dst` may be uninitialized.
@inline(__always)
func copyBordered(
  _ src: UnsafePointer<Float>, rows: Int, width: Int, into dst: UnsafeMutablePointer<Float>,
  start: Int, pitch: Int, size: Int
) {
  var at = 0
  for i in 0..<rows {
    let row = start + i * pitch
    (dst + at).initialize(repeating: 0, count: row - at)
    (dst + row).initialize(from: src + i * width, count: width)
    at = row + width
  }
  (dst + at).initialize(repeating: 0, count: size - at)
}
