import ConvCore
import ConvFormats
import ConvLessons
import ConvStepper
import Foundation
import TestSupport
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

  /// One case of the manifest.
  typealias Case = BugManifest.Case

  /// The manifest.
  static let manifest = BugManifest.shared

  /// The absolute path of a fixture file.
  static func path(_ relative: String) -> String {
    directory.appendingPathComponent(relative).path
  }

  /// A fixture tensor.
  static func tensor(_ relative: String) throws -> Tensor {
    try TensorFile.load(path: path(relative), options: LoadOptions(maxSize: 0)).tensor
  }

  /// The walkable scenario of a case (its layer, learning rate and gradient source).
  static func scenario(for c: Case) throws -> ConvStepper.Scenario {
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
