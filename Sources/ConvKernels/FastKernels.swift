import CConvKernels

// MARK: - Vector helpers

/// Eight `Float` lanes: two SSE registers on baseline x86-64, two NEON registers on arm64.
typealias V8 = SIMD8<Float>

/// `acc + a·b` lane-wise, the portable kernels' multiply–add.
///
/// On arm64 one fused multiply–add (FMA is baseline there). On x86-64 a multiply then an add:
/// the baseline processor has no FMA instruction, and `addingProduct` would call `fmaf` for
/// every lane (measured: 1.1 GFLOP/s, see `docs/performance.md`).
@inline(__always)
func multiplyAdd(_ acc: V8, _ a: V8, _ b: V8) -> V8 {
  #if arch(arm64)
    acc.addingProduct(a, b)
  #else
    acc + a * b
  #endif
}

/// Loads eight floats from any address (no alignment needed).
@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> V8 {
  UnsafeRawPointer(p).loadUnaligned(as: V8.self)
}

/// Stores eight floats at any address (no alignment needed).
@inline(__always)
func store8(_ v: V8, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: V8.self)
}

// MARK: - FastKernels

/// The register-tiled inner loops of the fast path, on raw pointers.
///
/// Both kernels read their `B` operand through a table of offsets, `B(k, t) = b[offsets[k] + t]`,
/// so the same code runs on an explicit im2col block (`offsets[k] = k·ld`) and directly on a
/// zero-padded input (`offsets[k]` = the shift of tap `k`, the "implicit im2col" of stride 1).
enum FastKernels {
  /// Rows of the `A` panel the main GEMM micro-kernel handles at once.
  static let mr = 4
  /// Columns (`t` values) the GEMM micro-kernels handle at once: three `V8`.
  static let nr = 24
  /// Filters (rows of `dy`) the weight-gradient kernel handles at once.
  static let dotRows = 4
  /// Taps (columns of `dw`) the weight-gradient kernel handles at once.
  static let dotCols = 3

  // MARK: GEMM micro-kernels

  /// `c[r][0..<24] (+)= Σ_k a[k·4 + r] · b[offsets[k] + 0..<24]` for the four rows `r` of a
  /// packed panel, one eight-column strip at a time (the AVX-512 kernel holds 4×48 in
  /// registers, the AVX2 one tiles 6×16; the portable ones would spill on SSE's 16 registers).
  @inline(__always)
  static func gemm4x24(
    a: UnsafePointer<Float>, b: UnsafePointer<Float>, offsets: UnsafePointer<Int>, kCount: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
  ) {
    for strip in 0..<3 {
      gemm4x8(
        a: a, b: b + 8 * strip, offsets: offsets, kCount: kCount, c: c + 8 * strip, ldc: ldc,
        accumulate: accumulate)
    }
  }

  /// `c[r][0..<8] (+)= Σ_k a[k·4 + r] · b[offsets[k] + 0..<8]` for the four rows `r` of a
  /// packed panel: four accumulators, one vector load and four broadcasts per `k`.
  @inline(__always)
  static func gemm4x8(
    a: UnsafePointer<Float>, b: UnsafePointer<Float>, offsets: UnsafePointer<Int>, kCount: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
  ) {
    var c0 = accumulate ? load8(c) : V8()
    var c1 = accumulate ? load8(c + ldc) : V8()
    var c2 = accumulate ? load8(c + 2 * ldc) : V8()
    var c3 = accumulate ? load8(c + 3 * ldc) : V8()
    var ap = a
    for k in 0..<kCount {
      let bk = load8(b + offsets[k])
      c0 = multiplyAdd(c0, V8(repeating: ap[0]), bk)
      c1 = multiplyAdd(c1, V8(repeating: ap[1]), bk)
      c2 = multiplyAdd(c2, V8(repeating: ap[2]), bk)
      c3 = multiplyAdd(c3, V8(repeating: ap[3]), bk)
      ap += 4
    }
    store8(c0, c)
    store8(c1, c + ldc)
    store8(c2, c + 2 * ldc)
    store8(c3, c + 3 * ldc)
  }

