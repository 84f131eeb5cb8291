import ConvCore
import ConvIO
import ConvStepper
import Foundation
import Testing

@testable import ConvDebug

// MARK: - BugFixtures

/// `Tests/Fixtures/bugs/` (written by `scripts/make_bug_fixtures.py`) and its manifest.
enum BugFixtures {
  /// The repository root.
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// `Tests/Fixtures/bugs`.
  static let directory = root.appendingPathComponent("Tests/Fixtures/bugs")

  /// A layer of the manifest.
  struct Scenario: Decodable {
    var `case`: String
    var x: String
    var w: String
    var b: String
    var dy: String?
    var stride: [Int]
    var padding: [Int]
    var dilation: [Int]
    var lr: Float
  }

  /// One case: the tensors a buggy implementation wrote and the bug that wrote them.
  struct Case: Decodable, CustomTestStringConvertible {
    var name: String
    var scenario: String
    var expect: String?
    var layout: String
    var gradient: String
    var files: [String: String]
    var allow: [String]
    var exit: Int32

    var testDescription: String { name }
  }

  struct Manifest: Decodable {
    var scenarios: [String: Scenario]
    var cases: [Case]
  }

  /// The manifest (empty when it is missing, which `manifestExists` reports).
  static let manifest: Manifest = {
    let url = directory.appendingPathComponent("manifest.json")
    guard let data = try? Data(contentsOf: url),
      let m = try? JSONDecoder().decode(Manifest.self, from: data)
    else { return Manifest(scenarios: [:], cases: []) }
    return m
  }()

  /// The absolute path of a fixture file.
  static func path(_ relative: String) -> String {
    directory.appendingPathComponent(relative).path
  }

  /// A fixture tensor.
  static func tensor(_ relative: String) throws -> Tensor {
    try TensorFile.load(path: path(relative), options: LoadOptions(maxSize: 0)).tensor
  }

  /// The walkable scenario of a case (its layer, learning rate and gradient source).
  static func scenario(for c: Case) throws -> ConvCore.Scenario {
    let s = try #require(manifest.scenarios[c.scenario])
    var scenario = try ConvCase.load(path: path(s.case)).scenario()
    scenario.learningRate = s.lr
    if c.gradient == "output" { scenario.gradient = .output }
    return try scenario.validated()
  }

  /// The user's tensors of a case.
  static func user(for c: Case) throws -> UserTensors {
    var user = UserTensors(layout: DataLayout(rawValue: c.layout) ?? .nchw)
    for (key, file) in c.files {
      let name = try #require(CheckedTensor(rawValue: key))
      user[name] = try tensor(file)
      user.sources[name] = file
    }
    return user
  }
}
