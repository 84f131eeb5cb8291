import Foundation
import Testing

// MARK: - convscope net

@Suite("convscope net", .serialized)
struct NetCommandTests {
  @Test("overview in tmux: headers and class bars, → moves to the next image, ↓ the next layer, q")
  func overview() throws {
    try #require(TmuxSession.available)
    let s = try TmuxSession.start(["net"], width: 120, height: 40)
    defer { s.kill() }
    // The status line is the last row drawn: a screen with it is whole.
    var screen = try s.waitFor { $0.contains("8 linear") && $0.contains("untrained (seed 1)") }
    for text in ["1 conv", "2 relu", "3 pool", "layer 1 of 8: conv 8 3x3 pad 1 → 8×8×8"] {
      #expect(screen.contains(text), "no \(text) on\n\(screen)")
    }
    #expect(screen.contains("test image 1 of 359"))
    #expect(screen.contains("▸ "), "the predicted class is marked")
    #expect(screen.contains("untrained (seed 1)"))
    #expect(try s.display("#{alternate_on}") == "1")

    try s.send("Right")
    screen = try s.waitFor { $0.contains("test image 2 of 359") }
    #expect(screen.contains("test image 2 of 359"), "→ did not move on:\n\(screen)")
    try s.send("Down")
    screen = try s.waitFor { $0.contains("layer 2 of 8: relu") }
    #expect(screen.contains("layer 2 of 8: relu"))

    // Too small says so, and the screen comes back.
    try s.resize(width: 30, height: 8)
    screen = try s.waitFor { $0.lowercased().contains("too small") }
    #expect(screen.lowercased().contains("too small"))
    try s.resize(width: 120, height: 40)
    screen = try s.waitFor { $0.contains("class scores") }
    #expect(screen.contains("test image 2 of 359"))

    try s.send("q")
    #expect(s.exitStatus() == 0)
    #expect(
      try s.display("#{alternate_on}") == "0", "the terminal did not leave the alternate screen")
  }

  @Test("training live in tmux: s, e, Space runs and pauses, w saves, q; net --load opens them")
  func trainsLive() throws {
    try #require(TmuxSession.available)
    let s = try TmuxSession.start(["net", "--save", "w.npz"], width: 120, height: 40)
    defer { s.kill() }
    var screen = try s.waitFor { $0.contains("untrained (seed 1) · Space train") }
    #expect(screen.contains("Space train"), "\(screen)")
    try s.send("s")
    screen = try s.waitFor { $0.contains("epoch 1 1/45") }
    #expect(screen.contains("paused · epoch 1 1/45 · loss "), "\(screen)")
    try s.send("e")
    screen = try s.waitFor(timeout: 60) { $0.contains("epoch 1 45/45") && $0.contains("test acc ") }
    #expect(screen.contains("test acc "), "the test accuracy after the epoch:\n\(screen)")
    try s.send("Space")
    screen = try s.waitFor(timeout: 30) { $0.contains("training · epoch 2") }
    #expect(screen.contains("training · epoch 2"), "\(screen)")
    #expect(screen.contains("Space pause"))
    try s.send("Space")
    screen = try s.waitFor { $0.contains("paused · epoch") }
    #expect(screen.contains("paused · epoch"), "\(screen)")
    // w writes the weights shown; net --load opens them again.
    try s.send("w")
    screen = try s.waitFor { $0.contains("weights written to w.npz (after ") }
    #expect(screen.contains("weights written to w.npz (after "), "\(screen)")
    try s.send("q")
    #expect(s.exitStatus() == 0)
    let saved = s.folder.appendingPathComponent("w.npz").path
    #expect(FileManager.default.fileExists(atPath: saved))
    let again = try TmuxSession.start(["net", "--load", saved], width: 120, height: 40)
    defer { again.kill() }
    screen = try again.waitFor { $0.contains("weights: \(saved)") }
    #expect(screen.contains("weights: \(saved)"), "\(screen)")
    try again.send("q")
    #expect(again.exitStatus() == 0)
  }

  @Test("the training view in tmux: v, e fills the curves and the confusion matrix, - and +, q")
  func trainingView() throws {
    try #require(TmuxSession.available)
    let s = try TmuxSession.start(["net"], width: 120, height: 40)
    defer { s.kill() }
    try s.waitFor { $0.contains("untrained (seed 1)") }
    try s.send("v")
    var screen = try s.waitFor { $0.contains("not trained here yet") }
    #expect(screen.contains("one SGD step"), "the keys before any training:\n\(screen)")
    try s.send("e")
    screen = try s.waitFor(timeout: 60) {
      $0.contains("epoch 1 45/45") && $0.contains("predicted at step 45")
    }
    #expect(screen.contains("test acc "), "the epoch's test accuracy:\n\(screen)")
    #expect(screen.contains("confusion"), "\(screen)")
    #expect(screen.contains("0  1  2  3  4  5  6  7  8  9"), "the matrix's columns:\n\(screen)")
    #expect(screen.contains("train 0.") && screen.contains("test 0."), "loss legend:\n\(screen)")
    #expect(screen.contains("┤") && screen.contains("steps"), "axes:\n\(screen)")
    #expect(screen.contains("layer 1 kernels"), "\(screen)")
    try s.type("-")
    screen = try s.waitFor { $0.contains("speed: 100 steps/s") }
    #expect(screen.contains("speed: 100 steps/s"), "\(screen)")
    try s.type("+")
    screen = try s.waitFor { $0.contains("speed: max speed") }
    #expect(screen.contains("speed: max speed"), "\(screen)")
    // 45 steps not written: the first q asks, the second quits.
    try s.send("q")
    screen = try s.waitFor { $0.contains("45 training steps not written") }
    #expect(screen.contains("w writes them to weights.npz, q again quits"), "\(screen)")
    try s.send("q")
    #expect(s.exitStatus() == 0)
  }

  @Test("--load shows trained weights (saved by train); Ctrl-C ends with 130")
  func loaded() throws {
    try #require(TmuxSession.available)
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("convscope-net-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let weights = folder.appendingPathComponent("w.npz").path
    let trained = try Binary.run(["train", "--epochs", "1", "--save", weights], timeout: 120)
    #expect(trained.status == 0, "\(trained.stderr)")
    let s = try TmuxSession.start(["net", "--load", weights, "--ascii"], width: 100, height: 32)
    defer { s.kill() }
    let screen = try s.waitFor { $0.contains("conv 8 3x3") && $0.contains("weights: ") }
    #expect(screen.contains("weights: \(weights)") || screen.contains("weights: "), "\(screen)")
    #expect(screen.contains("conv 8 3x3 pad 1 -> 8x8x8"), "ASCII spellings:\n\(screen)")
    // Ctrl-C ends it as a quit signal does, the terminal given back.
    try s.send("C-c")
    #expect(s.exitStatus() == 130)
    #expect(try s.display("#{alternate_on}") == "0")
  }

  @Test(
    "bad flags and files are one line on stderr and exit 2, before the screen opens",
    arguments: [
      (["--net", "no-such.net"], "not a built-in network"),
      (["--data", "/no/such/folder"], "/no/such/folder"),
      (["--load", "/no/such/w.npz"], "/no/such/w.npz"),
      (["--net", "deeper", "--load", "WEIGHTS"], "0.weight"),
      (["--save", "w.txt"], "--save must end in .npz or .safetensors"),
      (["--batch", "0"], "--batch must be at least 1"),
    ])
  func refusals(arguments: [String], phrase: String) throws {
    var arguments = arguments
    if let k = arguments.firstIndex(of: "WEIGHTS") {
      // digits' weights do not fit the deeper network.
      let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("convscope-net-\(UUID().uuidString).npz").path
      defer { try? FileManager.default.removeItem(atPath: path) }
      let trained = try Binary.run(["train", "--epochs", "0", "--save", path], timeout: 60)
      #expect(trained.status == 0)
      arguments[k] = path
      try check(arguments, phrase)
      return
    }
    try check(arguments, phrase)
  }

  private func check(_ arguments: [String], _ phrase: String) throws {
    let r = try Binary.run(["net"] + arguments, timeout: 60)
    #expect(r.status == 2)
    #expect(r.stdout.isEmpty)
    #expect(r.stderr.contains(phrase), "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
  }
}
