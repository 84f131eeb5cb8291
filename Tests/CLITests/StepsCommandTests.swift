import Foundation
import Testing

// MARK: - convscope steps

@Suite("convscope steps")
struct StepsCommandTests {
  static func path(_ name: String) -> String {
    Binary.vectors.appendingPathComponent("\(name).json").path
  }

  static func lines(_ output: String) throws -> [[String: Any]] {
    try output.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  /// Every transposed case: the shared ones and the PyTorch-made ones.
  static let transposedPaths: [String] =
    ComputeCommandTests.transposedCases.sorted().map { path($0) }
    + {
      let folder = Binary.root.appendingPathComponent("Tests/Fixtures/torch-cases")
      let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
      return files.filter { $0.hasPrefix("torch_convT") }.sorted()
        .map { folder.appendingPathComponent($0).path }
    }()

  @Test(
    "a transposed case walks one input cell a step and ends on the case's y, dx and dw",
    arguments: transposedPaths)
  func transposedWalk(path: String) throws {
    let expected = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        as? [String: Any])
    let shapes = try #require(expected["shapes"] as? [String: [Int]])
    let x = try #require(shapes["x"])
    let (n, cells) = (x[0], x[1] * x[2] * x[3])
    let list = try Binary.run(["steps", path, "--json", "--sample", "0"])
    #expect(list.status == 0, "\(list.stderr)")
    let steps = try Self.lines(list.stdout)
    #expect(steps.count == cells)
    #expect(steps.first?["input"] as? [Int] == [0, 0, 0] && steps.first?["x"] is Double)
    func state(_ phase: String, _ sample: Int, _ at: Int) throws -> [String: Any] {
      let r = try Binary.run([
        "steps", path, "--phase", phase, "--sample", "\(sample)", "--at", "\(at)", "--json",
      ])
      #expect(r.status == 0, "\(r.stderr)")
      return try #require(try Self.lines(r.stdout).first)
    }
    func close(_ a: [Double], _ b: ArraySlice<Double>, _ what: String) {
      let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .infinity
      #expect(a.count == b.count && worst <= 1e-4, "\(path) \(what): \(worst)")
    }
    let y = try #require(expected["y"] as? [Double])
    let dx = try #require(expected["dx"] as? [Double])
    let per = y.count / n
    for s in 0..<n {
      let forward = try state("forward", s, cells)
      close(try #require(forward["y"] as? [Double]), y[(s * per)..<((s + 1) * per)], "y[\(s)]")
      let backward = try state("backward", s, cells)
      close(
        try #require(backward["dx"] as? [Double]), dx[(s * cells)..<((s + 1) * cells)], "dx[\(s)]")
      if s == n - 1 {
        let dw = try #require(expected["dw"] as? [Double])
        close(try #require(backward["dw"] as? [Double]), dw[...], "dw")
      }
    }
  }

  @Test("a transposed case: the text table, the update's steps, and what does not apply")
  func transposedText() throws {
    let path = Self.path("convT_s2_p1_op1")
    let table = try Binary.run(["steps", path])
    #expect(table.status == 0 && table.stdout.hasPrefix("step  phase"), "\(table.stderr)")
    #expect(table.stdout.contains("forward") && table.stdout.contains("x "))
    let update = try Binary.run(["steps", path, "--phase", "update", "--json"])
    let lines = try Self.lines(update.stdout)
    #expect(lines.last?["updates"] as? String == "b")
    for bad in [["--filter", "0"], ["--phase", "relu"], ["--at", "999"], ["--sample", "9"]] {
      let r = try Binary.run(["steps", path] + bad)
      #expect(r.status == 2 && r.stdout.isEmpty, "\(bad)")
      #expect(!r.stderr.dropLast().contains("\n"), "\(bad): \(r.stderr)")
    }
  }

  @Test(
    "works on every shared vector, in every phase it has",
    arguments: ComputeCommandTests.walkableCaseNames)
  func everyVector(name: String) throws {
    let phases =
      name.hasPrefix("conv")
      ? ["forward", "backward", "update"]
      : name.hasPrefix("relu") ? ["relu", "relu-backward"] : ["pool", "pool-backward"]
    let expected = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: Self.path(name))))
        as? [String: Any])
    for phase in phases {
      let result = try Binary.run(["steps", Self.path(name), "--phase", phase, "--json"])
      #expect(result.status == 0, "\(name) \(phase): \(result.stderr)")
      let steps = try Self.lines(result.stdout)
      #expect(!steps.isEmpty)
      for (k, step) in steps.enumerated() {
        #expect(step["step"] as? Int == k + 1)  // numbered from 1, as the viewer counts
        #expect(step["phase"] as? String == phase)
        #expect(step["sample"] is Int && step["filter"] is Int && step["out"] is [Int])
        #expect(step["value"] != nil)
      }
      // The forward values are y, the backward values the dy used, in the documented order.
      if phase == "forward" || phase == "relu" || phase == "pool" {
        let y = try #require(expected["y"] as? [Double])
        #expect(steps.count == y.count)
        for (k, step) in steps.enumerated() {
          #expect(abs((step["value"] as? Double ?? .nan) - y[k]) <= 1e-4 * max(1, abs(y[k])))
        }
      }
      if phase == "backward" {
        let dy = try #require(expected["dy"] as? [Double])
        for (k, step) in steps.enumerated() {
          #expect(Float(step["value"] as? Double ?? .nan) == Float(dy[k]))
        }
      }
    }
  }

  @Test("--at K after the last step equals compute's dx, dw, db")
  func atLastStep() throws {
    for name in ["conv_s2_p1", "conv_dilation2", "conv_float_normal"] {
      let count = try Self.lines(
        try Binary.run(["steps", Self.path(name), "--phase", "backward", "--json"]).stdout
      ).count
      let result = try Binary.run([
        "steps", Self.path(name), "--phase", "backward", "--at", "\(count)", "--json",
      ])
      #expect(result.status == 0, "\(result.stderr)")
      let state = try #require(try Self.lines(result.stdout).first)
      #expect(state["done"] as? Int == count)
      let computed = try #require(
        try JSONSerialization.jsonObject(
          with: Data(try Binary.run(["compute", Self.path(name)]).stdout.utf8)) as? [String: Any])
      for key in ["dx", "dw", "db"] {
        let a = try #require(state[key] as? [Double])
        let b = try #require(computed[key] as? [Double])
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        #expect(a.count == b.count && worst <= 1e-4, "\(name) \(key): \(worst)")
      }
    }
  }

  /// The PyTorch-made conv2d cases (groups, depthwise, pointwise, every padding mode).
  static let torchConvCases: [String] = {
    let folder = Binary.root.appendingPathComponent("Tests/Fixtures/torch-cases")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return files.filter { $0.hasSuffix(".json") && !$0.hasPrefix("torch_convT") }
      .map { folder.appendingPathComponent($0).path }.sorted()
  }()

  @Test(
    "the walk of every PyTorch-made grouped or padding-mode case ends on PyTorch's y, dx, dw, db",
    arguments: torchConvCases)
  func torchWalk(path: String) throws {
    let expected = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        as? [String: Any])
    #expect(expected["op"] as? String == "conv2d")
    for (phase, keys) in [("forward", ["y"]), ("backward", ["dx", "dw", "db"])] {
      let count = try Self.lines(
        try Binary.run(["steps", path, "--phase", phase, "--json"]).stdout
      ).count
      let result = try Binary.run(["steps", path, "--phase", phase, "--at", "\(count)", "--json"])
      #expect(result.status == 0, "\(result.stderr)")
      let state = try #require(try Self.lines(result.stdout).first)
      for key in keys {
        let a = try #require(state[key] as? [Double], "\(key) of \(path)")
        let b = try #require(expected[key] as? [Double])
        // Float sums of N(0,1) products against PyTorch's float64: as in TorchCaseTests.
        let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .infinity
        #expect(a.count == b.count && worst <= 1e-4, "\(path) \(key): \(worst)")
      }
    }
  }

  @Test("--at K in the forward phase: y has K values, the rest null")
  func atForward() throws {
    let result = try Binary.run(["steps", Self.path("conv_k1x1"), "--at", "4", "--json"])
    let state = try #require(try Self.lines(result.stdout).first)
    let y = try #require(state["y"] as? [Any])
    #expect(y.prefix(4).allSatisfy { $0 is Double })
    #expect(y.dropFirst(4).allSatisfy { $0 is NSNull })
    #expect(state["done"] as? Int == 4)
    #expect((state["dw"] as? [Double])?.allSatisfy { $0 == 0 } == true)
  }

  @Test("--at also reports the geometry: windows reading each cell, rows the floor drops")
  func geometryFacts() throws {
    let result = try Binary.run(["steps", Self.path("conv_s2_p0"), "--at", "1", "--json"])
    let state = try #require(try Self.lines(result.stdout).first)
    let reads = try #require(state["reads"] as? [Int])
    #expect(reads.count == 8 * 10)
    #expect(reads[0] == 1 && reads[2] == 2 && reads[9] == 0)  // column 9 is dropped
    #expect(state["dropped_rows"] as? [Int] == [7])
    #expect(state["dropped_columns"] as? [Int] == [9])
  }

  @Test("--sample and --filter restrict the steps")
  func restriction() throws {
    let result = try Binary.run([
      "steps", Self.path("conv_c3_f4"), "--sample", "1", "--filter", "2", "--json",
    ])
    let steps = try Self.lines(result.stdout)
    #expect(steps.count == 36)
    #expect(steps.allSatisfy { $0["sample"] as? Int == 1 && $0["filter"] as? Int == 2 })
    #expect(steps.first?["step"] as? Int == 1)  // numbered from 1 within the restriction
  }

  @Test("the table has a header and one line a step")
  func table() throws {
    let result = try Binary.run(["steps", Self.path("conv_k1x1")])
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 1 + 80)
    #expect(lines[1].contains("y[0,0,0,0] = b + Σ x·w = "))
  }

  @Test(
    "errors: one line, exit 2",
    arguments: [
      (["--at", "81"], "--at 81: the forward phase has steps 1 to 80"),
      (["--at", "0"], "--at 0: the forward phase has steps 1 to 80"),
      (["--at=-1"], "steps 1 to 80"),
      (["--sample", "5"], "sample must be in 0…1 (got 5)"),
      (["--phase", "pool"], "no pool phase"),
    ])
  func errors(arguments: [String], mentions: String) throws {
    let result = try Binary.run(["steps", Self.path("conv_k1x1")] + arguments)
    #expect(result.status == 2)
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(result.stderr.contains(mentions), "\(result.stderr)")
  }
}