  /// `c[0..<24] (+)= Σ_k a[k] · b[offsets[k] + 0..<24]` for one row of `A`.
  ///
  /// A single row has only three independent sums, too few to hide the FMA latency, so the
  /// `k` loop is split four ways (12 accumulators) and the four partial sums are added at the end.
  @inline(__always)
  static func gemm1x24(
    a: UnsafePointer<Float>, b: UnsafePointer<Float>, offsets: UnsafePointer<Int>, kCount: Int,
    c: UnsafeMutablePointer<Float>, accumulate: Bool
  ) {
    var s00 = V8()
    var s01 = V8()
    var s02 = V8()
    var s10 = V8()
    var s11 = V8()
    var s12 = V8()
    var s20 = V8()
    var s21 = V8()
    var s22 = V8()
    var s30 = V8()
    var s31 = V8()
    var s32 = V8()
    var k = 0
    while k + 4 <= kCount {
      let p0 = b + offsets[k]
      let a0 = V8(repeating: a[k])
      s00 = multiplyAdd(s00, a0, load8(p0))
      s01 = multiplyAdd(s01, a0, load8(p0 + 8))
      s02 = multiplyAdd(s02, a0, load8(p0 + 16))
      let p1 = b + offsets[k + 1]
      let a1 = V8(repeating: a[k + 1])
      s10 = multiplyAdd(s10, a1, load8(p1))
      s11 = multiplyAdd(s11, a1, load8(p1 + 8))
      s12 = multiplyAdd(s12, a1, load8(p1 + 16))
      let p2 = b + offsets[k + 2]
      let a2 = V8(repeating: a[k + 2])
      s20 = multiplyAdd(s20, a2, load8(p2))
      s21 = multiplyAdd(s21, a2, load8(p2 + 8))
      s22 = multiplyAdd(s22, a2, load8(p2 + 16))
      let p3 = b + offsets[k + 3]
      let a3 = V8(repeating: a[k + 3])
      s30 = multiplyAdd(s30, a3, load8(p3))
      s31 = multiplyAdd(s31, a3, load8(p3 + 8))
      s32 = multiplyAdd(s32, a3, load8(p3 + 16))
      k += 4
    }
    while k < kCount {
      let p0 = b + offsets[k]
      let a0 = V8(repeating: a[k])
      s00 = multiplyAdd(s00, a0, load8(p0))
      s01 = multiplyAdd(s01, a0, load8(p0 + 8))
      s02 = multiplyAdd(s02, a0, load8(p0 + 16))
      k += 1
    }
    var r0 = (s00 + s10) + (s20 + s30)
    var r1 = (s01 + s11) + (s21 + s31)
    var r2 = (s02 + s12) + (s22 + s32)
    if accumulate {
      r0 += load8(c)
      r1 += load8(c + 8)
      r2 += load8(c + 16)
    }
    store8(r0, c)
    store8(r1, c + 8)
    store8(r2, c + 16)
  }

  // MARK: GEMM driver

  /// `c[m][t] = Σ_k A[m][k] · b[offsets[k] + t]` for `m < rows`, `t < columns`, on `kernels`
  /// (the AVX2 and AVX-512 versions in C give the same bits as each other; the portable one
  /// the same bits where it fuses, on arm64).
  ///
  /// `a` is packed by ``packA(rows:depth:element:into:)``. `columns` must be a multiple of
  /// ``nr``; `b` must be readable for every `offsets[k] + t` with `t < columns`, and `c` must
  /// hold `rows` rows of `ldc ≥ columns` floats. The depth is processed in blocks of `kBlock`
  /// so that one block of every panel stays in the first-level cache.
  static func gemm(
    using kernels: FastKernelSet,
    rows: Int, depth: Int, columns: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    offsets: UnsafePointer<Int>, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    switch kernels {
    case .avx512: cck_gemm_avx512(rows, depth, columns, a, b, offsets, c, ldc)
    case .avx2: cck_gemm_avx2(rows, depth, columns, a, b, offsets, c, ldc)
    case .portable:
      portableGemm(
        rows: rows, depth: depth, columns: columns, a: a, b: b, offsets: offsets, c: c, ldc: ldc)
    }
  }

