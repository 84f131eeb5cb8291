import Foundation
import Testing

// MARK: - convscope gradcheck

@Suite("convscope gradcheck")
struct GradcheckCommandTests {
  static let caseA = Binary.root.appendingPathComponent("Tests/Fixtures/bugs/A/case.json").path

  @Test("a layer passes: per-tensor errors, the map of dx, exit status 0")
  func passes() throws {
    let r = try Binary.run([
      "gradcheck", "--input-size", "6", "--channels", "2", "--filters", "2", "--kernel-size", "3",
      "--stride", "2", "--padding", "1",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    for name in ["dx", "dw", "db"] {
      #expect(r.stdout.contains("  \(name): max relative error "))
    }
    #expect(r.stdout.contains("dx[sample 0, channel 0]: relative error per cell (6×6)"))
    #expect(r.stdout.contains("legend: "))
    #expect(r.stdout.contains("Result: the backward pass agrees with finite differences"))
  }

  @Test("--json: every checked cell's relative error")
  func json() throws {
    let r = try Binary.run(["gradcheck", "--case", Self.caseA, "--json"])
    #expect(r.status == 0)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(object["passed"] as? Bool == true)
    let tensors = try #require(object["tensors"] as? [[String: Any]])
    #expect(tensors.map { $0["name"] as? String } == ["dx", "dw", "db"])
    let dx = try #require(tensors.first)
    #expect(dx["total"] as? Int == 2 * 2 * 6 * 7)
    #expect((dx["relative_errors"] as? [Any])?.count == 2 * 2 * 6 * 7)
    let worst = try #require(dx["max_relative_error"] as? Double)
    #expect(worst < 1e-3)
  }

  @Test("--cells samples, the map leaves unchecked cells blank; --numbers prints numbers")
  func sampledAndNumbers() throws {
    let r = try Binary.run([
      "gradcheck", "--case", Self.caseA, "--cells", "5", "--map", "dw", "--plane", "2,1",
      "--numbers",
    ])
    #expect(r.status == 0)
    #expect(r.stdout.contains("over 5 of 168 cells"))
    #expect(r.stdout.contains("dw[filter 2, channel 1]: relative error per cell (3×3)"))
    #expect(r.stdout.contains("e-"))
  }

  @Test("a threshold no float32 gradient meets fails: exit status 1 and X in the map")
  func fails() throws {
    let r = try Binary.run(["gradcheck", "--case", Self.caseA, "--threshold", "1e-15"])
    #expect(r.status == 1)
    #expect(r.stdout.contains("FAILS"))
    #expect(r.stdout.contains("X"))
    #expect(r.stdout.contains("does NOT agree"))
  }

  @Test("a grouped, copy-padded layer passes; its dw planes are C/G channels wide")
  func groupedCopyPadded() throws {
    let caseH = Binary.root.appendingPathComponent("Tests/Fixtures/bugs/H/case.json").path
    let r = try Binary.run(["gradcheck", "--case", caseH, "--map", "dw", "--plane", "3,1"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("groups 2, padding_mode reflect"))
    #expect(r.stdout.contains("dw[filter 3, channel 1]: relative error per cell (3×3)"))
    #expect(r.stdout.contains("Result: the backward pass agrees with finite differences"))
    let flags = try Binary.run([
      "gradcheck", "--input-size", "5,6", "--channels", "3", "--filters", "6", "--groups", "3",
      "--padding-mode", "replicate", "--padding", "2", "--stride", "2",
    ])
    #expect(flags.status == 0, "\(flags.stderr)")
    let wide = try Binary.run(["gradcheck", "--case", caseH, "--map", "dw", "--plane", "0,2"])
    #expect(wide.status == 2)
    #expect(wide.stderr.contains("channel < 2 (w is [F, C/G, KH, KW])"), "\(wide.stderr)")
  }

  @Test(
    "bad input: one line and exit status 2",
    arguments: [
      (["--map", "y"], "map"),
      (["--plane", "5,0"], "plane"),
      (["--cells=-1"], "cells"),
      (["--threshold", "0"], "threshold"),
    ])
  func badInput(_ args: [String], _ mentions: String) throws {
    let r = try Binary.run(["gradcheck", "--case", Self.caseA] + args)
    #expect(r.status == 2)
    #expect(r.stderr.hasPrefix("convscope: error: "))
    #expect(r.stderr.contains(mentions), "\(r.stderr)")
  }
}