// MARK: - One step number everywhere

@Suite("step numbers: one convention")
struct StepNumberTests {
  /// The formula's left-hand side (`y[0,1,2,0]`) in a text.
  static func window(_ text: String) -> String? {
    guard let r = text.range(of: #"y\[\d+,\d+,\d+,\d+\] = "#, options: .regularExpression) else {
      return nil
    }
    return String(text[r])
  }

  @Test(
    "steps --at K, render --step K, export --step K and :K in the viewer show the same window",
    arguments: [1, 5, 12, 36])
  func sameWindow(k: Int) throws {
    let path = Binary.vectors.appendingPathComponent("conv_s2_p1.json").path
    let steps = try Binary.run(["steps", path, "--at", "\(k)"])
    #expect(steps.status == 0, "\(steps.stderr)")
    let expected = try #require(Self.window(steps.stdout), "\(steps.stdout)")
    let render = try Binary.run(["render", "--case", path, "--step", "\(k)", "--size", "160x48"])
    #expect(Self.window(render.stdout) == expected, "render: \(render.stderr)")
    #expect(render.stdout.contains("step \(k)/"))
    let export = try Binary.run([
      "export", "--case", path, "--step", "\(k)", "--format", "txt", "--size", "160x48",
    ])
    #expect(Self.window(export.stdout) == expected, "export: \(export.stderr)")
    // The viewer's `:K` (through the same update the terminal drives).
    let keys = ([":"] + String(k).map(String.init) + ["Enter"]).joined(separator: " ")
    let goTo = try Binary.run([
      "export", "--case", path, "--keys", keys, "--format", "txt", "--size", "160x48",
    ])
    #expect(Self.window(goTo.stdout) == expected, "viewer ':\(k)': \(goTo.stderr)")
  }

  @Test("a step past the end is the same error in render, export and the viewer")
  func pastTheEnd() throws {
    for command in [["render"], ["export", "--format", "txt"], ["view"]] {
      let r = try Binary.run(command + ["--step", "999"])
      #expect(r.status == 2, "\(command)")
      #expect(r.stderr == "convscope: error: --step 999: the forward phase has 49 steps\n")
    }
  }
}
