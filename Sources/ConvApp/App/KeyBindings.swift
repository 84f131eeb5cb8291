import TermUI

// MARK: - Action

/// What a key does. The help screen is generated from the same table that `update` reads, so
/// the two cannot disagree.
public enum Action: Sendable, Hashable, CaseIterable {
  case next, previous, nextRow, previousRow
  case playPause, faster, slower
  case first, last, goTo
  case nextPhase, previousPhase, nextFilter, previousFilter, nextSample, previousSample
  case channel, granularity, valueMode, scaleScope, palette, formulaStyle, pictureView, zoom
  case unfold, transposedView
  case help, quit
  case edit, lessonPicker, kernelPicker, inputPicker, randomise, reset, writeLesson, paddingMode
  case exportFrame, record
  case nextMismatch, previousMismatch, gradientCheck, exportCode
  case practice
}

// MARK: - KeyBindings

/// The keys, in vim and less habits.
public enum KeyBindings {
  /// One binding: the keys, how help shows them, what they do.
  public struct Binding: Sendable {
    /// The keys.
    public var keys: [Key]
    /// The keys as help shows them.
    public var label: String
    /// What they do.
    public var help: String
    /// The action (nil for entries that only document, like the mouse).
    public var action: Action?
  }

  /// Every binding, grouped as help shows them.
  public static let sections: [(title: String, bindings: [Binding])] = [
    (
      "Walk",
      [
        Binding(keys: [.right, .character("l")], label: "→ l", help: "next step", action: .next),
        Binding(
          keys: [.left, .character("h")], label: "← h", help: "previous step", action: .previous),
        Binding(
          keys: [.down, .character("j")], label: "↓ j", help: "next output row (same column)",
          action: .nextRow),
        Binding(
          keys: [.up, .character("k")], label: "↑ k", help: "previous output row",
          action: .previousRow),
        Binding(
          keys: [.character("g"), .home], label: "g Home", help: "first step", action: .first),
        Binding(keys: [.character("G"), .end], label: "G End", help: "last step", action: .last),
        Binding(keys: [.character(":")], label: ":", help: "go to a step number", action: .goTo),
        Binding(keys: [.character(" ")], label: "Space", help: "play / pause", action: .playPause),
        Binding(
          keys: [.character("+"), .character("=")], label: "+",
          help: "faster (×2, up to the whole phase in 4 s)", action: .faster),
        Binding(
          keys: [.character("-"), .character("_")], label: "-", help: "slower (÷2)", action: .slower
        ),
        Binding(
          keys: [.character("m")], label: "m", help: "step size: tap / window / row / filter",
          action: .granularity),
      ]
    ),
    (
      "Choose",
      [
        Binding(
          keys: [.tab], label: "Tab", help: "next phase (forward → backward → update)",
          action: .nextPhase),
        Binding(
          keys: [.backTab], label: "Shift-Tab", help: "previous phase", action: .previousPhase),
        Binding(keys: [.character("f")], label: "f", help: "next filter", action: .nextFilter),
        Binding(
          keys: [.character("F")], label: "F", help: "previous filter", action: .previousFilter),
        Binding(keys: [.character("b")], label: "b", help: "next sample", action: .nextSample),
        Binding(
          keys: [.character("B")], label: "B", help: "previous sample", action: .previousSample),
        Binding(
          keys: [.character("c")], label: "c", help: "input channel: all / 0 / 1 / …",
          action: .channel),
        Binding(
          keys: [], label: "click", help: "a click on an output cell jumps to its window",
          action: nil),
      ]
    ),
    (
      "Your own data",
      [
        Binding(
          keys: [.character("i")], label: "i",
          help: "edit values in place (input, kernel, bias, dy)", action: .edit),
        Binding(keys: [.character("L")], label: "L", help: "open a lesson", action: .lessonPicker),
        Binding(
          keys: [.character("K")], label: "K", help: "load a kernel preset", action: .kernelPicker),
        Binding(
          keys: [.character("I")], label: "I", help: "load an input preset", action: .inputPicker),
        Binding(
          keys: [.character("R")], label: "R", help: "randomise input and kernel (new seed)",
          action: .randomise),
        Binding(
          keys: [.character("o")], label: "o",
          help: "padding mode: zeros / reflect / replicate / circular", action: .paddingMode),
        Binding(
          keys: [.character("r")], label: "r", help: "reset to the configuration as opened",
          action: .reset),
        Binding(
          keys: [.character("w")], label: "w", help: "write the configuration as a lesson file",
          action: .writeLesson),
      ]
    ),
    (
      "Debug your own convolution",
      [
        Binding(
          keys: [.character("n")], label: "n",
          help: "next window where your numbers differ (--check-y/dx/dw/db)", action: .nextMismatch),
        Binding(
          keys: [.character("N")], label: "N", help: "previous differing window",
          action: .previousMismatch),
        Binding(
          keys: [.character("D")], label: "D",
          help: "gradient check: finite differences vs the backward pass, as error maps",
          action: .gradientCheck),
        Binding(
          keys: [.character("C")], label: "C", help: "write NumPy code that reproduces this layer",
          action: .exportCode),
      ]
    ),
    (
      "Show",
      [
        Binding(
          keys: [.character("v")], label: "v", help: "numbers / shades / both / auto",
          action: .valueMode),
        Binding(
          keys: [.character("p")], label: "p", help: "input as a colour picture / values",
          action: .pictureView),
        Binding(
          keys: [.character("z")], label: "z",
          help: "zoom maps: 1 cell a value / half blocks / numbers / auto", action: .zoom),
        Binding(
          keys: [.character("u")], label: "u",
          help: "unfold: the window loop as one matrix product (im2col)", action: .unfold),
        Binding(
          keys: [.character("t")], label: "t",
          help: "transposed conv: stamps / zero insertion / the conv2d it is the backward of",
          action: .transposedView),
        Binding(
          keys: [.character("s")], label: "s", help: "colour range per map / shared",
          action: .scaleScope),
        Binding(
          keys: [.character("P")], label: "P", help: "palette (incl. colour-blind safe)",
          action: .palette),
        Binding(
          keys: [.character("e")], label: "e", help: "formula: numbers / symbols",
          action: .formulaStyle),
        Binding(
          keys: [.character("x")], label: "x", help: "export this frame as SVG (for slides)",
          action: .exportFrame),
        Binding(
          keys: [.character("X")], label: "X", help: "start / stop recording the session (.cast)",
          action: .record),
        Binding(
          keys: [.character("Q")], label: "Q",
          help: "practice: questions on this layer, checked at once", action: .practice),
        Binding(keys: [.character("?")], label: "?", help: "this help", action: .help),
        Binding(
          keys: [.character("q")], label: "q", help: "quit (Esc closes an overlay first)",
          action: .quit),
      ]
    ),
  ]

  /// The action bound to `key`, if any.
  public static func action(for key: Key) -> Action? {
    for section in sections {
      for b in section.bindings where b.keys.contains(key) {
        return b.action
      }
    }
    return nil
  }

  /// The help overlay's sections.
  public static var helpSections: [HelpSection] { helpSections(backTo: nil) }

  /// The help overlay's sections for a viewer opened from another screen (`backTo` names it):
  /// there `q` goes back rather than quitting, and the keys say so.
  public static func helpSections(backTo: String?) -> [HelpSection] {
    sections.map { s in
      HelpSection(
        s.title,
        s.bindings.map { b in
          guard b.action == .quit, let backTo else { return HelpSection.Entry(b.label, b.help) }
          return HelpSection.Entry(b.label, "back to \(backTo) (Esc closes an overlay first)")
        })
    }
  }
}
