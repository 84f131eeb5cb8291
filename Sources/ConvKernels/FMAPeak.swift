import CConvKernels

// MARK: - FMA peak

extension FastConv {
  /// A plain FMA loop on one core, in GFLOP/s (2 FLOP per lane per fused multiply–add): the
  /// ceiling the fast path's kernels are measured against.
  ///
  /// Twelve independent accumulators of the registers `kernels` uses (`SIMD8<Float>` with the
  /// portable kernels' multiply–add, 8-lane AVX2 or 16-lane AVX-512 in C), enough to hide the
  /// FMA latency. Takes the best of `repeats` runs of about 5 ms each (about 2.5 ms with
  /// AVX-512; longer with the portable loop on x86-64, which multiplies and adds separately).
  public static func measureFMAPeak(
    repeats: Int = 20, kernels: FastKernelSet = FastConv.kernels
  ) -> Double {
    let clock = ContinuousClock()
    let iterations = 200_000
    var best = Double.infinity
    var sink: Float = 0
    for r in 0..<max(1, repeats) {
      let start = clock.now
      switch kernels {
      case .portable: sink += fmaLoop(iterations: iterations, seed: Float(r))
      case .avx2: sink += cck_fma_loop_avx2(iterations, Float(r))
      case .avx512: sink += cck_fma_loop_avx512(iterations, Float(r))
      }
      let elapsed = (clock.now - start).seconds
      best = min(best, elapsed)
    }
    let lanes: Double = kernels == .avx512 ? 16 : 8
    let flops = Double(iterations) * 12 * lanes * 2
    // The sink keeps the loop alive without changing the result.
    return flops / best / 1e9 + (sink.isNaN ? 0 : 0)
  }

  @inline(never)
  static func fmaLoop(iterations: Int, seed: Float) -> Float {
    let m = V8(repeating: 0.999_999)
    let a = V8(repeating: 1e-7)
    var c0 = V8(repeating: seed)
    var c1 = c0 + 1
    var c2 = c0 + 2
    var c3 = c0 + 3
    var c4 = c0 + 4
    var c5 = c0 + 5
    var c6 = c0 + 6
    var c7 = c0 + 7
    var c8 = c0 + 8
    var c9 = c0 + 9
    var c10 = c0 + 10
    var c11 = c0 + 11
    for _ in 0..<iterations {
      c0 = multiplyAdd(a, c0, m)
      c1 = multiplyAdd(a, c1, m)
      c2 = multiplyAdd(a, c2, m)
      c3 = multiplyAdd(a, c3, m)
      c4 = multiplyAdd(a, c4, m)
      c5 = multiplyAdd(a, c5, m)
      c6 = multiplyAdd(a, c6, m)
      c7 = multiplyAdd(a, c7, m)
      c8 = multiplyAdd(a, c8, m)
      c9 = multiplyAdd(a, c9, m)
      c10 = multiplyAdd(a, c10, m)
      c11 = multiplyAdd(a, c11, m)
    }
    let s = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11))
    return s.sum()
  }
}

extension Duration {
  /// The duration in seconds.
  var seconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) * 1e-18
  }
}
