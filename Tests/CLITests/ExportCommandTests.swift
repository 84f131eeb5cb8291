import Foundation
import Testing

// MARK: - A scratch folder

/// A fresh folder under the temporary directory, removed by ``remove()``.
struct ExportScratch {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("convscope-export-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  /// The path of `name` inside the folder.
  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  /// The text of `name`, or nil.
  func read(_ name: String) -> String? { try? String(contentsOfFile: path(name), encoding: .utf8) }

  func remove() { try? FileManager.default.removeItem(at: url) }
}

// MARK: - convscope export

@Suite("convscope export: files, flags and errors")
struct ExportCommandTests {
  /// The command the README names for docs/first-lesson.svg.
  static let readmeArguments = ["export", "--step", "17", "--format", "svg", "--output"]

  @Test("docs/first-lesson.svg is what the README's command produces now")
  func committedFrame() throws {
    let scratch = try ExportScratch()
    defer { scratch.remove() }
    let result = try Binary.run(Self.readmeArguments + [scratch.path("first-lesson.svg")])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.isEmpty && result.stderr.isEmpty)
    let committed = try String(
      contentsOf: Binary.root.appendingPathComponent("docs/first-lesson.svg"), encoding: .utf8)
    #expect(
      scratch.read("first-lesson.svg") == committed,
      """
      docs/first-lesson.svg is out of date: run \
      `.build/debug/convscope export --step 17 --format svg --output docs/first-lesson.svg`
      """)
  }

  @Test("a frame goes to standard output without --output, the same as to a file")
  func standardOutput() throws {
    let scratch = try ExportScratch()
    defer { scratch.remove() }
    for format in ["svg", "html", "txt", "ansi"] {
      let out = try Binary.run(["export", "--step", "3", "--format", format])
      #expect(out.status == 0, "\(format): \(out.stderr)")
      let file = try Binary.run(
        ["export", "--step", "3", "--format", format, "-o", scratch.path("f.\(format)")])
      #expect(file.status == 0 && file.stdout.isEmpty)
      #expect(scratch.read("f.\(format)") == out.stdout, "\(format)")
    }
  }

  @Test("txt is the frame `render` prints; ansi keeps 24-bit colours unless --color says")
  func textAndColours() throws {
    let txt = try Binary.run(["export", "--step", "17", "--format", "txt"])
    let render = try Binary.run(["render", "--size", "100x32", "--step", "17"])
    #expect(txt.status == 0 && render.status == 0)
    #expect(txt.stdout == render.stdout)
    #expect(!txt.stdout.contains("\u{1B}"))
    let ansi = try Binary.run(["export", "--step", "17", "--format", "ansi"])
    #expect(ansi.stdout.contains("\u{1B}[") && ansi.stdout.contains("38;2;"))
    let c256 = try Binary.run(["export", "--step", "17", "--format", "ansi", "--color", "256"])
    #expect(c256.stdout.contains("38;5;") && !c256.stdout.contains("38;2;"))
    let ascii = try Binary.run(["export", "--step", "17", "--format", "txt", "--ascii"])
    #expect(!ascii.stdout.unicodeScalars.contains { (0x2500...0x259F).contains($0.value) })
  }

  @Test("--format comes from --output's extension when left out; files are overwritten")
  func formatFromExtension() throws {
    let scratch = try ExportScratch()
    defer { scratch.remove() }
    try "old".write(toFile: scratch.path("a.svg"), atomically: true, encoding: .utf8)
    #expect(try Binary.run(["export", "-o", scratch.path("a.svg")]).status == 0)
    #expect(scratch.read("a.svg")?.hasPrefix("<svg xmlns=") == true)
    #expect(
      try Binary.run(["export", "--steps", "1..2", "-o", scratch.path("b.cast")]).status == 0)
    let castHeader = scratch.read("b.cast")?.split(separator: "\n").first
    #expect(
      castHeader?.hasPrefix("{\"env\":{") == true && castHeader?.contains("\"version\":2,") == true)
    #expect(try Binary.run(["export", "--step", "2", "-o", scratch.path("c.html")]).status == 0)
    #expect(scratch.read("c.html")?.hasPrefix("<!DOCTYPE html>") == true)
  }

  @Test("--steps with a one-frame format writes one file per step into a new folder")
  func filePerStep() throws {
    let scratch = try ExportScratch()
    defer { scratch.remove() }
    let folder = scratch.path("slides/forward")
    let result = try Binary.run(["export", "--steps", "8..11", "--format", "svg", "-o", folder])
    #expect(result.status == 0, "\(result.stderr)")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    #expect(names == (8...11).map { "forward-step-\($0 < 10 ? "0" : "")\($0).svg" })
    for step in [8, 11] {
      let one = try Binary.run(["export", "--step", "\(step)", "--format", "svg"])
      let name = "slides/forward/forward-step-\(step < 10 ? "0" : "")\(step).svg"
      #expect(scratch.read(name) == one.stdout, "step \(step)")
    }
    // Again into the existing folder, another phase and format.
    let back = try Binary.run(
      ["export", "--phase", "backward", "--steps", "1..2", "--format", "txt", "-o", folder])
    #expect(back.status == 0, "\(back.stderr)")
    #expect(scratch.read("slides/forward/backward-step-01.txt")?.contains("backward") == true)
  }

  @Test(
    "bad flags give one line and exit status 2",
    arguments: [
      (["--steps", "0..5", "--format", "asciicast"], "--steps 0..5: steps count from 1"),
      (["--steps", "5..3", "--format", "asciicast"], "the last step comes before the first"),
      (["--steps", "1..50", "--format", "asciicast"], "the forward phase has 49 steps"),
      (["--steps", "3", "--format", "asciicast"], "expected A..B"),
      (["--steps", "a..b", "--format", "svg", "-o", "x"], "expected A..B"),
      (["--step", "50", "--format", "svg"], "--step 50: the forward phase has 49 steps"),
      (["--step", "2", "--steps", "1..3", "--format", "asciicast"], "give one of them"),
      (["--fps", "3", "--format", "svg"], "--fps only applies to --format asciicast"),
      (["--fps", "0", "--format", "asciicast"], "more than 0 and at most 60"),
      (["--fps", "61", "--steps", "1..2", "--format", "asciicast"], "at most 60"),
      (["--step", "2"], "--format is required"),
      (["-o", "frame.png"], "--format is required"),
      (["--steps", "1..3", "--format", "svg"], "name a folder with --output"),
      (["--phase", "relu", "--format", "svg"], "phase"),
      (["--format", "svg", "-o", "/nonexistent-folder/x.svg"], "/nonexistent-folder/x.svg"),
      (["--article", "--format", "asciicast"], "at most 5000"),
    ])
  func errors(arguments: [String], message: String) throws {
    let result = try Binary.run(["export"] + arguments)
    #expect(result.status == 2, "\(arguments): \(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("convscope: error: "), "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
  }

  @Test("--output naming a file where a folder is needed is an error")
  func folderIsAFile() throws {
    let scratch = try ExportScratch()
    defer { scratch.remove() }
    try "x".write(toFile: scratch.path("file"), atomically: true, encoding: .utf8)
    let result = try Binary.run(
      ["export", "--steps", "1..2", "--format", "svg", "-o", scratch.path("file")])
    #expect(result.status == 2)
    #expect(result.stderr.contains("is a file; with --steps, --output names a folder"))
    #expect(scratch.read("file") == "x")
  }
}

// MARK: - The README's pictures

@Suite("docs/screens")
struct ScreenPicturesTests {
  /// The pictures scripts/screens.sh writes.
  static let names = [
    "first-forward", "first-backward", "first-update", "article", "rgb-photo", "debugger", "help",
    "transposed", "transposed-adjoint",
  ]

  @Test("docs/screens/*.svg are what scripts/screens.sh produces now")
  func current() throws {
    let scratch = try ExportScratch()
    defer { scratch.remove() }
    let script = Binary.root.appendingPathComponent("scripts/screens.sh").path
    let r = try Binary.execute(
      "/bin/bash", [script, Binary.path], environment: ["SCREENS_DIR": scratch.path("")],
      timeout: 240)
    #expect(r.status == 0, "\(r.stderr)")
    for name in Self.names {
      let committed = try String(
        contentsOf: Binary.root.appendingPathComponent("docs/screens/\(name).svg"), encoding: .utf8)
      #expect(
        scratch.read("\(name).svg") == committed,
        "docs/screens/\(name).svg is out of date: run `scripts/screens.sh`")
    }
  }
}
