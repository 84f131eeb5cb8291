// MARK: - Im2colPlan

/// Any geometry: blocks of the im2col matrix `col[k][t]` (`t = i·OW + j`) gathered per thread.
///
/// Forward: `y = W·col`. Weight gradient: `dw += dy·colᵀ`. Input gradient: `dcol = Wᵀ·dy`
/// then col2im adds every `dcol[k][t]` into the input cell tap `k` of window `t` reads.
struct Im2colPlan {
  let s: ConvShape
  /// The kernels its matrix products run on.
  let kernels: FastKernelSet
  /// Output positions `OH·OW`.
  let columns: Int
  /// Columns per block: a multiple of ``FastKernels/nr`` keeping a `taps × block` im2col block
  /// near 128 KiB.
  let block: Int

  init(_ shape: ConvShape, kernels: FastKernelSet = FastConv.kernels) {
    s = shape
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
    inputGradient(w: io.w, dy: io.dy, dx: io.dx, threads: threads)
  }

  /// ``inputGradient(_:threads:)`` on the three buffers it reads and writes: `w`, `dy`, and `dx`
  /// (added into). A transposed convolution's forward pass is this with `dy` its input.
  func inputGradient(
    w wp: SendablePointer<Float>, dy dyp: SendablePointer<Float>, dx dxp: SendablePointer<Float>,
    threads: Int
  ) {
    let (n, f, k) = (s.batch, s.filters, s.taps)
    let a = Scratch<Float>(count: k * f, value: 0)
    let w = wp.p
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
      let dxn = dxp.p + ni * sizes.channels * sizes.height * sizes.width
      var t0 = 0
      while t0 < columns {
        let t1 = min(columns, t0 + block)
        copyGradient(dyp.p, sample: ni, from: t0, to: t1, into: dp)
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
