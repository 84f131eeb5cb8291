import Foundation
import Testing

// MARK: - convscope train

/// `convscope train` as a user runs it: the promise (≥ 97 % on the digits in ten
/// epochs), its JSON, repeatability, its lines, its errors, its progress bar and Ctrl-C.
@Suite("convscope train")
struct TrainCommandTests {
  /// The run's JSON object; the test fails unless it exits 0.
  static func json(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation)
    throws -> [String: Any]
  {
    let r = try Binary.run(["train", "--json"] + arguments, timeout: 240)
    #expect(r.status == 0, "\(r.stderr)", sourceLocation: sourceLocation)
    return try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
      sourceLocation: sourceLocation)
  }

  /// Each epoch's figures but its time.
  static func figures(_ run: [String: Any]) -> [[Double]] {
    ((run["epochs"] as? [[String: Any]]) ?? []).map { e in
      ["epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy"].map {
        (e[$0] as? Double) ?? .nan
      }
    }
  }

  @Test("train --epochs 10 --seed 1 reaches 97 % on the digits; its JSON has every key")
  func reachesTarget() throws {
    let run = try Self.json(["--epochs", "10", "--seed", "1"])
    let epochs = try #require(run["epochs"] as? [[String: Any]])
    #expect(epochs.count == 10)
    for (k, e) in epochs.enumerated() {
      #expect(e["epoch"] as? Int == k + 1)
      for key in ["train_loss", "train_accuracy", "test_accuracy", "test_loss", "seconds"] {
        #expect(e[key] is Double, "epoch \(k + 1) \(key)")
      }
    }
    let final = try #require(run["final"] as? [String: Any])
    let accuracy = try #require(final["test_accuracy"] as? Double)
    #expect(accuracy >= 0.97, "test accuracy \(accuracy)")
    #expect(final["test_loss"] is Double)
    #expect(run["net"] as? String == "digits.net (built in)")
    #expect(run["seed"] as? Int == 1)
    #expect(run["train_images"] as? Int == 1438 && run["test_images"] as? Int == 359)
    let first = try #require(epochs.first?["train_loss"] as? Double)
    let last = try #require(epochs.last?["train_loss"] as? Double)
    #expect(last < first / 5, "the loss falls: \(first) → \(last)")
  }

  @Test("the same seed repeats a run bit for bit; another seed gives another run")
  func repeatable() throws {
    let options = ["--epochs", "2", "--weight-decay", "0.0005"]
    let a = try Self.json(options + ["--seed", "4"])
    let b = try Self.json(options + ["--seed", "4"])
    let c = try Self.json(options + ["--seed", "5"])
    #expect(Self.figures(a) == Self.figures(b))
    #expect(Self.figures(a) != Self.figures(c))
  }

  @Test("piped, it prints its plan, a line per epoch and the result, and no progress bar")
  func plainLines() throws {
    let r = try Binary.run(
      ["train", "--net", "one-conv", "--epochs", "2", "--batch", "64"], timeout: 120)
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix("network  one-conv.net (built in)") == true, "\(r.stdout)")
    #expect(lines.contains { $0.hasPrefix("data     digits: 1438 train + 359 test images") })
    #expect(lines.filter { $0.hasPrefix("epoch 1/2  train loss ") }.count == 1, "\(r.stdout)")
    #expect(lines.filter { $0.hasPrefix("epoch 2/2  train loss ") }.count == 1)
    #expect(lines.last?.hasPrefix("test accuracy ") == true)
    for line in lines { #expect(line.count <= 80, "fits a terminal of 80: \(line)") }
    #expect(r.stderr.isEmpty, "no progress bar when standard error is not a terminal")
  }

  @Test(
    "bad flags, files and networks are one line and exit 2",
    arguments: [
      (["--batch", "0"], "--batch"), (["--epochs=-1"], "--epochs"),
      (["--threads", "0"], "--threads"), (["--lr", "0"], "learning rate"),
      (["--momentum", "1"], "momentum"), (["--weight-decay=-1"], "weight decay"),
      (["--net", "no-such.net"], "not a built-in network (digits, one-conv, deeper)"),
      (["--data", "/no/such/folder"], "/no/such/folder"),
    ])
  func refusals(arguments: [String], phrase: String) throws {
    let r = try Binary.run(["train"] + arguments, timeout: 60)
    #expect(r.status != 0)
    #expect(r.stdout.isEmpty)
    #expect(r.stderr.contains(phrase), "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count <= 2, "\(r.stderr)")
  }

  @Test("--save writes the trained weights; --load reads them back, as .npz and .safetensors")
  func saveAndLoad() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let npz = folder.appendingPathComponent("w.npz").path
    let safetensors = folder.appendingPathComponent("w.safetensors").path
    let trained = try Self.json(["--epochs", "1", "--save", npz])
    #expect(trained["saved"] as? String == npz)
    // Zero epochs from the saved weights: the same test figures; and a conversion.
    let again = try Self.json(["--epochs", "0", "--load", npz, "--save", safetensors])
    #expect((again["epochs"] as? [Any])?.isEmpty == true)
    let final = try #require(trained["final"] as? [String: Double])
    #expect(again["final"] as? [String: Double] == final)
    #expect(again["loaded"] as? String == npz)
    let converted = try Self.json(["--epochs", "0", "--load", safetensors])
    #expect(converted["final"] as? [String: Double] == final)
    // Training on from them differs from training on from fresh weights.
    let onward = try Self.json(["--epochs", "1", "--load", safetensors])
    #expect(Self.figures(onward) != Self.figures(trained))
    // Another network's weights are refused in one line that names the tensor.
    let r = try Binary.run(["train", "--net", "deeper", "--epochs", "0", "--load", npz])
    #expect(r.status == 2)
    #expect(r.stderr.contains("weight"), "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
  }

  @Test("the user's own images: an ImageFolder of PGM files and an .npz")
  func ownData() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // Two classes of 6×6 images: a bright row, a bright column, 10 each, at rows (columns)
    // 0, 2 or 4, so the test images (every 5th of a class: 4 and 9) have their bar where some
    // training images have theirs.
    for (name, rows) in [("across", true), ("down", false)] {
      let classFolder = folder.appendingPathComponent("bars/\(name)")
      try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
      for k in 0..<10 {
        let values = (0..<36).map { i in
          (rows ? i / 6 : i % 6) == k * 2 % 6 ? 200 + k : (i * 7 + k * 3) % 40
        }
        let text = "P2\n6 6\n255\n" + values.map(String.init).joined(separator: " ") + "\n"
        try text.write(
          to: classFolder.appendingPathComponent("\(k).pgm"), atomically: true, encoding: .utf8)
      }
    }
    let net = folder.appendingPathComponent("bars.net").path
    try "input 1x6x6\nconv 4 3x3 pad 1\nrelu\nflatten\nlinear 2\n".write(
      toFile: net, atomically: true, encoding: .utf8)
    let bars = try Self.json([
      "--net", net, "--data", folder.appendingPathComponent("bars").path, "--epochs", "30",
      "--batch", "4", "--lr", "0.02",
    ])
    #expect(bars["train_images"] as? Int == 16 && bars["test_images"] as? Int == 4)
    let final = try #require(bars["final"] as? [String: Double])
    #expect(final["test_accuracy"] == 1, "\(final)")
    // An .npz of 12 images 1×3×2 in three classes: a flat network trains on it; the digits
    // network does not fit it and says where.
    let npz = Binary.root.appendingPathComponent("Tests/Fixtures/data/nchw.npz").path
    let flat = folder.appendingPathComponent("flat.net").path
    try "flatten\nlinear 3\n".write(toFile: flat, atomically: true, encoding: .utf8)
    let run = try Self.json(["--net", flat, "--data", npz, "--epochs", "2"])
    #expect(run["train_images"] as? Int == 10 && run["test_images"] as? Int == 2)
    let r = try Binary.run(["train", "--data", npz, "--epochs", "1"], timeout: 60)
    #expect(r.status == 2)
    #expect(r.stderr.contains("digits.net (built in):"), "\(r.stderr)")
    #expect(r.stderr.contains("input line says 1×8×8"), "\(r.stderr)")
  }

  @Test("a network that does not fit the data says where and what to do")
  func misfit() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let cases = [
      ("conv 4 3x3\nrelu\nflatten\nlinear 5\n", "end with linear 10"),
      ("input 3x8x8\nconv 4 3x3\nflatten\nlinear 10\n", "input line says 3×8×8"),
      ("conv 4 9x9\nflatten\nlinear 10\n", ":1"),
      ("conv 4096 3x3 pad 1\nconv 4096 3x3\nflatten\nlinear 10\n", "weights and biases"),
    ]
    for (k, (text, phrase)) in cases.enumerated() {
      let path = folder.appendingPathComponent("n\(k).net").path
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      let r = try Binary.run(["train", "--net", path, "--epochs", "1"], timeout: 60)
      #expect(r.status == 2, "\(text): \(r.stderr)")
      #expect(r.stderr.contains(phrase), "\(text): \(r.stderr)")
      #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }
  }
}