  /// ``gemm(using:rows:depth:columns:a:b:offsets:c:ldc:)`` in Swift.
  static func portableGemm(
    rows: Int, depth: Int, columns: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    offsets: UnsafePointer<Int>, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    let kBlock = 256
    let panels = rows / mr
    let singleRowsStart = panels * mr
    var k0 = 0
    while k0 < depth {
      let kc = min(kBlock, depth - k0)
      let accumulate = k0 > 0
      var t = 0
      while t < columns {
        let bt = b + t
        for panel in 0..<panels {
          gemm4x24(
            a: a + (panel * depth + k0) * mr, b: bt, offsets: offsets + k0, kCount: kc,
            c: c + panel * mr * ldc + t, ldc: ldc, accumulate: accumulate)
        }
        for row in singleRowsStart..<rows {
          gemm1x24(
            a: a + row * depth + k0, b: bt, offsets: offsets + k0, kCount: kc,
            c: c + row * ldc + t, accumulate: accumulate)
        }
        t += nr
      }
      k0 += kc
    }
  }

  /// Packs `A[m][k] = element(m, k)` for ``gemm(rows:depth:columns:a:b:offsets:c:ldc:)``:
  /// full panels of four rows interleaved by `k` (`[panel][k][4]`), then the remaining rows one
  /// after the other (`[row][k]`). `into` must hold `rows·depth` floats.
  static func packA(
    rows: Int, depth: Int, element: (Int, Int) -> Float, into a: UnsafeMutablePointer<Float>
  ) {
    let panels = rows / mr
    for panel in 0..<panels {
      let base = a + panel * depth * mr
      for k in 0..<depth {
        for r in 0..<mr { base[k * mr + r] = element(panel * mr + r, k) }
      }
    }
    for row in (panels * mr)..<rows {
      for k in 0..<depth { a[row * depth + k] = element(row, k) }
    }
  }

  // MARK: Weight-gradient kernel

  /// Adds `Σ_t d[r·ldd + t] · b[offsets[j] + t]` lane-wise to `acc[r·ldacc + j]` for four rows
  /// `r` of `d` and three taps `j`, `t` over `0..<length` in steps of eight (`length` must be a
  /// multiple of 8). The eight lanes of each accumulator are summed at the very end.
  @inline(__always)
  static func dot4x3(
    d: UnsafePointer<Float>, ldd: Int, b: UnsafePointer<Float>, offsets: UnsafePointer<Int>,
    length: Int, acc: UnsafeMutablePointer<V8>, ldacc: Int
  ) {
    let d1 = d + ldd
    let d2 = d + 2 * ldd
    let d3 = d + 3 * ldd
    let b0 = b + offsets[0]
    let b1 = b + offsets[1]
    let b2 = b + offsets[2]
    var c00 = acc[0]
    var c01 = acc[1]
    var c02 = acc[2]
    var c10 = acc[ldacc]
    var c11 = acc[ldacc + 1]
    var c12 = acc[ldacc + 2]
    var c20 = acc[2 * ldacc]
    var c21 = acc[2 * ldacc + 1]
    var c22 = acc[2 * ldacc + 2]
    var c30 = acc[3 * ldacc]
    var c31 = acc[3 * ldacc + 1]
    var c32 = acc[3 * ldacc + 2]
    var t = 0
    while t < length {
      let y0 = load8(d + t)
      let y1 = load8(d1 + t)
      let y2 = load8(d2 + t)
      let y3 = load8(d3 + t)
      let x0 = load8(b0 + t)
      c00 = multiplyAdd(c00, y0, x0)
      c10 = multiplyAdd(c10, y1, x0)
      c20 = multiplyAdd(c20, y2, x0)
      c30 = multiplyAdd(c30, y3, x0)
      let x1 = load8(b1 + t)
      c01 = multiplyAdd(c01, y0, x1)
      c11 = multiplyAdd(c11, y1, x1)
      c21 = multiplyAdd(c21, y2, x1)
      c31 = multiplyAdd(c31, y3, x1)
      let x2 = load8(b2 + t)
      c02 = multiplyAdd(c02, y0, x2)
      c12 = multiplyAdd(c12, y1, x2)
      c22 = multiplyAdd(c22, y2, x2)
      c32 = multiplyAdd(c32, y3, x2)
      t += 8
    }
    acc[0] = c00
    acc[1] = c01
    acc[2] = c02
    acc[ldacc] = c10
    acc[ldacc + 1] = c11
    acc[ldacc + 2] = c12
    acc[2 * ldacc] = c20
    acc[2 * ldacc + 1] = c21
    acc[2 * ldacc + 2] = c22
    acc[3 * ldacc] = c30
    acc[3 * ldacc + 1] = c31
    acc[3 * ldacc + 2] = c32
  }

