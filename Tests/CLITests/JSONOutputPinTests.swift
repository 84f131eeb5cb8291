import Foundation
import Testing

// MARK: - The JSON outputs as an interface

/// Pins what `compute`, `steps --json`, `check --json` and `bench --json` print: the keys of every
/// object, `null` where a value is missing or not finite (never a missing key), how numbers are
/// spelled (the shortest decimal that reads back as the same `Float`: `0.1`, not
/// `0.10000000149011612`), unescaped `/`, and which outputs are one line and which are several.
/// Key order and the spaces between tokens are not part of the interface.
@Suite("JSON outputs")
struct JSONOutputPinTests {
  /// The text without any whitespace (no pinned string holds a space), so that a pin holds
  /// however the JSON is indented.
  static func compact(_ text: some StringProtocol) -> String {
    String(text.filter { !$0.isWhitespace })
  }

  static func object(_ text: some StringProtocol) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  static func keys(_ value: Any?) -> Set<String> {
    Set((value as? [String: Any])?.keys.map { $0 } ?? [])
  }

  /// Writes `json` to a temporary case file and runs convscope on it.
  static func run(case json: String, _ arguments: [String]) throws -> Binary.Output {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-pin-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data(json.utf8).write(to: url)
    return try Binary.run([arguments[0], url.path] + arguments.dropFirst())
  }

  /// A 2×2 input, a 2×2 kernel, padding 1: 3×3 outputs, taps on the padding.
  static let paddedCase = """
    {"name": "pin/padded", "op": "conv2d", "params": {"padding": [1, 1]},
     "shapes": {"x": [1, 1, 2, 2], "w": [1, 1, 2, 2], "b": [1], "dy": [1, 1, 3, 3]},
     "x": [0.1, 2, 3, 1.5e-7], "w": [1, 0.5, 0.25, 2], "b": [0.1],
     "dy": [1, 1, 1, 1, 1, 1, 1, 1, 1]}
    """

  // MARK: compute

