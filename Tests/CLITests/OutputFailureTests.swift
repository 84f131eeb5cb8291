import Foundation
import Testing

// MARK: - Failed writes and closed pipes (issue 18, "Crashes and lost output")

@Suite("Output: a failed write is one line and a non-zero exit; files are replaced atomically")
struct OutputFailureTests {
  /// Runs `script` in bash with `$cs` set to the binary; stdout, stderr, status.
  static func shell(_ script: String, in folder: URL? = nil) throws -> Binary.Output {
    let cd = folder.map { "cd '\($0.path)' && " } ?? ""
    return try Binary.execute(
      "/bin/bash", ["-c", cd + script], environment: ["cs": Binary.path], timeout: 120)
  }

  static let vector = Binary.vectors.appendingPathComponent("conv_s2_p1.json").path

  @Test(
    "a full disk: one line naming standard output, exit 2, no backtrace",
    .enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "no /dev/full here"),
    arguments: [
      "\"$cs\" export --format txt > /dev/full", "\"$cs\" compute '\(vector)' > /dev/full",
      "\"$cs\" render > /dev/full", "\"$cs\" lessons > /dev/full",
      "\"$cs\" steps '\(vector)' > /dev/full",
    ])
  func fullDisk(_ command: String) throws {
    let r = try Self.shell(command)
    #expect(r.status == 2, "\(command): \(r.stderr)")
    #expect(
      r.stderr == "convscope: error: cannot write to standard output (No space left on device)\n")
  }

  @Test(
    "standard error on a full disk: the exit status still says so",
    .enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "no /dev/full here"))
  func fullStandardError() throws {
    let r = try Self.shell("\"$cs\" render --input bogus 2>/dev/full")
    #expect(r.status == 2 && r.stdout.isEmpty)
  }

  @Test("a closed pipe with SIGPIPE ignored ends quietly with 141, as a tool killed by SIGPIPE")
  func closedPipe() throws {
    let r = try Self.shell(
      "trap '' PIPE; \"$cs\" steps '\(Self.vector)' | head -n 1; echo \"status ${PIPESTATUS[0]}\"")
    #expect(r.stdout.hasSuffix("status 141\n"), "\(r.stdout)")
    #expect(r.stderr.isEmpty, "\(r.stderr)")
    let big = try Self.shell(
      "trap '' PIPE; \"$cs\" export --article --steps 1..40 --format asciicast | head -c 10 "
        + ">/dev/null; echo \"status ${PIPESTATUS[0]}\"")
    #expect(big.stdout == "status 141\n" && big.stderr.isEmpty, "\(big.stdout)\(big.stderr)")
  }

  @Test("a symbolic link at the target is replaced, never followed; no temporary file stays")
  func symlinkTarget() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-write-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let r = try Self.shell(
      "echo precious > victim.txt && ln -s victim.txt link.svg && ln -s nowhere.txt dangling.svg"
        + " && \"$cs\" export --format svg --output link.svg"
        + " && \"$cs\" export --format svg --output dangling.svg",
      in: folder)
    #expect(r.status == 0, "\(r.stderr)")
    let victim = try String(
      contentsOf: folder.appendingPathComponent("victim.txt"), encoding: .utf8)
    #expect(victim == "precious\n")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(names == ["dangling.svg", "link.svg", "victim.txt"], "\(names)")
    let link = try FileManager.default.attributesOfItem(
      atPath: folder.appendingPathComponent("link.svg").path)
    #expect(link[.type] as? FileAttributeType == .typeRegular)
    let svg = try String(contentsOf: folder.appendingPathComponent("link.svg"), encoding: .utf8)
    #expect(svg.hasPrefix("<svg"))
  }
}

// MARK: - Usage errors (issue 18, "One exit-code rule")

@Suite("Usage errors: one line, the hint, exit status 2")
struct UsageErrorTests {
  @Test(
    "an unknown flag, a value that does not parse, a missing argument",
    arguments: [
      (["--paddin", "2"], "Unknown option '--paddin'. Did you mean '--padding'?"),
      (["render", "--stride", "x"], "The value 'x' is invalid for '--stride <stride>'"),
      (["--seed", "-1"], "a seed is a whole number from 0 to 18446744073709551615 (got '-1')"),
      (["steps"], "Missing expected argument '<case-path>'"),
    ])
  func oneLine(_ arguments: [String], _ words: String) throws {
    let r = try Binary.run(arguments)
    #expect(r.status == 2, "\(r.stderr)")
    #expect(r.stdout.isEmpty)
    let lines = r.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(r.stderr)")
    #expect(r.stderr.hasPrefix("convscope: error: ") && r.stderr.contains(words), "\(r.stderr)")
    #expect(r.stderr.contains("--help"), "the hint where to look: \(r.stderr)")
  }

  @Test("help and --version still exit 0")
  func helpAndVersion() throws {
    #expect(try Binary.run(["--version"]).status == 0)
    let help = try Binary.run(["check", "--help"])
    #expect(help.status == 0 && help.stdout.hasPrefix("OVERVIEW: "))
  }
}

// MARK: - User text in errors (issue 18, "Input the way users have it")

@Suite("Errors show user text escaped")
struct EscapedErrorTests {
  @Test("a lesson value or a file name with escape sequences cannot reach the terminal")
  func escaped() throws {
    let lesson = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-esc-\(UUID().uuidString).lesson")
    defer { try? FileManager.default.removeItem(at: lesson) }
    try "padding: \u{1b}]0;PWNED\u{07}\n".write(to: lesson, atomically: true, encoding: .utf8)
    let r = try Binary.run(["render", "--lesson", lesson.path])
    #expect(r.status == 2 && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    #expect(!r.stderr.contains("\u{1b}") && !r.stderr.contains("\u{07}"), "\(r.stderr)")
    #expect(r.stderr.contains("\\u{1b}]0;PWNED\\u{7}"), "\(r.stderr)")
    let named = try Binary.run(["render", "--input", "bogus\u{1b}[2J"])
    #expect(named.status == 2 && !named.stderr.contains("\u{1b}"), "\(named.stderr)")
    #expect(named.stderr.contains("bogus\\u{1b}[2J"), "\(named.stderr)")
  }
}
