import ConvCore
import Foundation
import Testing

// MARK: - The real viewer in a real terminal

@Suite("The viewer in tmux", .serialized)
struct ViewerEndToEndTests {
  @Test("tmux is installed (make test and .ci/run install it)")
  func tmuxInstalled() {
    #expect(TmuxSession.available, "tmux is missing: run scripts/setup.sh test")
  }

  @Test("walk: step, back, play, pause, help, resize to tiny and back, quit with q")
  func walk() throws {
    try #require(TmuxSession.available)
    let s = try TmuxSession.start([])
    defer { s.kill() }
    var screen = try s.waitFor { $0.contains("step 1/49") }
    #expect(screen.contains("Input x[0,0,:,:]") && screen.contains("Output y[0,0,:,:]"))
    #expect(screen.contains("y[0,0,0,0] = b + Σ x·w"))
    #expect(try s.display("#{alternate_on}") == "1")

    try s.send("Right")
    screen = try s.waitFor { $0.contains("step 2/49") }
    #expect(screen.contains("y[0,0,0,1] = "), "the formula follows the window")
    try s.send("Right", "Right")
    try s.waitFor { $0.contains("step 4/49") }
    try s.send("Left")
    screen = try s.waitFor { $0.contains("step 3/49") }
    #expect(screen.contains("[-6]") || screen.contains("[−6]"), "the current output cell is marked")

    // Play, then pause: the counter moves, then stops.
    try s.send("+", "+", "+", "Space")
    screen = try s.waitFor { (statusStep($0) ?? 0) >= 8 }
    #expect((statusStep(screen) ?? 0) >= 8, "playback did not advance: \(screen)")
    try s.send("Space")
    Thread.sleep(forTimeInterval: 0.3)
    let paused = statusStep(try s.screen())
    Thread.sleep(forTimeInterval: 0.5)
    #expect(statusStep(try s.screen()) == paused, "still moving after pause")
    #expect(try s.screen().contains("paused"))

    // Help opens and closes.
    try s.send("?")
    // The overlay can be caught half drawn on a loaded machine: wait for its body too.
    screen = try s.waitFor { $0.contains("convscope keys") && $0.contains("next phase") }
    #expect(screen.contains("next phase"))
    try s.send("Escape")
    try s.waitFor { !$0.contains("convscope keys") }

    // Tiny and back.
    try s.resize(width: 12, height: 4)
    screen = try s.waitFor { !$0.contains("Output y") }
    try s.resize(width: 1, height: 1)
    Thread.sleep(forTimeInterval: 0.2)
    try s.resize(width: 100, height: 32)
    screen = try s.waitFor { $0.contains("Output y[0,0,:,:]") }
    #expect(screen.contains("Output y[0,0,:,:]"))

    // Next phase.
    try s.send("Tab")
    screen = try s.waitFor { $0.contains("backward") && $0.contains("dw[0,0,:,:]") }
    #expect(screen.contains("dx[0,0,:,:]"))

    try s.send("q")
    #expect(s.exitStatus() == 0)
    #expect(
      try s.display("#{alternate_on}") == "0", "the terminal did not leave the alternate screen")
  }

  @Test("every signal whose default kills restores the terminal (quit ones: 128 + signal)")
  func signals() throws {
    try #require(TmuxSession.available)
    // (how, the status the shell sees): quit signals end the loop cleanly; SIGXCPU and SIGXFSZ
    // (core-dumping) restore the terminal and die of the signal (the shell says 128 + signal).
    let rtmin = __libc_current_sigrtmin()
    let cases: [(how: String, signal: Int32, expected: Int32)] =
      [("C-c", SIGINT, 130)]
      + [SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGXCPU, SIGXFSZ, rtmin].map {
        ("kill \($0)", $0, 128 + $0)
      }
    for (how, signal, expected) in cases {
      let s = try TmuxSession.start(["--article"])
      defer { s.kill() }
      let first = try s.waitFor(timeout: 30) { $0.contains("step 1/") }
      try #require(first.contains("step 1/"), "the viewer did not start: \(first)")
      #expect(try s.display("#{alternate_on}") == "1")
      if how == "C-c" {
        try s.send("C-c")
      } else {
        let pid = try #require(try s.programPID(), "no convscope process in the pane")
        kill(pid, signal)
      }
      let status = s.exitStatus()
      let screen = (try? s.screen()) ?? ""
      #expect(status == expected, "\(how): \(screen)")
      #expect(try s.display("#{alternate_on}") == "0", "\(how): still on the alternate screen")
      #expect(try s.display("#{cursor_flag}") == "1", "\(how): the cursor is still hidden")
    }
  }

  @Test("a recording in progress is saved on Ctrl-C and SIGTERM, and the path is printed")
  func recordingSurvivesQuitSignals() throws {
    try #require(TmuxSession.available)
    for how in ["C-c", "TERM", "q"] {
      let s = try TmuxSession.start(["--article"])
      defer { s.kill() }
      try s.waitFor(timeout: 30) { $0.contains("step 1/") }
      try s.send("X")
      try s.waitFor { $0.contains("Recording") }
      try s.send("Right")
      try s.waitFor { statusStep($0) == 2 }
      switch how {
      case "TERM":
        let pid = try #require(try s.programPID(), "no convscope process in the pane")
        kill(pid, SIGTERM)
      default: try s.send(how)
      }
      #expect(s.exitStatus() == ["C-c": 130, "TERM": 143, "q": 0][how])
      let cast = s.folder.appendingPathComponent("convscope-session.cast")
      let text = (try? String(contentsOf: cast, encoding: .utf8)) ?? ""
      #expect(text.hasPrefix("{") && text.contains("\"version\":2"), "\(how): no recording")
      // The status file is written by the shell, not through the pane: wait for the pane to
      // show the program's last line.
      let screen = try s.waitFor { $0.contains("convscope: Wrote the recording") }
      #expect(screen.contains("convscope: Wrote the recording"), "\(how): \(screen)")
    }
  }

  @Test(
    "practice in tmux: a student answers the first and stride lessons' sets with the keys",
    arguments: [(80, 24), (120, 40)])
  func practiceWithTheKeys(_ size: (Int, Int)) throws {
    try #require(TmuxSession.available)
    for lesson in ["first", "stride"] {
      let s = try TmuxSession.start(["--lesson", lesson], width: size.0, height: size.1)
      defer { s.kill() }
      try s.waitFor(timeout: 30) { $0.contains("step 1/") }
      // Two sets of the lesson's five: ten questions. The viewer's n-th Q set has seed n, so
      // the answer key of `quiz --seed n` holds its answers (the lessons' data are fixed).
      for set in 1...2 {
        try answerSet(lesson: lesson, seed: set, on: s)
      }
      try s.send("q")
      #expect(s.exitStatus() == 0)
    }
  }

  /// Opens a practice set with Q and answers its five questions right with the keys.
  func answerSet(lesson: String, seed: Int, on s: TmuxSession) throws {
    let key = try Binary.run(["quiz", "--lesson", lesson, "--seed", "\(seed)", "--key"])
    let answers = key.stdout.split(separator: "\n").filter { $0.hasPrefix("Answer: ") }
      .map { String($0.dropFirst("Answer: ".count)) }
    try #require(answers.count == 5, "\(key.stdout)")
    try s.send("Q")
    for (k, answer) in answers.enumerated() {
      // Drawn whole: the title and the answer line under the question (and grid).
      let screen = try s.waitFor {
        $0.contains("question \(k + 1) of 5")
          && ($0.contains("Chosen: none") || $0.contains("Your answer: ▏"))
      }
      if screen.contains("Choose them on the grid") {
        try chooseCells(answer, on: s, screen: screen)
      } else {
        try s.type(answer)
      }
      try s.send("Enter")
      let verdict = try s.waitFor { $0.contains("Right.") || $0.contains("Not quite") }
      #expect(
        verdict.contains("Right."),
        "\(lesson) set \(seed) question \(k + 1) (\(answer)):\n\(verdict)")
      try s.send("Enter")
    }
    // Drawn whole: the title and the summary under it (a capture may catch a frame half drawn).
    let done = try s.waitFor { $0.contains("Practice · done") && $0.contains("Score ") }
    #expect(done.contains("Score 5/5"), "\(lesson) set \(seed):\n\(done)")
    try s.send("Enter")
    try s.waitFor { !$0.contains("Practice ·") }
  }

  /// Walks the practice grid's cursor (which starts in the grid's middle) to each cell of
  /// `answer` (`r,c r,c …`) and presses Space on it.
  func chooseCells(_ answer: String, on s: TmuxSession, screen: String) throws {
    // The grid's first row and column numbers are on screen: its header and its first row,
    // inside the practice box (whatever the screen under it shows left of its border).
    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      line.firstIndex(of: "┃").map { String(line[line.index(after: $0)...]) } ?? String(line)
    }
    let header = try #require(lines.firstIndex { $0.contains("Choose them on the grid") })
    let columns = lines[header + 1].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    var rows: [Int] = []
    for line in lines[(header + 2)...] {
      let fields = line.split(separator: " ").filter { $0 != "┃" && $0 != "│" }
      guard let first = fields.first, let row = Int(first), fields.count > 1 else { break }
      rows.append(row)
    }
    let (top, left) = (rows.first ?? 0, columns.first ?? 0)
    var cursor = (top + rows.count / 2, left + columns.count / 2)
    guard answer != "none" else { return }
    for pair in answer.split(separator: " ") {
      let rc = pair.split(separator: ",").compactMap { Int($0) }
      guard rc.count == 2 else { continue }
      var keys: [String] = []
      keys += Array(repeating: rc[0] > cursor.0 ? "Down" : "Up", count: abs(rc[0] - cursor.0))
      keys += Array(repeating: rc[1] > cursor.1 ? "Right" : "Left", count: abs(rc[1] - cursor.1))
      keys.append("Space")
      for key in keys { try s.send(key) }
      cursor = (rc[0], rc[1])
    }
  }

  @Test("a transposed case: the stamp view walks, t shows zero insertion and its conv2d, q quits")
  func transposed() throws {
    try #require(TmuxSession.available)
    let path = Binary.vectors.appendingPathComponent("convT_s2_p1_op1.json").path
    let s = try TmuxSession.start(["--case", path])
    defer { s.kill() }
    var screen = try s.waitFor { $0.contains("step 1/") && $0.contains("convT") }
    #expect(screen.contains("view: stamps") && screen.contains("Stamp x·w"), "\(screen)")
    try s.send("Right")
    screen = try s.waitFor { $0.contains("step 2/") }
    #expect(screen.contains("x[0,0,0,1]·w"), "the formula follows the input cell")
    try s.send("Tab")
    screen = try s.waitFor { $0.contains("backward") && $0.contains("dx[0,0,0,0] = ") }
    try s.send("t")
    screen = try s.waitFor { $0.contains("view: zero insertion") }
    #expect(screen.contains("x′[0,0,:,:]"), "\(screen)")
    try s.send("t")
    screen = try s.waitFor { $0.contains("view: its conv2d") }
    #expect(screen.contains("= convT x") || screen.contains("= convT y − b"), "\(screen)")
    try s.send("R")
    try s.waitFor { $0.contains("set by its flags") }
    try s.send("q")
    #expect(s.exitStatus() == 0)
    #expect(try s.display("#{alternate_on}") == "0")
  }

  @Test("D: the gradient check runs off the loop and its result comes back to the screen")
  func gradientCheck() throws {
    try #require(TmuxSession.available)
    let s = try TmuxSession.start([])
    defer { s.kill() }
    try s.waitFor { $0.contains("step 1/49") }
    try s.send("D")
    let screen = try s.waitFor { $0.contains("Finite differences agree") }
    #expect(screen.contains("passes; D closes"))
    #expect(!screen.contains("computing gradient check"))
    try s.send("q")
    #expect(s.exitStatus() == 0)
  }

  @Test("escape sequences that are not keys (DCS, OSC, APC, CSI) are dropped whole, not typed")
  func escapeStrings() throws {
    try #require(TmuxSession.available)
    let s = try TmuxSession.start(["--article"])
    defer { s.kill() }
    try s.waitFor(timeout: 30) { $0.contains("step 1/") }
    // Each holds a q (quit) or other bound keys; before, `ESC P q # 0 ESC \` quit the viewer.
    for sequence in [
      "\u{1B}Pq#0\u{1B}\\", "\u{1B}]0;PWNED q\u{07}", "\u{1B}_Gq=1;a=q\u{1B}\\", "\u{1B}[99q",
      "\u{1B}[?1;2c", "\u{1B}^qq\u{1B}\\",
    ] {
      try s.type(sequence)
    }
    try s.send("Right")
    let screen = try s.waitFor { statusStep($0) == 2 }
    #expect(s.exitStatus(timeout: 0.5) == nil, "a sequence quit the viewer: \(screen)")
    #expect(statusStep(screen) == 2, "the key after the sequences was lost: \(screen)")
    #expect(!screen.contains("PWNED"))
    try s.send("q")
    #expect(s.exitStatus() == 0)
  }

  @Test("a bounded monkey: random keys and resizes never crash it (seeded: CONVSCOPE_MONKEY_SEED)")
  func monkey() throws {
    try #require(TmuxSession.available)
    let seed =
      ProcessInfo.processInfo.environment["CONVSCOPE_MONKEY_SEED"].flatMap { UInt64($0) }
      ?? UInt64.random(in: 1...UInt64.max)
    let replay = "replay with CONVSCOPE_MONKEY_SEED=\(seed) swift test --filter monkey"
    print("monkey seed \(seed) (\(replay))")
    let s = try TmuxSession.start(["--relu", "--pool", "2", "--filters", "2", "--batch", "2"])
    defer { s.kill() }
    try s.waitFor { $0.contains("step 1/") }
    let keys = [
      "Right", "Left", "Up", "Down", "Tab", "BTab", "f", "F", "b", "B", "c", "m", "v", "s", "P",
      "e", "g", "G", "Home", "End", "+", "-", "?", "Escape", ":", "7", "Enter", "BSpace", "Space",
      "x", "PageUp", "PageDown", "z", "1", "j", "k", "h", "l",
    ]
    var g = SeededGenerator(seed: seed)
    for i in 0..<1500 {
      // Batches of keys per tmux call keep the test quick.
      let batch = (0..<6).map { _ in keys[Int(g.next() % UInt64(keys.count))] }
      _ = try TmuxSession.run(
        "/usr/bin/env", s.tmux(["send-keys", "-t", s.name] + batch))
      if i % 100 == 0 {
        try s.resize(width: Int(g.next() % 150) + 1, height: Int(g.next() % 50) + 1)
      }
    }
    // On a loaded machine thousands of keys may still be queued: the last ones must not meet
    // them (an Esc read before the backlog, then the backlog's keys, then q).
    let drained = try s.waitForDrainedInput(timeout: 120)
    #expect(drained, "the viewer did not read its input (\(replay))")
    try s.send("Escape", "Escape")
    try s.resize(width: 100, height: 32)
    try s.waitFor { $0.contains("step ") }
    #expect(
      s.exitStatus(timeout: 0.1) == nil, "the viewer exited during the monkey test (\(replay))")
    try s.send("Escape", "q")
    #expect(s.exitStatus() == 0, "\(replay)")
  }
}
