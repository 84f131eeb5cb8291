import ConvFormats
import Foundation
import Testing

// MARK: - FormatFixtures

/// `Tests/Fixtures/formats/` (written by `scripts/make_format_fixtures.py`) and its manifest.
public enum FormatFixtures {
  /// The repository root (two levels above this file's folder).
  public static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// `Tests/Fixtures/formats`.
  public static let directory = root.appendingPathComponent("Tests/Fixtures/formats")

  /// The path of a fixture, relative to `Tests/Fixtures/formats`.
  public static func path(_ relative: String) -> String {
    directory.appendingPathComponent(relative).path
  }

  /// The bytes of a fixture; a missing one fails the test with a message.
  public static func bytes(_ relative: String, sourceLocation: SourceLocation = #_sourceLocation)
    throws
    -> [UInt8]
  {
    let p = path(relative)
    guard let data = FileManager.default.contents(atPath: p) else {
      Issue.record(
        "missing fixture \(p): run scripts/make_format_fixtures.py",
        sourceLocation: sourceLocation)
      throw Missing()
    }
    return Array(data)
  }

  /// A fixture that is missing or malformed (the test has already recorded why).
  public struct Missing: Error {}

  // MARK: Manifest

  /// A file the readers must load, and what they must produce.
  public struct Case {
    /// The fixture, relative to `Tests/Fixtures/formats`.
    public var file: String
    /// The options to load it with.
    public var options: LoadOptions
    /// The shape the reader must produce.
    public var shape: [Int]
    /// The values the reader must produce (row-major).
    public var values: [Float]
    /// Whether the reader must mark it as an image.
    public var isImage: Bool
    /// The format the reader must detect (`npy`, `png`, …).
    public var format: String
    /// How many NaNs the load must count.
    public var nan: Int
    /// How many +∞ the load must count.
    public var posinf: Int
    /// How many −∞ the load must count.
    public var neginf: Int
    /// How far a value may be from the expected one (0: exactly).
    public var tolerance: Float
    /// Words the load's notes must contain.
    public var notesContain: [String]
  }

  /// A file the readers must refuse, and words the message must contain.
  public struct ErrorCase {
    /// The fixture, relative to `Tests/Fixtures/formats`.
    public var file: String
    /// The options to load it with.
    public var options: LoadOptions
    /// Words the one-line error must contain.
    public var contains: [String]
  }

  /// A tensor the NPY writer must encode exactly like `np.save`.
  public struct WriterCase {
    /// The file `np.save` wrote, relative to `Tests/Fixtures/formats`.
    public var file: String
    /// The tensor's shape.
    public var shape: [Int]
    /// The tensor's values (row-major).
    public var values: [Float]
  }

  /// A preset and what it must hold (from textbook definitions and the original data sets).
  public struct PresetCase {
    /// The preset as given on the command line, e.g. `digit:3`.
    public var spec: String
    /// `kernel` or `input`.
    public var kind: String
    /// The input channels a kernel preset is made for.
    public var channels: Int
    /// The options an input preset is loaded with.
    public var options: LoadOptions
    /// The shape the preset must have.
    public var shape: [Int]
    /// Expected values, or every `stride`-th one (row-major).
    public var values: [Float]
    /// 1, or the step between the values listed in ``values``.
    public var stride: Int
    /// How far a value may be from the expected one (0: exactly).
    public var tolerance: Float
  }

  /// Everything `manifest.json` lists.
  public struct Manifest {
    /// The files the readers must load.
    public var cases: [Case]
    /// The files the readers must refuse.
    public var errors: [ErrorCase]
    /// The tensors the NPY writer must encode.
    public var writer: [WriterCase]
    /// The presets and what they must hold.
    public var presets: [PresetCase]
  }

  /// The parsed manifest; a missing or malformed one fails the test with a message.
  public static func manifest(sourceLocation: SourceLocation = #_sourceLocation) throws -> Manifest
  {
    let raw = try bytes("manifest.json", sourceLocation: sourceLocation)
    guard let root = try JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any],
      let files = root["files"] as? [[String: Any]],
      let errors = root["errors"] as? [[String: Any]],
      let writer = root["writer"] as? [[String: Any]],
      let presets = root["presets"] as? [[String: Any]]
    else {
      Issue.record("malformed manifest.json", sourceLocation: sourceLocation)
      throw Missing()
    }
    return Manifest(
      cases: files.map { f in
        Case(
          file: f["file"] as? String ?? "?", options: options(f["options"]),
          shape: f["shape"] as? [Int] ?? [-1], values: floats(f["values"]),
          isImage: f["is_image"] as? Bool ?? false, format: f["format"] as? String ?? "?",
          nan: f["nan"] as? Int ?? -1, posinf: f["posinf"] as? Int ?? -1,
          neginf: f["neginf"] as? Int ?? -1,
          tolerance: Float(f["tolerance"] as? Double ?? 0),
          notesContain: f["notes_contain"] as? [String] ?? [])
      },
      errors: errors.map { e in
        ErrorCase(
          file: e["file"] as? String ?? "?", options: options(e["options"]),
          contains: e["contains"] as? [String] ?? [])
      },
      writer: writer.map { w in
        WriterCase(
          file: w["file"] as? String ?? "?", shape: w["shape"] as? [Int] ?? [-1],
          values: floats(w["values"]))
      },
      presets: presets.map { p in
        var values = floats(p["values"])
        if let divisor = p["divisor"] as? Double {
          values = values.map { $0 / Float(divisor) }
        }
        return PresetCase(
          spec: p["spec"] as? String ?? "?", kind: p["kind"] as? String ?? "?",
          channels: p["channels"] as? Int ?? 0, options: options(p["options"]),
          shape: p["shape"] as? [Int] ?? [-1], values: values, stride: p["stride"] as? Int ?? 1,
          tolerance: Float(p["tolerance"] as? Double ?? 0))
      })
  }

  /// Load options from a manifest entry's `options` object (absent keys keep the defaults).
  public static func options(_ any: Any?) -> LoadOptions {
    let o = any as? [String: Any] ?? [:]
    var options = LoadOptions()
    if let grey = o["grey"] as? Bool { options.grey = grey }
    if let center = o["center"] as? Bool { options.center = center }
    if let maxSize = o["max_size"] as? Int { options.maxSize = maxSize }
    return options
  }

  /// Numbers, with "nan", "inf" and "-inf" for the values JSON cannot hold.
  public static func floats(_ any: Any?) -> [Float] {
    (any as? [Any] ?? []).map { v in
      if let d = v as? Double { return Float(d) }
      switch v as? String {
      case "nan": return .nan
      case "inf": return .infinity
      case "-inf": return -.infinity
      default: return .signalingNaN
      }
    }
  }
}

// MARK: - Comparison

/// Whether two value lists agree: NaN matches NaN, infinities match exactly, and finite values
/// agree within `tolerance` (0: bit-for-bit equal, except `-0 == 0`).
public func sameValues(_ a: [Float], _ b: [Float], tolerance: Float) -> Bool {
  guard a.count == b.count else { return false }
  for (x, y) in zip(a, b) {
    if x.isNaN || y.isNaN {
      if !(x.isNaN && y.isNaN) { return false }
    } else if x.isInfinite || y.isInfinite {
      if x != y { return false }
    } else if tolerance == 0 ? x != y : abs(x - y) > tolerance {
      return false
    }
  }
  return true
}

/// The message of the `InputError` that `body` throws, or nil when it throws none (other
/// errors are returned as "not an InputError: …" so the expectation fails visibly).
public func inputErrorMessage(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch let error as InputError {
    return error.message
  } catch {
    return "not an InputError: \(error)"
  }
}
