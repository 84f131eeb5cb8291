import Foundation
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
  /// The convolution's phases drawn as matrices (`u`): the unfolded input (im2col), the weight
  /// matrix and their product, as frameworks compute them (see `UnfoldPanels`).
  public var unfold = false

  /// The defaults.
  public init() {}
}

// MARK: - Playback

/// Playback speeds in steps per second, chosen with `+` and `-`: from half a step a second,
/// doubling, up to the speed that plays the whole phase in a few seconds (``topIndex(steps:)``).
///
/// Up to ``frameRate`` steps a second, each tick of the timer is one step and one frame. Faster,
/// the timer ticks at the frame rate and each tick moves by as many steps as the time since the
/// last one allows (``stepsPerPeriod(_:)``): the frames in between are skipped, not queued.
public enum Playback {
  /// The speeds offered: 0.5·2^k steps a second, up to 2^25 (about 33 million).
  public static let speeds: [Double] = (0...26).map { 0.5 * Double(1 << $0) }
  /// The default index into ``speeds`` (4 steps/s).
  public static let defaultIndex = 3
  /// The most frames a second playback draws.
  public static let frameRate = 60
  /// The longest a whole phase takes at its top speed, in seconds.
  public static let wholePhaseSeconds = 4.0

  /// The tick interval for a speed, in milliseconds: one step's time, or one frame's above
  /// ``frameRate``.
  public static func milliseconds(_ stepsPerSecond: Double) -> Int {
    if stepsPerSecond > Double(frameRate) { return 1000 / frameRate }
    return max(1, Int((1000 / stepsPerSecond).rounded()))
  }

  /// Steps one tick period moves at a speed (fractions carry over to the next tick).
  public static func stepsPerPeriod(_ stepsPerSecond: Double) -> Double {
    stepsPerSecond > Double(frameRate)
      ? stepsPerSecond * Double(milliseconds(stepsPerSecond)) / 1000 : 1
  }

  /// The fastest index worth offering for a phase of `steps` steps: the first speed that plays
  /// it within ``wholePhaseSeconds`` (and never below 256 steps/s).
  public static func topIndex(steps: Int) -> Int {
    let needed = max(256, Double(steps) / wholePhaseSeconds)
    return speeds.firstIndex { $0 >= needed } ?? speeds.count - 1
  }

  /// `0.5/s`, `4/s`, `512/s`, `16k/s`, `4.2M/s`.
  public static func label(_ stepsPerSecond: Double) -> String {
    if stepsPerSecond < 1 { return "\(stepsPerSecond)/s" }
    if stepsPerSecond < 10_000 { return "\(Int(stepsPerSecond))/s" }
    if stepsPerSecond < 1_000_000 { return "\(Int((stepsPerSecond / 1000).rounded()))k/s" }
    return String(format: "%.1fM/s", stepsPerSecond / 1_000_000)
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
