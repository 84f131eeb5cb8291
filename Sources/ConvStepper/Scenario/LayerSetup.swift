// MARK: - LayerSetup

/// What a layer uses without having been told, and where each of its tensors came from: the
/// lines `check`'s report and `code`'s header print (`defaults in use: …`, `tensors: …`), the JSON
/// report's `"setup"`, and the notes of a layer made by flags.
///
/// A layer made by flags alone (no lesson, no `--article`) starts from PyTorch's `Conv2d`
/// defaults (stride 1, padding 0, dilation 1, bias present); a lesson or the article supply
/// their own.
public struct LayerSetup: Sendable, Equatable, Encodable {
  /// One tensor's origin: `x` and `seeded small integers −2…3 (seed 0)`.
  public struct Origin: Sendable, Equatable {
    /// The tensor: `x`, `w`, `b` or `dy`.
    public var tensor: String
    /// Where its values came from: `file cat.png`, `preset sobel-x`, `the first lesson's`, ….
    public var source: String

    /// An origin.
    public init(tensor: String, source: String) {
      self.tensor = tensor
      self.source = source
    }
  }

  /// The settings in use that no flag or lesson line gave, with their values: `padding 0`,
  /// `bias = 0`, `dy = ones`, `seed 0`, ….
  public var defaults: [String]
  /// Where x, w, b and dy came from, in that order.
  public var origins: [Origin]

  /// A setup from its two lists.
  public init(defaults: [String] = [], origins: [Origin] = []) {
    self.defaults = defaults
    self.origins = origins
  }

  /// `defaults in use: stride 1, padding 0, dilation 1 (PyTorch's), bias = 0, …`.
  public var defaultsLine: String {
    "defaults in use: "
      + (defaults.isEmpty ? "none (every setting was given)" : defaults.joined(separator: ", "))
  }

  /// `tensors: x seeded small integers −2…3 (seed 0); w the first lesson's; b zeros; dy ones`;
  /// tensors of one source are named together (`x, w, b, dy from case.json`).
  public var originsLine: String {
    var groups: [(names: [String], source: String)] = []
    for o in origins {
      if let i = groups.firstIndex(where: { $0.source == o.source }) {
        groups[i].names.append(o.tensor)
      } else {
        groups.append(([o.tensor], o.source))
      }
    }
    return "tensors: "
      + groups.map { "\($0.names.joined(separator: ", ")) \($0.source)" }.joined(separator: "; ")
  }

  /// Both lines.
  public var lines: [String] { [defaultsLine, originsLine] }

  /// How an output gradient is named: `ones (L = Σ y)`, `random in −1…1 (seed 3)`, ….
  public static func source(of gradient: GradientSource) -> String {
    switch gradient {
    case .ones: return "ones (L = Σ y)"
    case .output: return "the output itself (L = ½ Σ y²)"
    case .random(let seed): return "seeded random in −1…1 (seed \(seed))"
    case .tensor: return "given values"
    }
  }

  // MARK: JSON

  private enum Keys: String, CodingKey { case defaults, tensors }

  private struct Name: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// `{"defaults": [...], "tensors": {"x": "...", "w": ..., "b": ..., "dy": ...}}`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(defaults, forKey: .defaults)
    var t = c.nestedContainer(keyedBy: Name.self, forKey: .tensors)
    for o in origins { try t.encode(o.source, forKey: Name(stringValue: o.tensor)) }
  }
}