// MARK: - On a terminal

@Suite("convscope train on a terminal", .serialized)
struct TrainTerminalTests {
  @Test("a progress bar with the epoch, loss, accuracy, images a second and ETA; Ctrl-C ends it")
  func progressAndInterrupt() throws {
    try #require(TmuxSession.available)
    let s = try TmuxSession.start(
      ["train", "--epochs", "100000", "--save", "w.npz"], width: 100, height: 12)
    defer { s.kill() }
    let screen = try s.waitFor(timeout: 60) { $0.contains("img/s") && $0.contains("ETA") }
    let bar = screen.split(separator: "\n").first { $0.contains("img/s") } ?? ""
    #expect(bar.hasPrefix("epoch "), "\(screen)")
    #expect(bar.contains("/100000 [") && bar.contains("loss ") && bar.contains("acc "))
    #expect(bar.count <= 97, "the bar fits the terminal, with room for ^C: \(bar)")
    try s.send("C-c")
    #expect(s.exitStatus(timeout: 10) == 130)
    #expect(!(try s.screen()).contains("img/s"), "the bar is cleared")
    #expect(!FileManager.default.fileExists(atPath: s.folder.appendingPathComponent("w.npz").path))
    #expect(try FileManager.default.contentsOfDirectory(atPath: s.folder.path) == [])
  }

  @Test("SIGTERM while training: exit 143, nothing written, no backtrace")
  func terminate() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (ended, stderr) = try interrupted(
      ["train", "--epochs", "100000", "--save", folder.appendingPathComponent("w.npz").path],
      signal: "SIGTERM", after: 2)
    #expect(ended == "exit 143", "\(stderr)")
    #expect(stderr.isEmpty, "\(stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
  }
}

/// A new empty folder for a test's files (the test removes it).
private func temporaryFolder() throws -> URL {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("convscope-train-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}
