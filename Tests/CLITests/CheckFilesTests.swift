import ConvCore
import ConvFormats
import Foundation
import Testing

// MARK: - check: the engineer's files

/// `check` on the files an engineer has: what `code`'s program prints, `.npz` archives, flat
/// files with `--shape`, channels-last data with `--layout nhwc`, float16 results.
@Suite("convscope check: printouts, .npz, --shape, --layout nhwc, float16")
struct CheckFilesTests {
  static let archives = Binary.root.appendingPathComponent("Tests/Fixtures/archives")

  static func path(_ relative: String) -> String {
    archives.appendingPathComponent(relative).path
  }

  /// A fresh temporary directory, removed by the caller.
  static func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-files-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  static let layer = [
    "--input-size", "6,5", "--channels", "2", "--filters", "3", "--kernel-size", "3",
    "--stride", "2", "--padding", "1", "--batch", "2",
  ]

  @Test(
    "code's program prints what check reads: exit 0, then 1 with one value changed",
    .enabled(
      if: CodeCommandTests.hasNumPy, "python3 with numpy is not available (scripts/setup.sh)"))
  func codePrintoutRoundTrip() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let code = try Binary.run(["code"] + Self.layer)
    #expect(code.status == 0, "\(code.stderr)")
    let script = dir.appendingPathComponent("layer.py")
    try Data(code.stdout.utf8).write(to: script)
    let python = try Binary.execute("/usr/bin/env", ["python3", script.path], timeout: 120)
    #expect(python.status == 0, "\(python.stderr)")
    let out = dir.appendingPathComponent("out.txt")
    try Data(python.stdout.utf8).write(to: out)

    let ok = try Binary.run(["check"] + Self.layer + ["--check-all", out.path])
    #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
    for name in ["y", "dx", "dw", "db"] {
      #expect(ok.stdout.contains("(\(out.path):\(name))"), "\(ok.stdout)")
    }
    let one = try Binary.run(["check"] + Self.layer + ["--check-dw", out.path + ":dw"])
    #expect(one.status == 0 && one.stdout.contains("dw  agrees"), "\(one.stdout)\(one.stderr)")