  /// Runs ``dot4x3(d:ldd:b:offsets:length:acc:ldacc:)`` over every tile of a
  /// `paddedRows × paddedTaps` accumulator (`acc` row pitch `paddedTaps`); both counts must be
  /// multiples of the tile sizes, with zero rows in `d` and harmless offsets past the real taps.
  /// The AVX2 version in C runs the same chain per lane, in 3×4 tiles; the AVX-512
  /// version keeps 16 lanes, two vectors per entry of `acc` (see ``FastKernelSet/dotVectors``);
  /// its sums group differently (the last bits may differ).
  static func dotAll(
    using kernels: FastKernelSet,
    d: UnsafePointer<Float>, ldd: Int, paddedRows: Int, b: UnsafePointer<Float>,
    offsets: UnsafePointer<Int>, paddedTaps: Int, length: Int, acc: UnsafeMutablePointer<V8>
  ) {
    let lanes = UnsafeMutableRawPointer(acc).assumingMemoryBound(to: Float.self)
    switch kernels {
    case .avx512:
      cck_dot_all_avx512(d, ldd, paddedRows, b, offsets, paddedTaps, length, lanes)
      return
    case .avx2:
      cck_dot_all_avx2(d, ldd, paddedRows, b, offsets, paddedTaps, length, lanes)
      return
    case .portable:
      break
    }
    var r = 0
    while r < paddedRows {
      var j = 0
      while j < paddedTaps {
        dot4x3(
          d: d + r * ldd, ldd: ldd, b: b, offsets: offsets + j, length: length,
          acc: acc + r * paddedTaps + j, ldacc: paddedTaps)
        j += dotCols
      }
      r += dotRows
    }
  }

  // MARK: Reductions

  /// `dst[i] += src[i]` for `i < count`, eight lanes at a time.
  @inline(__always)
  static func add(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count {
      store8(load8(dst + i) + load8(src + i), dst + i)
      i += 8
    }
    while i < count {
      dst[i] += src[i]
      i += 1
    }
  }

  /// The sum of `count` floats, eight lanes at a time (then the lanes, then the tail).
  @inline(__always)
  static func sum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
    var s0 = V8()
    var s1 = V8()
    var i = 0
    while i + 16 <= count {
      s0 += load8(p + i)
      s1 += load8(p + i + 8)
      i += 16
    }
    var total = (s0 + s1).sum()
    while i < count {
      total += p[i]
      i += 1
    }
    return total
  }
}