  @Test("compute: several lines; name, op, shapes and the tensors; Float text; null for ±inf")
  func compute() throws {
    let relu = """
      {"name": "pin/relu", "op": "relu", "shapes": {"x": [1, 5], "dy": [1, 5]},
       "x": [0.1, -2, 1e39, 3, 1.5e-7], "dy": [1, 1, 1, 1, 1]}
      """
    let r = try Self.run(case: relu, ["compute"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("{\n") && r.stdout.hasSuffix("}\n"))
    #expect(r.stdout.split(separator: "\n").count >= 5)
    let root = try Self.object(r.stdout)
    #expect(Self.keys(root) == ["name", "op", "shapes", "y", "dx"])
    #expect(Self.keys(root["shapes"]) == ["y", "dx"])
    let text = Self.compact(r.stdout)
    #expect(text.contains(#""name":"pin/relu""#))
    #expect(text.contains(#""op":"relu""#))
    #expect(text.contains(#""y":[1,5]"#))
    #expect(text.contains(#""y":[0.1,0,null,3,1.5e-07]"#), "\(text)")
    #expect(text.contains(#""dx":[1,0,1,1,1]"#), "\(text)")
  }

  @Test("compute: a seed-layer case adds the parameters after SGD")
  func computeSeedLayer() throws {
    let path = Binary.vectors.appendingPathComponent("conv_seed_b2.json").path
    let r = try Binary.run(["compute", path])
    #expect(r.status == 0, "\(r.stderr)")
    let root = try Self.object(r.stdout)
    let tensors: Set<String> = ["y", "dx", "dw", "db", "filters_after_sgd", "biases_after_sgd"]
    #expect(Self.keys(root) == tensors.union(["name", "op", "shapes"]))
    #expect(Self.keys(root["shapes"]) == tensors)
  }

  @Test("compute: a network case gives logits, loss, dx and one object a layer")
  func computeNetwork() throws {
    // flatten, then linear with w = [[1, 0, 0, 0], [0, 0, 0, 0]], b = 0: logits (x₀, 0) = (0, 0).
    let net = """
      {"name": "pin/net", "op": "network", "shapes": {"x": [1, 1, 2, 2]}, "x": [0, 2, 3, 4],
       "target": [1], "layers": [{"type": "flatten"}, {"type": "linear",
       "shapes": {"w": [2, 4], "b": [2]}, "w": [1, 0, 0, 0, 0, 0, 0, 0], "b": [0, 0]}]}
      """
    let r = try Self.run(case: net, ["compute"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("{\n") && r.stdout.hasSuffix("}\n"))
    let root = try Self.object(r.stdout)
    #expect(Self.keys(root) == ["name", "op", "shapes", "logits", "loss", "dx", "layers"])
    #expect(Self.keys(root["shapes"]) == ["logits", "dx"])
    let text = Self.compact(r.stdout)
    #expect(text.contains(#""op":"network""#))
    #expect(text.contains(#""logits":[0,0]"#), "\(text)")
    // log 2, and dlogits = (0.5, −0.5): dx = dlogits·w = (0.5, 0, 0, 0).
    #expect(text.contains(#""loss":0.6931472"#), "\(text)")
    #expect(text.contains(#""dx":[0.5,0,0,0]"#), "\(text)")
    #expect(text.contains(#""layers":[{},{"#), "\(text)")
    let layers = try #require(root["layers"] as? [[String: Any]])
    #expect(Self.keys(layers[1]) == ["dw", "db"])
  }

  // MARK: steps --json

  @Test("steps --json: one object a line, the phase's keys, taps, padding, Float text")
  func stepsLines() throws {
    let forward = try Self.run(case: Self.paddedCase, ["steps", "--json"])
    #expect(forward.status == 0, "\(forward.stderr)")
    let lines = forward.stdout.split(separator: "\n")
    #expect(lines.count == 9)
    let first = try Self.object(lines[0])
    #expect(
      Self.keys(first) == [
        "step", "phase", "sample", "filter", "out", "value", "origin", "bias", "channel_sums",
        "taps", "formula",
      ])
    let taps = try #require(first["taps"] as? [[String: Any]])
    #expect(taps.count == 4)
    for tap in taps {
      #expect(Self.keys(tap) == ["c", "p", "q", "input", "x", "w", "product"])
    }
    let text = Self.compact(lines[0])
    #expect(text.contains(#""step":1"#) && text.contains(#""phase":"forward""#))
    #expect(text.contains(#""out":[0,0]"#) && text.contains(#""origin":[0,0]"#))
    #expect(text.contains(#""bias":0.1"#))
    #expect(text.contains(#""input":"padding""#))
    let tap = try #require(taps.first { $0["input"] is [Int] })
    let tapText = Self.compact(
      String(
        decoding: try JSONSerialization.data(withJSONObject: tap, options: .sortedKeys),
        as: UTF8.self))
    #expect(tapText == #"{"c":0,"input":[0,0],"p":1,"product":0.2,"q":1,"w":2,"x":0.1}"#)
    #expect(text.contains(#""x":0.1"#) && text.contains(#""product":0.2"#), "\(text)")
    #expect(text.contains(#""formula":"y[0,0,0,0]=b+Σx·w="#), "\(text)")

    let backward = try Self.run(case: Self.paddedCase, ["steps", "--phase", "backward", "--json"])
    let step = try Self.object(backward.stdout.split(separator: "\n")[0])
    #expect(
      Self.keys(step) == ["step", "phase", "sample", "filter", "out", "value", "taps", "formula"])
    let update = try Self.run(case: Self.paddedCase, ["steps", "--phase", "update", "--json"])
    let updateStep = try Self.object(update.stdout.split(separator: "\n")[0])
    #expect(
      Self.keys(updateStep) == ["step", "phase", "sample", "filter", "out", "value", "formula"])
  }

  @Test("steps --json: max pooling names the argmax")
  func stepsPool() throws {
    let path = Binary.vectors.appendingPathComponent("maxpool_k2_s2.json").path
    for phase in ["pool", "pool-backward"] {
      let r = try Binary.run(["steps", path, "--phase", phase, "--json"])
      let step = try Self.object(r.stdout.split(separator: "\n")[0])
      #expect(
        Self.keys(step) == [
          "step", "phase", "sample", "filter", "out", "value", "argmax", "formula",
        ])
    }
  }

  @Test("steps --at K --json: one line; y null where not computed; every key in every phase")
  func stepsState() throws {
    let forward = try Self.run(case: Self.paddedCase, ["steps", "--at", "2", "--json"])
    #expect(forward.status == 0, "\(forward.stderr)")
    #expect(forward.stdout.hasSuffix("}\n") && forward.stdout.split(separator: "\n").count == 1)
    let state = try Self.object(forward.stdout)
    let geometry: Set<String> = ["reads", "dropped_rows", "dropped_columns"]
    #expect(
      Self.keys(state) == geometry.union(["phase", "step", "done", "y", "dx", "dw", "db"]))
    let text = Self.compact(forward.stdout)
    #expect(text.contains(#""y":[0.3,"#), "\(text)")
    #expect(text.contains(#",null,null,null,null,null,null,null]"#), "\(text)")
    #expect(text.contains(#""phase":"forward","#) || text.contains(#""phase":"forward"}"#))
    #expect(text.contains(#""done":2"#) && text.contains(#""step":2"#))
    #expect(text.contains(#""db":[0]"#) && text.contains(#""reads":[4,4,4,4]"#))

    let update = try Self.run(
      case: Self.paddedCase, ["steps", "--phase", "update", "--at", "1", "--json"])
    #expect(
      Self.keys(try Self.object(update.stdout))
        == geometry.union(["phase", "step", "done", "y", "dx", "dw", "db", "w", "b"]))

    let relu = Binary.vectors.appendingPathComponent("relu.json").path
    let reluState = try Binary.run([
      "steps", relu, "--phase", "relu-backward", "--at", "1", "--json",
    ])
    #expect(reluState.status == 0, "\(reluState.stderr)")
    #expect(Self.keys(try Self.object(reluState.stdout)).contains("conv_gradient"))
    #expect(Self.keys(try Self.object(reluState.stdout)).contains("relu"))
    let pool = Binary.vectors.appendingPathComponent("maxpool_k2_s2.json").path
    let poolState = try Binary.run([
      "steps", pool, "--phase", "pool-backward", "--at", "1", "--json",
    ])
    #expect(poolState.status == 0, "\(poolState.stderr)")
    let poolKeys = Self.keys(try Self.object(poolState.stdout))
    #expect(poolKeys.contains("pool") && poolKeys.contains("pool_input_gradient"))
  }

  // MARK: check --json

  @Test("check --json: one line, snake_case keys, null for a missing file or erratum, / as is")
  func check() throws {
    let bugs = Binary.root.appendingPathComponent("Tests/Fixtures/bugs")
    let r = try Binary.run([
      "check", "--json", "--case", bugs.appendingPathComponent("A/case.json").path,
      "--check-y", bugs.appendingPathComponent("A/kernel-flipped/y.npy").path,
    ])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stdout.hasSuffix("}\n") && r.stdout.split(separator: "\n").count == 1)
    let root = try Self.object(r.stdout)
    #expect(
      Self.keys(root) == [
        "layer", "layout", "tolerance", "match", "tensors", "diagnoses", "unexplained",
        "patterns", "blind_spots", "notes", "setup",
      ])
    #expect((root["patterns"] as? [Any])?.isEmpty == true)
    #expect(Self.keys(root["setup"]) == ["defaults", "tensors"])
    let setup = try #require(root["setup"] as? [String: Any])
    let origins = try #require(setup["tensors"] as? [String: String])
    #expect(Set(origins.keys) == ["x", "w", "b", "dy"])
    #expect(origins["x"]?.hasSuffix("A/case.json") == true)
    #expect(
      Self.keys(root["layer"]) == [
        "batch", "in_channels", "input", "filters", "kernel", "stride", "padding", "dilation",
        "output",
      ])
    #expect(Self.keys(root["tolerance"]) == ["rtol", "atol", "float32_allowance"])
    // groups and padding_mode only when not the defaults
    let grouped = try Self.object(
      try Binary.run([
        "check", "--json", "--case", bugs.appendingPathComponent("H/case.json").path,
        "--check-db", bugs.appendingPathComponent("H/correct/db.npy").path,
      ]).stdout)
    let layer = try #require(grouped["layer"] as? [String: Any])
    #expect(Self.keys(layer).isSuperset(of: ["groups", "padding_mode"]))
    #expect(layer["groups"] as? Int == 2 && layer["padding_mode"] as? String == "reflect")
    let tensors = try #require(root["tensors"] as? [[String: Any]])
    #expect(
      Self.keys(tensors[0]) == [
        "name", "file", "shape", "expected_shape", "shape_ok", "cells", "mismatches",
        "max_abs_error", "max_rel_error", "exact", "nan_in_yours", "first_mismatch", "notes",
      ])
    #expect(
      Self.keys(tensors[0]["first_mismatch"]) == ["index", "flat", "yours", "correct", "formula"])
    let diagnoses = try #require(root["diagnoses"] as? [[String: Any]])
    #expect(
      Self.keys(diagnoses.first) == [
        "id", "title", "explanation", "fix", "match", "max_abs_error", "explains", "contradicts",
        "indistinguishable_from", "separating_hint", "erratum",
      ])
    let text = Self.compact(r.stdout)
    #expect(text.contains(#""erratum":null"#))
    #expect(text.contains("/A/kernel-flipped/y.npy\""))
    #expect(text.contains(#""rtol":1e-05"#) && text.contains(#""atol":1e-08"#), "\(text)")
    let missing = tensors.first { $0["name"] as? String == "dx" }
    if let missing { #expect(missing["file"] is NSNull) }
  }

  @Test("check --json: the pattern of differences no known mistake explains, and its keys")
  func checkPattern() throws {
    let bugs = Binary.root.appendingPathComponent("Tests/Fixtures/bugs")
    let r = try Binary.run([
      "check", "--json", "--case", bugs.appendingPathComponent("A/case.json").path,
      "--check-y", bugs.appendingPathComponent("A/unnamed-one-filter/y.npy").path,
    ])
    #expect(r.status == 1, "\(r.stderr)")
    let root = try Self.object(r.stdout)
    #expect((root["diagnoses"] as? [Any])?.isEmpty == true)
    let patterns = try #require(root["patterns"] as? [[String: Any]])
    #expect(patterns.count == 1)
    #expect(
      Self.keys(patterns.first) == [
        "tensor", "differing", "cells", "axes", "border_only", "phase", "windows",
        "window_count", "text",
      ])
    let axes = try #require(patterns.first?["axes"] as? [[String: Any]])
    #expect(Self.keys(axes.first) == ["name", "letter", "size", "differing"])
    #expect(axes.map { $0["name"] as? String } == ["sample", "filter", "row", "column"])
    #expect(axes[1]["differing"] as? [Int] == [1])
    #expect(patterns.first?["phase"] as? String == "forward")
    #expect((patterns.first?["windows"] as? [Int])?.first == 43)
  }

  // MARK: bench --json

  @Test("bench --json: several lines, its sections and their keys, null where not measured")
  func bench() throws {
    let r = try Binary.run(["bench", "--layers-only", "--runs", "1", "--warmup", "0", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("{\n") && r.stdout.split(separator: "\n").count > 20)
    let root = try Self.object(r.stdout)
    #expect(
      Self.keys(root) == [
        "schema", "machine", "settings", "layers", "demo", "memory", "ui", "keys",
      ])
    #expect(root["ui"] is NSNull && root["keys"] is NSNull)
    #expect(root["schema"] as? String == "convscope-bench/1")
    #expect(
      Self.keys(root["machine"]) == [
        "processors", "fma_peak_gflops_one_core", "fma_peak_gflops_by_kernels", "kernel_sets",
      ])
    let settings = try #require(root["settings"] as? [String: Any])
    #expect(
      Self.keys(settings) == [
        "threads", "kernels", "parallel_threshold_macs", "runs", "warmup", "flop_convention",
      ])
    #expect(settings["threads"] as? String == "auto")
    #expect(settings["runs"] as? Int == 1 && settings["warmup"] as? Int == 0)
    let passKeys: Set<String> = ["median_s", "best_s", "gflops", "best_gflops", "mflop", "runs"]
    let layers = try #require(root["layers"] as? [String: Any])
    #expect(Set(layers.keys) == ["article", "large"])
    for layer in layers.values {
      #expect(
        Self.keys(layer) == ["shape", "threads", "forward", "backward", "forward_backward"])
      let l = try #require(layer as? [String: Any])
      #expect(
        Self.keys(l["shape"]) == [
          "batch", "channels", "height", "width", "filters", "kernel", "stride", "padding",
          "dilation",
        ])
      for pass in ["forward", "backward", "forward_backward"] {
        #expect(Self.keys(l[pass]) == passKeys)
      }
    }
    #expect(Self.keys(root["demo"]) == passKeys.union(["what"]))
    #expect(Self.keys(root["memory"]) == ["peak_rss_kib"])
    let text = Self.compact(r.stdout)
    #expect(text.contains(#""what":"ArticleConvLayerforward+backwardwithSGD,as`convscopedemo`""#))
    #expect(text.contains(#""shape":{"#) && text.contains(#""threads":"auto""#))
  }
}
