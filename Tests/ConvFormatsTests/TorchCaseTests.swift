import ConvCore
import Foundation
import Testing

@testable import ConvFormats

// MARK: - The PyTorch-made cases, in process

/// The cases `scripts/make_torch_fixtures.py` computed with PyTorch in float64 (grouped,
/// depthwise, pointwise, padding-mode and transposed convolutions; batches > 1, rectangular),
/// read by ``ConvCase`` and run by ``CaseRunner``; and the coverage their MANIFEST.md claims.
@Suite("PyTorch-made cases")
struct TorchCaseTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/torch-cases")

  /// How many cases the script writes (its `CASES`).
  static let expectedCount = 22

  /// The case files' names, without `.json`.
  static let caseNames: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
  }()

  /// Relative to `max(1, |expected|)`. The inputs are read as `Float` (rounded by up to 6e-8
  /// relative) and the results written as `Float`; the Double oracle then differs from PyTorch
  /// by under 1e-6 on these sizes, so 1e-4 has a wide margin, while a wrong index moves a value
  /// by about 0.1 or more. (The same bound as the CLI test, `TorchComputeTests.tolerance`.)
  static let tolerance = 1e-4

  /// A case file as plain JSON (read with Foundation, independently of the case reader).
  static func object(_ name: String) throws -> [String: Any] {
    let url = folder.appendingPathComponent("\(name).json")
    return try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any], "\(name)")
  }

  /// The spec the file's `params` describe, read with Foundation.
  static func spec(_ json: [String: Any]) throws -> GeneralConvSpec {
    let p = try #require(json["params"] as? [String: Any])
    func pair(_ key: String, _ fallback: Int) -> Size2 {
      guard let v = p[key] as? [Int], v.count == 2 else { return Size2(fallback) }
      return Size2(v[0], v[1])
    }
    let mode = try #require(PaddingMode(rawValue: (p["padding_mode"] as? String) ?? "zeros"))
    return GeneralConvSpec(
      transposed: json["op"] as? String == "conv_transpose2d", stride: pair("stride", 1),
      padding: pair("padding", 0), dilation: pair("dilation", 1),
      outputPadding: pair("output_padding", 0), groups: (p["groups"] as? Int) ?? 1,
      paddingMode: mode)
  }

  @Test("the folder holds every case the script writes")
  func casesExist() {
    #expect(Self.caseNames.count >= Self.expectedCount, "\(Self.caseNames)")
  }

  @Test(
    "read as the layer its params say, run by CaseRunner, PyTorch's numbers",
    arguments: caseNames)
  func matchesTorch(name: String) throws {
    let json = try Self.object(name)
    let c = try ConvCase.load(path: Self.folder.appendingPathComponent("\(name).json").path)
    #expect(CaseReaderTests.readAs(c, try Self.spec(json)), "\(name)")
    let result = try CaseRunner.run(c)
    let shapes = try #require(json["shapes"] as? [String: [Int]])
    for key in ["y", "dx", "dw", "db"] {
      let got = try #require(result.tensors[key], "\(name): no \(key)")
      let expected = try #require(json[key] as? [Double], "\(name): no expected \(key)")
      #expect(got.shape == shapes[key], "\(name) \(key) shape")
      #expect(got.count == expected.count, "\(name) \(key)")
      let diffs = zip(got.data, expected).map { abs(Double($0) - $1) / max(1, abs($1)) }
      if let i = diffs.indices.max(by: { diffs[$0] < diffs[$1] }) {
        #expect(
          diffs[i] <= Self.tolerance, "\(name) \(key)[\(i)]: \(got.data[i]), PyTorch \(expected[i])"
        )
      }
    }
  }
}

// MARK: - Coverage

extension TorchCaseTests {
  /// The MANIFEST's parameter words, each with what makes a case's value non-default.
  static let parameters:
    [(word: String, holds: @Sendable (GeneralConvSpec, [String: [Int]]) -> Bool)] = [
      ("stride", { s, _ in s.stride != Size2(1) }),
      ("padding", { s, _ in s.padding != Size2(0) }),
      ("dilation", { s, _ in s.dilation != Size2(1) }),
      ("output_padding", { s, _ in s.outputPadding != Size2(0) }),
      ("groups", { s, _ in s.groups != 1 }),
      ("transposed", { s, _ in s.transposed }),
      ("padding_mode=reflect", { s, _ in s.paddingMode == .reflect }),
      ("padding_mode=replicate", { s, _ in s.paddingMode == .replicate }),
      ("padding_mode=circular", { s, _ in s.paddingMode == .circular }),
      ("batch>1", { _, shapes in (shapes["x"]?[0] ?? 0) > 1 }),
      ("H!=W", { _, shapes in shapes["x"].map { $0[2] != $0[3] } ?? false }),
      ("KH!=KW", { _, shapes in shapes["w"].map { $0[2] != $0[3] } ?? false }),
    ]

  /// The coverage table of MANIFEST.md: each row's parameter word and the cases it names.
  static func manifestTable() throws -> [String: Set<String>] {
    let text = try String(
      contentsOf: folder.appendingPathComponent("MANIFEST.md"), encoding: .utf8)
    let tail = try #require(text.components(separatedBy: "## Coverage").last)
    var rows: [String: Set<String>] = [:]
    for line in tail.split(separator: "\n") where line.hasPrefix("| ") {
      let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count == 2, cells[0] != "parameter" else { continue }
      rows[cells[0]] = Set(
        cells[1].split(separator: ",").map {
          $0.trimmingCharacters(in: CharacterSet(charactersIn: " `"))
        })
    }
    return rows
  }

  @Test("MANIFEST's coverage holds: every parameter non-default in the cases it names, and only")
  func coverage() throws {
    let table = try Self.manifestTable()
    #expect(Set(table.keys) == Set(Self.parameters.map(\.word)), "\(table.keys.sorted())")
    var cases: [String: (GeneralConvSpec, [String: [Int]])] = [:]
    for name in Self.caseNames {
      let json = try Self.object(name)
      let shapes = try #require(json["shapes"] as? [String: [Int]], "\(name)")
      cases[name] = (try Self.spec(json), shapes)
    }
    for (word, holds) in Self.parameters {
      let actual = Set(cases.filter { holds($0.value.0, $0.value.1) }.keys)
      #expect(!actual.isEmpty, "no case has \(word) at a non-default value")
      #expect(table[word] == actual, "MANIFEST row \(word) against the cases' params")
    }
    for (name, (_, shapes)) in cases {
      #expect((shapes["x"]?[0] ?? 0) > 1, "\(name): batch of 1")
    }
  }

  @Test("MANIFEST has a line for each case file, and no other")
  func manifestLines() throws {
    let text = try String(
      contentsOf: Self.folder.appendingPathComponent("MANIFEST.md"), encoding: .utf8)
    let named = text.split(separator: "\n").filter { $0.hasPrefix("- `") }.map {
      String($0.dropFirst(3).prefix { $0 != "`" })
    }
    #expect(named.sorted() == Self.caseNames)
  }
}
