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
  /// The forward pass's input drawn as a picture (`p`): nil decides by the input (on for a
  /// colour picture), see `PictureView`.
  public var picture: Bool?
  /// The scale maps are drawn at (`z`); nil picks the best that fits.
  public var zoom: HeatGridZoom?

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
  /// A list to choose from (lessons, presets).
  case picker(Picker)
  /// The path prompt of `w` (write the configuration as a lesson file).
  case writeLesson(String)
}

// MARK: - Picker

/// A list of named items with a selection.
public struct Picker: Sendable, Hashable {
  /// What is being picked.
  public enum Kind: Sendable, Hashable {
    /// A shipped lesson.
    case lesson
    /// A kernel preset.
    case kernelPreset
    /// An input preset.
    case inputPreset
  }

  /// What is being picked.
  public var kind: Kind
  /// The names to choose from, with one line each.
  public var items: [(name: String, summary: String)]
  /// The selected row.
  public var selection: Int

  /// A picker.
  public init(kind: Kind, items: [(name: String, summary: String)], selection: Int = 0) {
    self.kind = kind
    self.items = items
    self.selection = selection
  }

  /// The title of the box.
  public var title: String {
    switch kind {
    case .lesson: return "Open a lesson"
    case .kernelPreset: return "Load a kernel preset"
    case .inputPreset: return "Load an input preset"
    }
  }

  /// Pickers are equal when they list the same names with the same selection.
  public static func == (a: Picker, b: Picker) -> Bool {
    a.kind == b.kind && a.selection == b.selection && a.items.map(\.name) == b.items.map(\.name)
  }

  /// Hashes what ``==`` compares.
  public func hash(into h: inout Hasher) {
    h.combine(kind)
    h.combine(selection)
    h.combine(items.map(\.name))
  }
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
