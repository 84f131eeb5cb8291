import Foundation
import Testing

// MARK: - Image bombs from the command line

/// Issue 18: a 16384×16384 PNG (a few KB of header and first rows) as a kernel, a checked tensor
/// or an unreduced input is refused from its header, one line and exit 2. The slow cases (the
/// whole bombs, RSS and seconds) are in scripts/reliability/images.sh.
@Suite("CLI: image bombs are refused from the header")
struct ImageBombTests {
  static let png = Binary.root.appendingPathComponent(
    "Tests/Fixtures/images/bombs/16384x16384_header.png"
  ).path
  static let pbm = Binary.root.appendingPathComponent(
    "Tests/Fixtures/images/bombs/16384x16384_header.pbm"
  ).path

  @Test("as --kernel, --check-y, --check-dw or an input kept whole: one line naming the limit")
  func refused() throws {
    let cases: [([String], String, String)] = [
      (["render", "--kernel", Self.png], "PNG", "a kernel"),
      (["render", "--kernel", Self.pbm], "PBM", "a kernel"),
      (["check", "--check-y", Self.png], "PNG", "a checked tensor"),
      (["check", "--check-dw", Self.pbm], "PBM", "a checked tensor"),
      (["render", "--input", Self.png, "--max-size", "0"], "PNG", "an input"),
    ]
    for (arguments, kind, role) in cases {
      let out = try Binary.run(arguments)
      let file = arguments[arguments.firstIndex { $0.hasPrefix("/") } ?? 0]
      #expect(out.status == 2, "\(arguments)")
      #expect(
        out.stderr
          == "convscope: error: \(file): \(kind) image of 16384×16384 pixels is 268435456 values, "
          + "over the limit of 16777216 values for \(role); refused before reading\n")
    }
  }
}
