import Foundation
import Testing

// MARK: - BugManifest

/// `Tests/Fixtures/bugs/manifest.json`, written by `scripts/make_bug_fixtures.py`: the layers
/// and, for each named mistake, the tensors an independent buggy implementation wrote.
public struct BugManifest: Decodable, Sendable {
  /// A layer: its case file and tensors, geometry and learning rate.
  public struct Scenario: Decodable, Sendable {
    /// The layer as a conv-vectors case file.
    public var `case`: String
    /// The input `.npy`.
    public var x: String
    /// The weights `.npy`.
    public var w: String
    /// The bias `.npy`.
    public var b: String
    /// The output gradient `.npy`, when the layer has a given one.
    public var dy: String?
    /// `[h, w]`.
    public var stride: [Int]
    /// `[h, w]`.
    public var padding: [Int]
    /// `[h, w]`.
    public var dilation: [Int]
    /// The SGD learning rate.
    public var lr: Float
    /// Groups (nil: one).
    public var groups: Int?
    /// PyTorch's `padding_mode` (nil: zeros).
    public var paddingMode: String?

    enum CodingKeys: String, CodingKey {
      case `case`, x, w, b, dy, stride, padding, dilation, lr, groups
      case paddingMode = "padding_mode"
    }
  }

  /// One case: the tensors a buggy implementation wrote and the bug that wrote them.
  public struct Case: Decodable, Sendable, CustomTestStringConvertible {
    /// The case's name.
    public var name: String
    /// The key of its layer in ``BugManifest/scenarios``.
    public var scenario: String
    /// The bug that must be named (nil: the numbers are right, or with ``pattern`` wrong in a
    /// way no known mistake explains).
    public var expect: String?
    /// `nchw` or `nhwc`.
    public var layout: String
    /// `tensor` (the layer's dy) or `output` (the output is its own gradient).
    public var gradient: String
    /// `y`, `dx`, `dw`, `db` → file.
    public var files: [String: String]
    /// Other bugs that may be named with it (they give the same numbers on this data).
    public var allow: [String]
    /// The exit status `convscope check` must give.
    public var exit: Int32
    /// Words the diagnosis's detail (what it found in the data) must contain, if any.
    public var detail: String?
    /// For a mistake no known one explains (``expect`` nil, exit 1): words the report's pattern
    /// of the differences must contain.
    public var pattern: String?

    /// The name, in test output.
    public var testDescription: String { name }
  }

  /// The layers by key.
  public var scenarios: [String: Scenario]
  /// The cases.
  public var cases: [Case]

  /// The folder `Tests/Fixtures/bugs` of the repository holding `filePath`'s test folder.
  public static func directory(filePath: String = #filePath) -> URL {
    var url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    while url.path != "/" && url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
    return url.appendingPathComponent("Fixtures/bugs")
  }

  /// The manifest (empty when missing: tests then fail on the case count).
  public static let shared: BugManifest = {
    let url = directory().appendingPathComponent("manifest.json")
    guard let data = try? Data(contentsOf: url),
      let m = try? JSONDecoder().decode(BugManifest.self, from: data)
    else { return BugManifest(scenarios: [:], cases: []) }
    return m
  }()
}