    // One value of dx changed by 1: dx differs, the others still agree.
    var lines = python.stdout.split(separator: "\n").map(String.init)
    let k = try #require(lines.firstIndex { $0.hasPrefix("dx ") })
    let halves = lines[k].split(separator: ":", maxSplits: 1)
    var values = halves[1].split(separator: " ").compactMap { Double($0) }
    values[3] += 1
    lines[k] = String(halves[0]) + ": " + values.map { "\($0)" }.joined(separator: " ")
    let planted = dir.appendingPathComponent("planted.txt")
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: planted)
    let bad = try Binary.run(["check"] + Self.layer + ["--check-all", planted.path])
    #expect(bad.status == 1, "\(bad.stdout)\(bad.stderr)")
    #expect(bad.stdout.contains("dx  DIFFERS") && bad.stdout.contains("1 of 120 cells differ"))
    #expect(bad.stdout.contains("y   agrees"))
  }

  @Test("an .npz from np.savez and np.savez_compressed: FILE:NAME and --check-all")
  func npz() throws {
    let caseArgs = ["check", "--case", Self.path("layer/case.json")]
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    // The layer's correct y, in an archive with another array beside it.
    let stored = try Binary.run(caseArgs + ["--check-y", Self.path("npz/stored.npz")])
    #expect(stored.status == 1 && stored.stdout.contains("(\(Self.path("npz/stored.npz")):y)"))
    let all = try Binary.run(caseArgs + ["--check-all", Self.path("npz/compressed.npz")])
    #expect(all.status == 1, "\(all.stderr)")
    #expect(all.stdout.contains("dx  DIFFERS") && all.stdout.contains("db  DIFFERS"))
    let missing = try Binary.run(caseArgs + ["--check-y", Self.path("npz/stored.npz") + ":out"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("no array named 'out'") && missing.stderr.contains("y, dx"))
    let single = try Binary.run(caseArgs + ["--check-all", Self.path("layer/y.npy")])
    #expect(single.status == 2 && single.stderr.contains("--check-all reads a file of named"))
    let noTensor = try Binary.run(caseArgs + ["--check-all", Self.path("npz/types.npz")])
    #expect(noTensor.status == 2 && noTensor.stderr.contains("none named y, dx, dw or db"))
  }

  @Test("a flat file takes --shape; a wrong count is one line naming the file and the shape")
  func flatWithShape() throws {
    let caseArgs = ["check", "--case", Self.path("layer/case.json")]
    let flat = Self.path("layer/y_flat.npy")
    let hint = try Binary.run(caseArgs + ["--check-y", flat])
    #expect(hint.status == 1 && hint.stdout.contains("a flat file? give --shape y=2,3,5,6"))
    for file in [flat, Self.path("layer/y_flat.csv")] {
      let r = try Binary.run(caseArgs + ["--check-y", file, "--shape", "2,3,5,6"])
      #expect(r.status == 0, "\(file): \(r.stdout)\(r.stderr)")
      let named = try Binary.run(caseArgs + ["--check-y", file, "--shape", "y=2,3,5,6"])
      #expect(named.status == 0, "\(file): \(named.stdout)\(named.stderr)")
    }
    let wrong = try Binary.run(caseArgs + ["--check-y", flat, "--shape", "2,3,5,5"])
    #expect(wrong.status == 2)
    #expect(
      wrong.stderr.contains("\(flat): 180 values cannot have --shape y=2,3,5,5, which needs 150"),
      "\(wrong.stderr)")
    #expect(wrong.stderr.split(separator: "\n").count == 1)
    let ambiguous = try Binary.run(
      caseArgs + ["--check-y", flat, "--check-dx", flat, "--shape", "2,3,5,6"])
    #expect(ambiguous.status == 2 && ambiguous.stderr.contains("say whose shape it is"))
    let bad = try Binary.run(caseArgs + ["--check-y", flat, "--shape", "2,zero"])
    #expect(bad.status == 2 && bad.stderr.contains("--shape 2,zero: give D0,D1,…"))
  }

  @Test("--layout nhwc reads --input NHWC and --kernel HWIO; channels last without it is named")
  func channelsLast() throws {
    let data = [
      "--input", Self.path("layer/x_nhwc.npy"), "--kernel", Self.path("layer/w_hwio.npy"),
      "--bias", Self.path("layer/b.npy"), "--padding", "1",
    ]
    let ok = try Binary.run(
      ["check"] + data + ["--layout", "nhwc", "--check-y", Self.path("layer/y_nhwc.npy")])
    #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
    #expect(ok.stdout.contains("note: \(Self.path("layer/w_hwio.npy")): HWIO (3, 3, 2, 3)"))
    let npz = Self.path("layer/layer_nhwc.npz")
    let archive = try Binary.run([
      "check", "--input", npz, "--kernel", npz, "--bias", npz, "--padding", "1", "--layout",
      "nhwc", "--check-y", Self.path("layer/y_nhwc.npy"),
    ])
    #expect(archive.status == 0, "\(archive.stdout)\(archive.stderr)")
    // The viewer's flags are the same: render marks nothing.
    let render = try Binary.run(
      ["render", "--size", "100x30"] + data + [
        "--layout", "nhwc", "--check-y", Self.path("layer/y_nhwc.npy"),
      ])
    #expect(render.status == 0 && render.stdout.contains("your numbers agree"), "\(render.stderr)")
    let forgot = try Binary.run(["check"] + data + ["--check-y", Self.path("layer/y.npy")])
    #expect(forgot.status == 2)
    #expect(forgot.stderr.contains("give --layout nhwc"), "\(forgot.stderr)")
    #expect(forgot.stderr.split(separator: "\n").count == 1)
    // Channels-first files under --layout nhwc: the error says to drop it.
    let first = try Binary.run([
      "check", "--input", Self.path("layout/x_nchw.npy"), "--kernel",
      Self.path("layout/w_fchw.npy"), "--layout", "nhwc", "--check-y", Self.path("layer/y.npy"),
    ])
    #expect(first.status == 2)
    #expect(first.stderr.contains("drop --layout nhwc"), "\(first.stderr)")
    #expect(first.stderr.contains("HWIO kernel (4, 3, 2, 5) read as (5, 2, 4, 3) has 2 channels"))
  }

  @Test("float16, float64 and int results: a note; float16 rounding is named as such")
  func elementTypes() throws {
    let caseArgs = ["check", "--case", Self.path("layer/case.json")]
    let f16 = try Binary.run(caseArgs + ["--check-y", Self.path("layer/y_f16.npy")])
    #expect(f16.status == 1)
    #expect(f16.stdout.contains("float16 values converted to float32"))
    let unwrapped = CheckCommandTests.unwrapped(f16.stdout)
    #expect(
      unwrapped.contains("your y is float16: every difference is within float16 rounding"),
      "\(f16.stdout)")
    #expect(unwrapped.contains("or widen --rtol to 1e-3"))
    let widened = try Binary.run(
      caseArgs + ["--check-y", Self.path("layer/y_f16.npy"), "--rtol", "1e-3"])
    #expect(widened.status == 0, "\(widened.stdout)")
    let planted = try Binary.run(caseArgs + ["--check-y", Self.path("layer/y_f16_planted.npy")])
    #expect(planted.status == 1 && !planted.stdout.contains("within float16 rounding"))
    let json = try Binary.run(caseArgs + ["--check-y", Self.path("layer/y_f16.npy"), "--json"])
    let root = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let notes = try #require(root["notes"] as? [String])
    #expect(notes.contains { $0.contains("float16 values converted to float32") })
    let tensors = try #require(root["tensors"] as? [[String: Any]])
    #expect((tensors[0]["notes"] as? [String])?.first?.contains("float16 rounding") == true)
    let f64 = try Binary.run(caseArgs + ["--check-y", Self.path("layer/y_f64.npy")])
    #expect(f64.status == 0 && f64.stdout.contains("float64 values rounded to float32"))
    let ints = try Binary.run(caseArgs + ["--check-y", Self.path("layer/y_int.npy")])
    #expect(ints.stdout.contains("int32 values converted to float32"))
  }
}
