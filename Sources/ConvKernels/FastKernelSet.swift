import CConvKernels
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - FastKernelSet

/// Which implementation of the fast path's inner loops runs, chosen at run time.
///
/// The program is built for the baseline processor (no `-march`): the AVX2 and AVX-512 kernels
/// are C functions with per-function target attributes, called only where the processor has
/// them, and the portable kernels run anywhere (x86-64 without AVX2, arm64).
///
/// All compute the same sums. `avx2` and `avx512` give the same bits for `y`, `dx` and `db`
/// (each output is the same chain of fused multiply–adds); their weight gradients group the
/// partial sums differently (8 lanes against 16), so `dw` may differ in the last bits.
/// `portable` on x86-64 multiplies and adds separately (a fused multiply–add needs AVX2-era
/// hardware), so its results may differ in the last bits from both, within the same documented
/// bound of the reference (`docs/performance.md`). On arm64, where FMA is baseline, it fuses.
public enum FastKernelSet: String, Sendable, CaseIterable, CustomStringConvertible {
  /// `SIMD8<Float>` in Swift, for any processor: SSE2 on x86-64, NEON on arm64.
  case portable
  /// Eight-lane AVX2 + FMA in C (`CConvKernels`). x86-64 with AVX2 and FMA (Haswell, Zen).
  case avx2
  /// Sixteen-lane AVX-512 in C (`CConvKernels`). x86-64 with AVX-512F and AVX-512VL.
  case avx512

  /// `SIMD8<Float>` accumulators per (filter, tap) of the weight gradient: the AVX-512 kernel
  /// keeps all 16 lanes until the final reduction.
  var dotVectors: Int { self == .avx512 ? 2 : 1 }

  /// Whether this processor can run the set.
  public var isAvailable: Bool {
    switch self {
    case .portable: true
    case .avx2: Self.hasAVX2
    case .avx512: Self.hasAVX512
    }
  }

  /// The sets this processor can run, slowest first.
  public static var available: [FastKernelSet] { allCases.filter(\.isAvailable) }

  /// The fastest set this processor runs: AVX-512, else AVX2, else portable (measured: AVX-512
  /// has twice the FMA throughput of AVX2 on the benchmark machine's Zen 5 cores, see
  /// `docs/performance.md`).
  public static let best: FastKernelSet = hasAVX512 ? .avx512 : hasAVX2 ? .avx2 : .portable

  /// A name for reports: `portable (Swift)`, `AVX2 (C)` or `AVX-512 (C)`.
  public var description: String {
    switch self {
    case .portable: "portable (Swift)"
    case .avx2: "AVX2 (C)"
    case .avx512: "AVX-512 (C)"
    }
  }

  private static let hasAVX2 = cck_avx2_available() != 0
  private static let hasAVX512 = hasAVX2 && cck_avx512_available() != 0

  // MARK: Environment

  /// The environment variable that sets the process-wide default: `portable`, `avx2`,
  /// `avx512` or `auto`.
  public static let environmentVariable = "CONVSCOPE_KERNELS"

  /// The set a value of ``environmentVariable`` names, when this processor runs it; nil for
  /// `auto`, an unknown name or a set the processor lacks (the default is then ``best``).
  public static func named(_ value: String?) -> FastKernelSet? {
    guard let value, let set = FastKernelSet(rawValue: value), set.isAvailable else { return nil }
    return set
  }

  /// The set ``environmentVariable`` names (see ``named(_:)``), read once.
  public static let requested: FastKernelSet? = named(
    getenv(environmentVariable).map { String(cString: $0) })

  /// The process-wide default: ``requested``, else ``best``.
  public static var processDefault: FastKernelSet { requested ?? best }
}

// MARK: - Choice

extension FastConv {
  private static let kernelSetting = Atomic<Int>(-1)

  /// The kernels the fast path uses: ``FastKernelSet/processDefault`` (the set
  /// `CONVSCOPE_KERNELS` names, else the best) unless set to another available set (setting an
  /// unavailable one goes back to the default). Process-wide; safe from any thread.
  public static var kernels: FastKernelSet {
    get {
      let raw = kernelSetting.load(ordering: .relaxed)
      return raw >= 0 ? FastKernelSet.allCases[raw] : .processDefault
    }
    set {
      let index = newValue.isAvailable ? FastKernelSet.allCases.firstIndex(of: newValue) : nil
      kernelSetting.store(index ?? -1, ordering: .relaxed)
    }
  }
}
