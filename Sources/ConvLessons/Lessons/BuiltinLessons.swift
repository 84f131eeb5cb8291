import ConvCore
import ConvFormats
import Foundation

// MARK: - BuiltinLessons

/// The lessons that ship with convscope: the files in `lessons/`, which SwiftPM embeds in the
/// program (`Resources/` in this target links to them).
public enum BuiltinLessons {
  /// One shipped lesson.
  public struct Entry: Sendable {
    /// The name to pass to `--lesson`.
    public var name: String
    /// The lesson file's text.
    public var text: String
    /// Its title (the `title:` line).
    public var title: String
  }

  /// The shipped lessons' names and file bytes, in teaching order. A new lesson needs its line
  /// here (a test checks that every file in `lessons/` has one).
  private static let files: [(name: String, bytes: [UInt8])] = [
    ("first", PackageResources.first_lesson),
    ("padding", PackageResources.padding_lesson),
    ("stride", PackageResources.stride_lesson),
    ("dilation", PackageResources.dilation_lesson),
    ("im2col", PackageResources.im2col_lesson),
    ("padding-modes", PackageResources.padding_modes_lesson),
    ("rgb-edges", PackageResources.rgb_edges_lesson),
    ("impulse-backward", PackageResources.impulse_backward_lesson),
    ("conv-relu-pool", PackageResources.conv_relu_pool_lesson),
    ("depthwise-separable", PackageResources.depthwise_separable_lesson),
    ("pointwise", PackageResources.pointwise_lesson),
    ("transposed", PackageResources.transposed_lesson),
    ("article", PackageResources.article_lesson),
  ]

  /// The shipped lessons' names and texts, in teaching order.
  static var texts: [(name: String, text: String)] {
    files.map { ($0.name, String(decoding: $0.bytes, as: UTF8.self)) }
  }

  /// Every shipped lesson, in teaching order.
  public static var all: [Entry] {
    texts.map { e in
      let title =
        e.text.split(separator: "\n").first { $0.hasPrefix("title:") }
        .map { $0.dropFirst(6).trimmingCharacters(in: .whitespaces) } ?? e.name
      return Entry(name: e.name, text: e.text, title: title)
    }
  }

  /// The lesson called `name` (case-insensitive; `.lesson` may be given).
  public static func named(_ name: String) -> Entry? {
    var n = name.lowercased()
    if n.hasSuffix(".lesson") { n = String(n.dropLast(7)) }
    return all.first { $0.name == n }
  }

  /// The request of a shipped lesson or of a lesson file at `argument`.
  public static func request(for argument: String) throws -> ScenarioRequest {
    if FileReading.exists(argument) { return try LessonFile.load(path: argument) }
    guard let entry = named(argument) else {
      throw InputError(
        source: argument,
        "no such lesson file, and no shipped lesson of that name (shipped: "
          + all.map(\.name).joined(separator: ", ") + ")")
    }
    return try LessonFile.parse(entry.text, source: "lesson \(entry.name)")
  }

  /// `convscope lessons`: one line a lesson.
  public static func listing() -> String {
    let width = all.map(\.name.count).max() ?? 0
    return all.map { $0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.title }
      .joined(separator: "\n")
  }
}
