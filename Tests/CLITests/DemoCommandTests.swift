import Foundation
import Testing

// MARK: - convscope demo

@Suite("convscope demo")
struct DemoCommandTests {
  @Test("prints the article's three shapes and a passing gradient check")
  func articleDemo() throws {
    let result = try Binary.run(["demo", "--check-cells", "500"])
    #expect(result.status == 0, "\(result.stderr)")
    let out = result.stdout
    #expect(out.contains("input shape:          (10, 32, 32)"))
    #expect(out.contains("output shape:         (10, 32, 32, 16)"))
    #expect(out.contains("input gradient shape: (10, 32, 32)"))
    #expect(out.contains("): passed"))
    #expect(out.contains("O = ⌊(32 + 2·2 − 1·(5−1) − 1)/1⌋ + 1 = 32"))
    #expect(out.contains("max |ΔW| = "))
    #expect(out.contains("time: forward "))
  }

  @Test("every parameter has a flag")
  func flags() throws {
    let result = try Binary.run([
      "demo", "--batch", "2", "--input-size", "9", "--filter-size", "3", "--filters", "4",
      "--stride", "2", "--padding", "1", "--alpha", "0.1", "--seed", "7",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("input shape:          (2, 9, 9)"))
    #expect(result.stdout.contains("output shape:         (2, 5, 5, 4)"))
  }

  @Test(
    "impossible parameters: one line, exit 2",
    arguments: [
      (["--stride", "0"], "stride must be ≥ 1 (got 0)"),
      (["--filter-size", "40"], "effective kernel"),
      (["--padding=-1"], "padding must be ≥ 0 (got -1)"),
      (["--batch", "0"], "batch must be ≥ 1 (got 0)"),
      (["--alpha", "nan"], "alpha"),
      (["--batch", "100000", "--input-size", "100000"], "over the limit of 16777216"),
    ])
  func impossible(arguments: [String], mentions: String) throws {
    let result = try Binary.run(["demo"] + arguments)
    #expect(result.status == 2)
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(result.stderr.contains(mentions), "\(result.stderr)")
  }

  @Test("a malformed flag is refused by the parser without a trap")
  func malformed() throws {
    let result = try Binary.run(["demo", "--stride", "two"])
    #expect(result.status != 0)
    #expect(result.status < 128, "killed by a signal: \(result.status)")
    #expect(result.stderr.contains("stride"))
  }
}
