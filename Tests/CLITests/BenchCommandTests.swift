import Foundation
import Testing

// MARK: - convscope bench

@Suite("convscope bench")
struct BenchCommandTests {
  @Test("an unknown kernel set is one line and exit 2, as every usage error")
  func badKernels() throws {
    let r = try Binary.run(["bench", "--kernels", "bogus"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("--kernels must be auto, portable, avx2 or avx512 (got bogus)"))
    #expect(r.stdout.isEmpty)
  }

  @Test("--json names the kernels that ran and times both layers on them")
  func jsonKernels() throws {
    let r = try Binary.run([
      "bench", "--kernels", "portable", "--layers-only", "--runs", "1", "--warmup", "0", "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let root = try #require(object)
    let settings = try #require(root["settings"] as? [String: Any])
    #expect(settings["kernels"] as? String == "portable")
    let machine = try #require(root["machine"] as? [String: Any])
    let sets = try #require(machine["kernel_sets"] as? [String])
    #expect(sets.first == "portable")
    let peaks = try #require(machine["fma_peak_gflops_by_kernels"] as? [String: Double])
    #expect(Set(peaks.keys) == Set(sets))
    let layers = try #require(root["layers"] as? [String: Any])
    for name in ["article", "large"] {
      let layer = try #require(layers[name] as? [String: Any], "no layer \(name)")
      let pass = try #require(layer["forward_backward"] as? [String: Any])
      #expect((pass["median_s"] as? Double ?? 0) > 0)
    }
  }

  /// The interactive figures as `bench --json` writes them: seconds that match what was timed
  /// (a libc `finite()` once slipped in and wrote every one of them as 1).
  @Test("--json writes the step engine, frame and session timings in seconds")
  func jsonInteractiveFigures() throws {
    let r = try Binary.run([
      "bench", "--runs", "1", "--warmup", "0", "--json", "--key-layers", "first_lesson",
      "--key-rounds", "1",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let ui = try #require(object?["ui"] as? [String: Any])
    let keys = try #require(object?["keys"] as? [String: Any])
    #expect(Set((keys["layers"] as? [String: Any])?.keys ?? [:].keys) == ["first_lesson"])
    // One step of the engine takes microseconds, one frame milliseconds, even in a debug build.
    for (section, limit) in [("step_engine", 0.5), ("frames", 2.0)] {
      let timings = try #require(ui[section] as? [String: [String: Any]], "no ui.\(section)")
      #expect(!timings.isEmpty)
      for (name, t) in timings where !name.hasPrefix("trace_build") {
        let median = try #require(t["median_s"] as? Double, "\(section).\(name)")
        #expect(median > 0 && median < limit, "\(section).\(name): \(median) s")
      }
    }
    let sessions = try #require(ui["sessions"] as? [String: [String: Any]])
    #expect(sessions.count == 4)
    for (name, s) in sessions {
      let wall = try #require(s["wall_median_s"] as? Double, "\(name)")
      #expect(wall > 0.001 && wall < 120, "\(name): \(wall) s")
      #expect((s["peak_rss_kib"] as? Double ?? 0) > 1000, "\(name)")
    }
  }

  /// The key timings: the real viewer typed into on a pseudo-terminal, every key of the script
  /// seen in a frame, play to the end of the phase, and the viewer's own peak memory.
  @Test("--keys-only --json: every key of the script answered by a frame, play and memory")
  func keyTimings() throws {
    let r = try Binary.run(
      [
        "bench", "--keys-only", "--json", "--key-layers", "first_lesson,article", "--key-rounds",
        "1",
      ], timeout: 240)
    #expect(r.status == 0, "\(r.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let keys = try #require(object?["keys"] as? [String: Any])
    #expect(keys["terminal"] as? String == "120x40")
    let layers = try #require(keys["layers"] as? [String: [String: Any]])
    #expect(Set(layers.keys) == ["first_lesson", "article"])
    for (name, layer) in layers {
      #expect(layer["failure"] is NSNull, "\(name): \(layer["failure"] ?? "")")
      let all = try #require(layer["all_keys"] as? [String: Any], "\(name)")
      // The script (KeyBench.script): 3 phases × 34 keys, then 19 more, Esc apart.
      #expect(all["count"] as? Int == 120, "\(name)")
      let p50 = try #require(all["p50_s"] as? Double, "\(name)")
      let worst = try #require(all["max_s"] as? Double, "\(name)")
      #expect(p50 > 0 && p50 <= worst && worst < 30, "\(name): p50 \(p50), max \(worst)")
      let perKey = try #require(layer["keys"] as? [String: [String: Any]], "\(name)")
      #expect(perKey["→ next step"]?["count"] as? Int == 32, "\(name)")
      #expect(perKey["R randomise"]?["count"] as? Int == 1, "\(name)")
      #expect((layer["startup_median_s"] as? Double ?? 0) > 0, "\(name)")
      #expect((layer["peak_rss_kib"] as? Int ?? 0) > 1000, "\(name)")
      let play = try #require(layer["play"] as? [String: Any], "\(name)")
      // The first lesson's 49 windows or the article's 1 024 per map, played whole at the top.
      #expect(play["steps"] as? Int == (play["phase_steps"] as? Int).map { $0 - 1 }, "\(name)")
    }
  }
}
