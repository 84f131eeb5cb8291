import ConvCore

// MARK: - ScenarioWords

/// The words that name a layer's data in a title, e.g. `photo:rgb (3×64×64) · kernel sobel-x`:
/// what the command line's flags build and what the viewer says after `I`, `K`, `R` or an edit.
public enum ScenarioWords {
  /// A file path's last component; a preset spec (`photo:rgb`, `digit:3`) as it is.
  public static func sourceName(_ argument: String) -> String {
    String(argument.split(separator: "/").last ?? Substring(argument))
  }

  /// The shape of an input `[N, C, H, W]` in words: `3×64×64`, with the batch first when there
  /// are several samples (`10×3×32×32`).
  public static func shape(ofInput shape: [Int]) -> String {
    let shown = shape.count == 4 && shape[0] == 1 ? Array(shape.dropFirst()) : shape
    return shown.map(String.init).joined(separator: "×")
  }

  /// An input by its source and shape: `photo:rgb (3×64×64)`.
  public static func input(_ source: String, shape: [Int]) -> String {
    "\(source) (\(self.shape(ofInput: shape)))"
  }

  /// A kernel by its source: `kernel sobel-x`.
  public static func kernel(_ source: String) -> String {
    "kernel \(source)"
  }

  /// A kernel without a name, by its size: `3×3 kernel`.
  public static func kernel(size: Size2) -> String {
    "\(size.h)×\(size.w) kernel"
  }

  /// The parts of a title, joined: `photo:rgb (3×64×64) · kernel sobel-x`.
  public static func title(_ parts: [String]) -> String {
    parts.joined(separator: " · ")
  }
}
