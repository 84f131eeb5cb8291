import Foundation
import Testing

// MARK: - convscope net: dive in

@Suite("convscope net: dive in", .serialized)
struct NetDiveCommandTests {
  @Test("Enter opens layer 1 in the viewer, Tab to backward, → steps, Esc back, q exits 0")
  func diveAndBack() throws {
    try #require(TmuxSession.available)
    let s = try TmuxSession.start(["net"], width: 120, height: 40)
    defer { s.kill() }
    var screen = try s.waitFor { $0.contains("8 linear") && $0.contains("untrained (seed 1)") }
    try s.send("Enter")
    screen = try s.waitFor { $0.contains("Esc back to the network") && $0.contains("forward") }
    #expect(screen.contains("layer 1: conv 8 3x3 pad 1 · image 1 (true"), "\(screen)")
    #expect(screen.contains("Esc back to the network"))
    // forward → ReLU → max-pool → max-pool backward → ReLU backward → backward.
    for _ in 0..<5 { try s.send("Tab") }
    screen = try s.waitFor { $0.contains(" backward │") }
    #expect(screen.contains(" backward │ filter 0 of 8 │ step 1/"), "\(screen)")
    try s.send("Right")
    screen = try s.waitFor { $0.contains("step 2/") }
    #expect(screen.contains(" backward │ filter 0 of 8 │ step 2/"), "\(screen)")
    try s.send("Escape")
    screen = try s.waitFor { $0.contains("class scores") && $0.contains("untrained (seed 1)") }
    #expect(screen.contains("test image 1 of 359"), "back on the network:\n\(screen)")
    #expect(!screen.contains("Esc back to the network"))
    try s.send("q")
    #expect(s.exitStatus() == 0)
    #expect(try s.display("#{alternate_on}") == "0", "the terminal was not given back")
  }

  @Test("Ctrl-C inside the viewer ends the whole program with 130, the terminal restored")
  func signalInside() throws {
    try #require(TmuxSession.available)
    let s = try TmuxSession.start(["net", "--ascii"], width: 100, height: 32)
    defer { s.kill() }
    try s.waitFor { $0.contains("untrained (seed 1)") }
    try s.send("Enter")
    let screen = try s.waitFor { $0.contains("Esc back to the network") }
    #expect(screen.contains("layer 1: conv 8 3x3 pad 1"), "\(screen)")
    try s.send("C-c")
    #expect(s.exitStatus() == 130)
    #expect(try s.display("#{alternate_on}") == "0")
  }

  @Test("b walks backward from the loss to the input, ↑ one layer, Esc leaves, q exits 0")
  func backwardWalk() throws {
    try #require(TmuxSession.available)
    let s = try TmuxSession.start(["net"], width: 120, height: 40)
    defer { s.kill() }
    try s.waitFor { $0.contains("untrained (seed 1)") }
    try s.send("b")
    var screen = try s.waitFor { $0.contains("backward: the loss") }
    #expect(screen.contains("backward: the loss · ∂loss/∂logits "), "\(screen)")
    #expect(screen.contains("∂loss/∂logits = softmax − one-hot of the true class"))
    try s.send("b")
    screen = try s.waitFor { $0.contains("backward: layer 8 of 8") }
    #expect(screen.contains("linear backward: dx = Wᵀ·dy"), "\(screen)")
    #expect(screen.contains("∂64 feat"))
    try s.send("Up")
    screen = try s.waitFor { $0.contains("backward: layer 7 of 8") }
    #expect(screen.contains("flatten backward"), "\(screen)")
    for _ in 0..<6 { try s.send("k") }
    screen = try s.waitFor { $0.contains("backward: layer 1 of 8") }
    #expect(screen.contains("input grad") && screen.contains("∂loss/∂x"), "\(screen)")
    try s.send("Right")
    screen = try s.waitFor { $0.contains("test image 2 of 359") }
    #expect(screen.contains("backward: layer 1 of 8"), "the walk stays on a new image:\n\(screen)")
    try s.send("Escape")
    // ncurses draws from the top: the status line, the last row, says the frame is whole.
    screen = try s.waitFor {
      $0.contains("layer 1 of 8: conv 8 3x3 pad 1") && !$0.contains("backward")
    }
    #expect(!screen.contains("backward"), "\(screen)")
    try s.send("q")
    #expect(s.exitStatus() == 0)
    #expect(try s.display("#{alternate_on}") == "0")
  }
}
