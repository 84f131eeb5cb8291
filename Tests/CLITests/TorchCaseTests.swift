import Foundation
import Testing

// MARK: - convscope compute on the PyTorch-made cases

/// The grouped, depthwise, pointwise, padding-mode and transposed cases that
/// `scripts/make_torch_fixtures.py` computed with PyTorch in float64 (autograd for dx, dw, db),
/// run through the real binary: `y`, `dx`, `dw` and `db` must match PyTorch's.
@Suite("convscope compute: the PyTorch-made cases")
struct TorchComputeTests {
  /// The folder the script writes (not `conv-vectors`, whose files other tests count and walk).
  static let folder = Binary.root.appendingPathComponent("Tests/Fixtures/torch-cases")

  /// How many cases the script writes (its `CASES`): a lost file fails ``casesExist()``.
  static let expectedCount = 22

  /// The case files' names, without `.json`.
  static let caseNames: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
  }()

  /// The largest difference allowed, relative to `max(1, |expected|)`.
  ///
  /// The expected values are PyTorch's in float64 from N(0,1) inputs at full precision.
  /// convscope reads the inputs as `Float` (each rounded by up to 2⁻²⁴ ≈ 6e-8 relative), and
  /// writes its results as the shortest decimal of a `Float`; on these sizes (sums of at most a
  /// few hundred products of N(0,1) numbers) that moves a value by less than 1e-6 (the oracle in
  /// Double differs from PyTorch by at most about 8e-7 here), and PyTorch's own float32 run of
  /// each case is within 5e-6 (`float32_reference_max_abs_err` in each file). 1e-4 leaves room
  /// for a path that accumulates in `Float` (the fast path the issue plans), while a real mistake
  /// (a wrong group, padding cell, stride or flip) moves a value by about 0.1 or more.
  static let tolerance = 1e-4

  @Test("the folder holds every case the script writes")
  func casesExist() {
    #expect(
      Self.caseNames.count >= Self.expectedCount,
      "missing fixtures in Tests/Fixtures/torch-cases: \(Self.caseNames)")
  }

  @Test("y, dx, dw and db match PyTorch's", arguments: caseNames)
  func matchesTorch(name: String) throws {
    let path = Self.folder.appendingPathComponent("\(name).json").path
    let (computed, expected) = try Binary.computed(path, timeout: 120)
    let computedShapes = try #require(computed["shapes"] as? [String: [Int]], "\(name)")
    let expectedShapes = try #require(expected["shapes"] as? [String: [Int]], "\(name)")
    for key in ["y", "dx", "dw", "db"] {
      let a = try #require(computed[key] as? [Double], "\(name): no \(key) in the output")
      let e = try #require(expected[key] as? [Double], "\(name): no expected \(key)")
      #expect(computedShapes[key] == expectedShapes[key], "\(name) \(key) shape")
      #expect(a.count == e.count, "\(name) \(key): \(a.count) values, expected \(e.count)")
      let diffs = zip(a, e).map { abs($0 - $1) / max(1, abs($1)) }
      let worst = diffs.indices.max { diffs[$0] < diffs[$1] }
      if let i = worst {
        #expect(
          diffs[i] <= Self.tolerance,
          "\(name) \(key)[\(i)]: convscope \(a[i]), PyTorch \(e[i])")
      }
    }
  }
}
