import ConvCore
import ConvFormats
import Foundation
import Testing

// MARK: - Fixture paths

/// Paths of the repository's test fixtures, found from this file's location.
enum Fixtures {
  /// The repository root (three levels above this file).
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// `Tests/Fixtures/conv-vectors`.
  static let vectors = root.appendingPathComponent("Tests/Fixtures/conv-vectors")

  /// `../shared/conv-vectors` beside the repository, where it exists.
  static let sharedVectors = root.deletingLastPathComponent()
    .appendingPathComponent("shared/conv-vectors")

  /// Every case file name the fixtures must hold (the shared set at the time of copying).
  static let expectedCaseNames = [
    "conv_batch3", "conv_c3_f4", "conv_dilation2", "conv_dilation2_s2_p1", "conv_float_normal",
    "conv_h6_w9", "conv_k1x1", "conv_k1x1_s2_p1", "conv_k2x4_s1x2_p0x1", "conv_k5x1_p2x0",
    "conv_kernel_eq_input", "conv_kernel_gt_input_p1", "conv_negative", "conv_s2_p0",
    "conv_s2_p1", "conv_s2_p2", "conv_s3_p0", "conv_s3_p1", "conv_s3_p2", "conv_seed_b2",
    "maxpool_k2_s2", "maxpool_k3_s2_p1", "relu",
  ]

  /// Loads a case from the fixtures, failing the test with a message when it is missing.
  static func loadCase(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> ConvCase
  {
    let path = vectors.appendingPathComponent("\(name).json").path
    guard FileManager.default.fileExists(atPath: path) else {
      Issue.record(
        "missing fixture \(path): copy ../shared/conv-vectors into Tests/Fixtures",
        sourceLocation: sourceLocation)
      throw FixtureMissing()
    }
    return try ConvCase.load(path: path)
  }

  struct FixtureMissing: Error {}
}

// MARK: - Comparisons

/// The largest |a − b| scaled for a tolerance check: `|a − b| ≤ atol + rtol·|b|` must hold.
func allClose(_ a: Tensor, _ b: Tensor, rtol: Float = 0, atol: Float) -> Bool {
  guard a.shape == b.shape else { return false }
  for i in a.data.indices {
    let d = abs(a.data[i] - b.data[i])
    if !(d <= atol + rtol * abs(b.data[i])) { return false }
  }
  return true
}

// MARK: - Dyadic data

/// Seeded multiples of 1/8 in [−2, 2]: every product and partial sum of a small convolution is
/// exact in `Float`, so different summation orders must agree bit for bit.
func dyadic(_ shape: [Int], seed: UInt64) -> Tensor {
  var g = SeededGenerator(seed: seed)
  var t = Tensor(shape: shape)
  for i in t.data.indices { t.data[i] = Float(Int(g.next() % 33) - 16) / 8 }
  return t
}
