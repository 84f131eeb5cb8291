import Foundation

// MARK: - FuzzRun

/// The seed and budget of one randomised test, so that every failure can be replayed.
///
/// The seed comes from `CONVSCOPE_FUZZ_SEED` when it is set, else it is fresh for each run; the
/// number of iterations from `CONVSCOPE_FUZZ_ITERATIONS` (to run longer locally), else the
/// test's default, sized for CI. ``replay`` is the line a failure message ends with.
public struct FuzzRun: Sendable {
  /// The environment variable that fixes the seed.
  public static let seedVariable = "CONVSCOPE_FUZZ_SEED"
  /// The environment variable that sets the number of iterations.
  public static let iterationsVariable = "CONVSCOPE_FUZZ_ITERATIONS"

  /// The test's name for messages and for `swift test --filter`.
  public let name: String
  /// The seed of the run.
  public let seed: UInt64
  /// How many iterations (mutated inputs) to run.
  public let iterations: Int

  /// The seed and budget for the test `name` (a `--filter` pattern).
  public init(name: String, defaultIterations: Int) {
    let environment = ProcessInfo.processInfo.environment
    self.name = name
    seed =
      environment[Self.seedVariable].flatMap { UInt64($0) }
      ?? UInt64.random(in: 0...UInt64(UInt32.max))
    iterations =
      environment[Self.iterationsVariable].flatMap { Int($0) }.map { max(1, $0) }
      ?? defaultIterations
  }

  /// `seed 12345 (replay: CONVSCOPE_FUZZ_SEED=12345 swift test --filter NAME)`.
  public var replay: String {
    "seed \(seed) (replay: \(Self.seedVariable)=\(seed) swift test --filter \(name))"
  }

  /// Feeds `check` every file of `corpus` whole and cut at about a hundred lengths, then
  /// ``iterations`` mutations (``Mutator``, with `tokens`) spread over the files, drawn from `rng`
  /// (seeded with ``seed``). `check` gets the bytes, the file's name and what was done to it.
  public func drive<G: RandomNumberGenerator>(
    _ corpus: [(name: String, bytes: [UInt8])], tokens: [String], _ rng: inout G,
    _ check: (_ bytes: [UInt8], _ file: String, _ what: String) -> Void
  ) {
    for (file, original) in corpus {
      check(original, file, "unmutated")
      for length in stride(from: 0, to: original.count, by: max(1, original.count / 100)) {
        check(Array(original.prefix(length)), file, "cut at \(length)")
      }
    }
    for round in 0..<iterations {
      let (file, original) = corpus[round % corpus.count]
      check(Mutator.mutate(original, tokens: tokens, &rng), file, "mutation \(round)")
    }
  }
}
