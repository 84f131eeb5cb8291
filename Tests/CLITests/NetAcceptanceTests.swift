import Foundation
import Testing

// MARK: - convscope net, tried as a new user would

@Suite("convscope net: a new user's session", .serialized)
struct NetAcceptanceTests {
  /// The title bar's verdict for the image shown (`predicted 4 ✓ right`).
  static func verdict(_ screen: String) -> String? {
    let title = screen.components(separatedBy: "\n").first ?? ""
    return title.range(of: "predicted ").map {
      String(title[$0.lowerBound...]).trimmingCharacters(in: .whitespaces)
    }
  }

  /// The class scores as drawn (`0.97`, one per class, in order).
  static func scores(_ screen: String) -> [String] {
    screen.components(separatedBy: "\n").compactMap { line in
      let words = line.split(separator: " ")
      guard words.count >= 2, let last = words.last, last.count == 4,
        last.dropFirst().hasPrefix(".")
      else { return nil }
      let bar = words[words.count - 2]
      guard bar.allSatisfy({ "█▏▎▍▌▋▊▉".contains($0) }) || bar.allSatisfy(\.isNumber) else {
        return nil
      }
      return String(last)
    }
  }

  @Test(
    "train live, pause, dive into layer 1's backward pass and step it, come back, draw, save, reload"
  )
  func session() throws {
    try #require(TmuxSession.available)
    let s = try TmuxSession.start(
      ["net", "--save", "w.npz", "--color", "none"], width: 120, height: 40)
    defer { s.kill() }
    _ = try s.waitFor { $0.contains("untrained (seed 1) · Space train") }
    // Train live until the second epoch, then pause.
    try s.send("Space")
    var screen = try s.waitFor(timeout: 60) { $0.contains("training · epoch 2") }
    try s.send("Space")
    screen = try s.waitFor { $0.contains("paused · epoch") }
    #expect(screen.contains("test acc "), "the first epoch's test accuracy:\n\(screen)")
    // Dive into layer 1 (selected at the start), its backward pass, one step.
    try s.send("Enter")
    screen = try s.waitFor { $0.contains("Esc back to the network") && $0.contains(" forward │") }
    #expect(screen.contains("layer 1: conv 8 3x3 pad 1 · image 1 (true 4)"), "\(screen)")
    for _ in 0..<5 { try s.send("Tab") }
    screen = try s.waitFor { $0.contains(" backward │ filter 0 of 8 │ step 1/") }
    try s.send("Right")
    screen = try s.waitFor { $0.contains(" backward │ filter 0 of 8 │ step 2/") }
    #expect(screen.contains("dw"), "the backward pass's gradients are on screen:\n\(screen)")
    // Back on the network, where training was left.
    try s.send("Escape")
    screen = try s.waitFor {
      $0.contains("class scores") && !$0.contains("Esc back to the network")
    }
    #expect(screen.contains("test image 1 of 359"), "\(screen)")
    let trained = try #require(Self.verdict(screen), "a verdict in the title:\n\(screen)")
    let scores = Self.scores(screen)
    #expect(scores.count == 10, "ten class scores:\n\(screen)")
    // Draw a stroke; the network classifies it.
    try s.send("d")
    _ = try s.waitFor { $0.contains("drawing │ pen up") }
    try s.send("Space")
    _ = try s.waitFor { $0.contains("drawing │ pen down") }
    try s.send("Down", "Down", "Space")
    screen = try s.waitFor { $0.contains("drawing │ pen up") }
    #expect(screen.contains("your drawing") && screen.contains("predicted "), "\(screen)")
    try s.send("Escape")
    _ = try s.waitFor { $0.contains("test image 1 of 359") && !$0.contains("your drawing") }
    // Save; quit; reload: the same weights give the same verdict on image 1.
    try s.send("w")
    screen = try s.waitFor { $0.contains("weights written to w.npz (after ") }
    try s.send("q")
    #expect(s.exitStatus() == 0)
    #expect(try s.display("#{alternate_on}") == "0")
    let saved = s.folder.appendingPathComponent("w.npz").path
    let again = try TmuxSession.start(
      ["net", "--load", saved, "--color", "none"], width: 120, height: 40)
    defer { again.kill() }
    screen = try again.waitFor { $0.contains("weights: \(saved)") }
    #expect(Self.verdict(screen) == trained, "reloaded:\n\(screen)\nbefore: \(trained)")
    #expect(Self.scores(screen) == scores, "the same scores for image 1")
    try again.send("q")
    #expect(again.exitStatus() == 0)
  }
}
