import TermUI

// MARK: - DisplayOptions

/// How values are drawn; changed by keys, independent of the layer.
public struct DisplayOptions: Sendable, Hashable {
  /// Numbers, shades, or both (`auto` picks numbers when they fit).
  public var mode: HeatGridMode = .auto
  /// One colour range for all maps of the phase (true) or one per map (false).
  public var sharedScale = false
  /// The diverging palette.
  public var palette: Palette = .redBlue
  /// Formulas with symbols (`x₁₂·w₀₀`) instead of numbers.
  public var symbolic = false

  /// The defaults.
  public init() {}
}

// MARK: - Playback

/// Playback speeds in steps per second, chosen with `+` and `-`.
public enum Playback {
  /// The speeds offered.
  public static let speeds: [Double] = [0.5, 1, 2, 4, 8, 15, 30, 60, 120, 240]
  /// The default index into ``speeds`` (4 steps/s).
  public static let defaultIndex = 3

  /// The tick interval for a speed, in milliseconds.
  public static func milliseconds(_ stepsPerSecond: Double) -> Int {
    max(1, Int((1000 / stepsPerSecond).rounded()))
  }

  /// `0.5/s`, `4/s`.
  public static func label(_ stepsPerSecond: Double) -> String {
    stepsPerSecond < 1 ? "\(stepsPerSecond)/s" : "\(Int(stepsPerSecond))/s"
  }
}

// MARK: - Overlay

/// A modal layer over the screen.
public enum Overlay: Sendable, Hashable {
  /// The key help, scrolled by `scroll` lines.
  case help(scroll: Int)
  /// The `:` prompt for a step number, with what was typed so far.
  case goTo(String)
}

// MARK: - Message

/// A one-line message shown until the next key.
public struct Message: Sendable, Hashable {
  /// The text.
  public var text: String
  /// Info, warning or error.
  public var kind: MessageLine.Kind

  /// A message.
  public init(_ text: String, kind: MessageLine.Kind = .info) {
    self.text = text
    self.kind = kind
  }
}
