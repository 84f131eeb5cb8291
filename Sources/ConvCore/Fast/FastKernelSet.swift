import CFastKernels
import Synchronization

// MARK: - FastKernelSet

/// Which implementation of the fast path's inner loops runs.
///
/// Both compute the same sums. The matrix products give the same bits with either set (each
/// output is the same chain of fused multiply–adds); the weight gradient's partial sums are
/// grouped differently (16 lanes folded to 8), so `dw` may differ in the last bits.
public enum FastKernelSet: String, Sendable, CaseIterable, CustomStringConvertible {
  /// `SIMD8<Float>` in Swift: AVX2 + FMA on x86-64 (ConvCore's release flags), NEON elsewhere.
  case simd8
  /// The same loops on 16-lane AVX-512 registers, in C (`CFastKernels`). x86-64 only.
  case avx512

  /// `SIMD8<Float>` accumulators per (filter, tap) of the weight gradient: the AVX-512 kernel
  /// keeps all 16 lanes until the final reduction.
  var dotVectors: Int { self == .avx512 ? 2 : 1 }

  /// Whether this processor can run the set.
  public var isAvailable: Bool {
    switch self {
    case .simd8: true
    case .avx512: Self.hasAVX512
    }
  }

  /// The sets this processor can run.
  public static var available: [FastKernelSet] { allCases.filter(\.isAvailable) }

  /// The fastest set this processor runs: AVX-512 where there is one (measured: twice the FMA
  /// throughput of AVX2 on the benchmark machine's Zen 5 cores, see `docs/performance.md`).
  public static let best: FastKernelSet = hasAVX512 ? .avx512 : .simd8

  /// A name for reports: `AVX-512 (C)` or `SIMD8 (Swift)`.
  public var description: String {
    switch self {
    case .simd8: "SIMD8 (Swift)"
    case .avx512: "AVX-512 (C)"
    }
  }

  private static let hasAVX512 = cfk_avx512_available() != 0
}

// MARK: - Choice

extension FastConv {
  private static let kernelSetting = Atomic<Int>(-1)

  /// The kernels the fast path uses: ``FastKernelSet/best`` unless set to another available
  /// set (setting an unavailable one keeps the best). Process-wide; safe from any thread.
  public static var kernels: FastKernelSet {
    get {
      let raw = kernelSetting.load(ordering: .relaxed)
      return raw >= 0 ? FastKernelSet.allCases[raw] : .best
    }
    set {
      let index = newValue.isAvailable ? FastKernelSet.allCases.firstIndex(of: newValue) : nil
      kernelSetting.store(index ?? -1, ordering: .relaxed)
    }
  }
}
