import Foundation
import Testing

// MARK: - convscope render (and the viewer's flag checks)

@Suite("convscope render")
struct RenderCommandTests {
  @Test("one frame of the first lesson, with the status bar and the output-size formula")
  func firstLesson() throws {
    let r = try Binary.run(["render", "--size", "120x40"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count >= 40)
    #expect(r.stdout.contains("Input x[0,0,:,:]") && r.stdout.contains("Output y[0,0,:,:]"))
    #expect(r.stdout.contains("step 1/49"))
    #expect(r.stdout.contains("O = ⌊(7 + 2·1 − 1·(3−1) − 1)/1⌋ + 1 = 7"))
    #expect(!r.stdout.contains("\u{1B}["), "plain text unless --color is given")
  }

  @Test(
    "--color adds ANSI colours; --ascii keeps every character ASCII",
    arguments: ["8", "256", "truecolor"])
  func colourAndASCII(color: String) throws {
    let r = try Binary.run(["render", "--color", color, "--lesson", "rgb-edges", "--ascii"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("\u{1B}["))
    let ascii = r.stdout.unicodeScalars.allSatisfy { $0.isASCII }
    #expect(ascii, "a non-ASCII character in --ascii output")
  }

  @Test(
    "a negative number is refused by its own rule, never as a missing value",
    arguments: [
      (["render", "--step", "-1"], "step must be ≥ 1 (got -1)"),
      (["render", "--seed", "5", "--batch", "-2"], "batch must be ≥ 1 (got -2)"),
      (["export", "--fps", "-2", "--format", "asciicast"], "frames a second must be more than 0"),
      (["demo", "--alpha", "-1"], "alpha must be finite, ≥ 0 (got -1.0)"),
      (["bench", "--runs", "-1"], "--runs must be between 1 and 100000 (got -1)"),
      (
        ["check", "--rtol", "-1", "--check-y", "Tests/Fixtures/bugs/A/kernel-flipped/y.npy"],
        "rtol must be finite, ≥ 0 (got -1.0)"
      ),
    ])
  func negativeNumbers(arguments: [String], mentions: String) throws {
    let args = arguments.map { $0.hasPrefix("Tests/") ? Binary.root.path + "/" + $0 : $0 }
    let r = try Binary.run(args)
    #expect(r.status != 0, "\(arguments): \(r.stdout)")
    #expect(r.stderr.contains(mentions), "\(arguments): \(r.stderr)")
    #expect(!r.stderr.contains("Missing value"), "\(r.stderr)")
  }

  @Test("values may start with a minus sign: --bias -0.5 is a bias, not a missing value")
  func negativeValues() throws {
    let r = try Binary.run(["render", "--bias", "-0.5", "--size", "120x40"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("b = −0.5"), "\(r.stdout)")
  }

  @Test("--phase and --step choose the frame")
  func phaseAndStep() throws {
    let r = try Binary.run(["render", "--phase", "backward", "--step", "12"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("backward") && r.stdout.contains("step 12/49"))
    #expect(r.stdout.contains("dw[0,0,:,:] += dy[0,0,1,4]·x[0,0,0…2,3…5]"))
    #expect(r.stdout.contains("dx[0,0,0…2,3…5] += dy[0,0,1,4]·w[0,0,:,:]"))
  }

  @Test(
    "impossible combinations: one line, exit 2, before any screen",
    arguments: [
      (["--stride", "0"], "stride must be ≥ 1 (got 0)"),
      (["--kernel-size", "10"], "effective kernel"),
      (["--dilation", "5"], "effective kernel"),
      (["--phase", "pool"], "phase must be one of"),
      (["--input", "/no/such.png"], "no such file"),
      (["--kernel", "sobelx"], "did you mean sobel-x?"),
      (["--input-size", "3000", "--filters", "8"], "over the limit of 16777216"),
      (["--input", "digit:3", "--input-size", "9"], "--input-size 9 disagrees with the input"),
      (["--lesson", "nope"], "no shipped lesson of that name"),
      (
        ["--pool", "9"],
        "the pool kernel height (9) is larger than the convolution's output height (7)"
      ),
      (["--padding", "-1"], "padding must be ≥ 0 (got -1)"),
      (["--stride", "-2"], "stride must be ≥ 1 (got -2)"),
      (["--filters", "-3"], "filters must be ≥ 1 (got -3)"),
      (["--lr", "-0.5"], "lr must be a finite number ≥ 0 (got -0.5)"),
      (["--step", "0"], "step must be ≥ 1 (got 0)"),
      (["--check-y", "/no/y.npy"], "no such file"),
    ])
  func impossible(arguments: [String], mentions: String) throws {
    for command in ["render", "view"] {
      let r = try Binary.run([command] + arguments)
      #expect(r.status == 2, "\(command) \(arguments): \(r.stderr)")
      #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
      #expect(r.stderr.contains(mentions), "\(r.stderr)")
      #expect(r.stdout.isEmpty)
    }
  }

  @Test("--check-y marks the user's differing cells and names the mistake in the notes")
  func check() throws {
    let bugs = Binary.root.appendingPathComponent("Tests/Fixtures/bugs").path
    let r = try Binary.run([
      "render", "--input", bugs + "/A/x.npy", "--kernel", bugs + "/A/w.npy", "--bias",
      bugs + "/A/b.npy", "--grad", bugs + "/A/dy.npy", "--padding", "1", "--check-y",
      bugs + "/A/kernel-flipped/y.npy", "--size", "120x40",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("252 cells differ"))
    #expect(r.stdout.contains("The mistake that fits (reproduces your y): the kernel is flipped"))
    #expect(r.stdout.contains("y[0,0,0,0]: yours"))
  }

  @Test("the notes say what check says: each mistake with the tensors it reproduces and its fix")
  func eachMistake() throws {
    let bugs = Binary.root.appendingPathComponent("Tests/Fixtures/bugs/A").path
    let r = try Binary.run([
      "render", "--input", bugs + "/x.npy", "--kernel", bugs + "/w.npy", "--bias",
      bugs + "/b.npy", "--grad", bugs + "/dy.npy", "--padding", "1", "--check-y",
      bugs + "/bias-missing/y.npy", "--check-dx", bugs + "/dx-cropped-at-corner/dx.npy",
      "--size", "120x48",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    let mistakes = lines.filter { $0.contains("Mistake ") && $0.contains(" of 3 (reproduces your") }
    #expect(mistakes.count == 3, "\(r.stdout)")
    // The title carries what the data shows: the offset per filter is −b.
    #expect(
      lines.contains {
        $0.contains("Mistake 1 of 3 (reproduces your y): the bias is never added (")
      }
    )
    #expect(r.stdout.contains("−b per filter"))
    #expect(lines.contains { $0.contains("Mistake 2 of 3 (reproduces your dx): dx is cropped") })
    #expect(lines.filter { $0.contains("│Fix: ") }.count >= 3)
  }

  @Test("the viewer without a terminal says so in one line")
  func noTerminal() throws {
    let r = try Binary.run(["view"])
    #expect(r.status != 0 && r.status < 128)
    #expect(r.stderr.contains("needs a terminal") && r.stderr.contains("convscope render"))
  }
}
