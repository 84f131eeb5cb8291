import ConvCore
import ConvStepper
import TermUI

// MARK: - ScreenLayout

/// Where everything goes on a screen of the model's size: computed by the view to draw and by
/// `update` to hit-test mouse clicks, so the two always agree.
///
/// The terminal is allocated by content, top to bottom:
/// 1. the one-line chrome (title, subtitle, legend, message, status);
/// 2. the formula, as many lines as it needs to show every term (at most a third of the rest
///    while the maps need the room);
/// 3. the grid panels (see ``PanelPlacement``): kernels first, at the width that shows every
///    value as a number, the maps sharing the rest and growing to fill it;
/// 4. the notes, in what the panels leave (when at least ``minimumNotesHeight`` rows), and
///    the panels get that room back when a map is scrolled and the notes would keep more than
///    two blank lines.
struct ScreenLayout {
  /// The smallest screen the full layout needs.
  static let minimumWidth = 44
  /// The smallest screen the full layout needs.
  static let minimumHeight = 14

  /// The shortest screen that shows the lesson text as a subtitle.
  static let subtitleMinimumHeight = 22
  /// The fewest rows under the panels that are worth a notes panel.
  static let minimumNotesHeight = 3
  /// The formula lines always kept (borders excluded), when it has that many.
  static let minimumFormulaLines = 2

  /// A grid panel, the box it is drawn in and where its grid went.
  typealias PlacedPanel = (panel: GridPanel, box: Rect, layout: HeatGridLayout)

  let title: Rect
  let subtitle: Rect
  let panels: [PlacedPanel]
  let formula: Rect
  /// The notes under the panels (lesson text and facts), when there is room.
  let facts: Rect
  /// The notes' text, built once a frame (it is measured here and drawn by the view).
  let notes: [String]
  let legend: Rect
  let message: Rect
  let status: Rect
  let tooSmall: Bool
  /// The filter of the output map shown (what a click selects in).
  let filter: Int

  init(_ model: Model) {
    filter = model.currentWindow?.filter ?? 0
    let w = model.width
    let h = model.height
    tooSmall = w < ScreenLayout.minimumWidth || h < ScreenLayout.minimumHeight
    title = Rect(x: 0, y: 0, width: w, height: 1)
    status = Rect(x: 0, y: h - 1, width: w, height: 1)
    message = Rect(x: 0, y: h - 2, width: w, height: 1)
    legend = Rect(x: 0, y: h - 3, width: w, height: 1)
    guard !tooSmall else {
      notes = []
      subtitle = Rect(x: 0, y: 1, width: w, height: 0)
      panels = []
      facts = .zero
      formula = Rect(x: 0, y: legend.y - 3, width: w, height: 3)
      return
    }
    // Measured once for the frame: the panels to try and what the formula and notes need.
    let sets = PanelSets(model)
    notes = Facts.lines(model)
    let needs = (
      formula: Chrome.formulaLinesNeeded(model, width: max(0, w - 2)) + 2,
      notes: Chrome.notesLinesNeeded(notes, model, width: max(0, w - 2)) + 2
    )
    // The notes hold the lesson's text; without room for them, a subtitle line does.
    var split = ScreenLayout.split(
      sets, needs, main: Rect(x: 0, y: 1, width: w, height: legend.y - 1))
    let hasSubtitle =
      split.facts.isEmpty && h >= ScreenLayout.subtitleMinimumHeight
      && !model.scenario.text.isEmpty
    if hasSubtitle {
      split = ScreenLayout.split(
        sets, needs, main: Rect(x: 0, y: 2, width: w, height: legend.y - 2))
    }
    subtitle = Rect(x: 0, y: 1, width: w, height: hasSubtitle ? 1 : 0)
    panels = split.panels
    formula = split.formula
    facts = split.facts
  }

  // MARK: Splitting the main area

  /// The panels, notes and formula in `main` (everything between the subtitle and the legend),
  /// given the rows the formula and the notes need (borders included).
  static func split(
    _ sets: PanelSets, _ needs: (formula: Int, notes: Int), main: Rect
  ) -> (panels: [PlacedPanel], facts: Rect, formula: Rect) {
    let formulaNeed = needs.formula
    // The formula keeps its first lines; it gets the rest of its need when the panels leave it.
    let formulaFloor = min(formulaNeed, minimumFormulaLines + 2)
    let formulaCap = max(formulaFloor, main.height / 3)
    let reserved = min(formulaNeed, formulaCap)
    var placement = placePanels(sets, in: main.with(height: max(0, main.height - reserved)))
    var used = placement.height
    var formulaHeight = min(formulaNeed, max(formulaFloor, main.height - used))
    var rest = main.height - used - formulaHeight
    // Notes as tall as their text; rows beyond that go back to a scrolled map.
    let notesNeed = needs.notes
    if rest > notesNeed + 2, placement.truncated {
      let taller = main.with(height: main.height - formulaHeight - notesNeed)
      let again = placePanels(sets, in: taller)
      if again.height > used {
        placement = again
        used = again.height
        formulaHeight = min(formulaNeed, max(formulaFloor, main.height - used))
        rest = main.height - used - formulaHeight
      }
    }
    let facts =
      rest >= minimumNotesHeight
      ? Rect(x: main.x, y: main.y + used, width: main.width, height: rest) : .zero
    // Without notes, the formula takes the rows left (blank lines inside it, not loose ones).
    if facts.isEmpty { formulaHeight = main.height - used }
    let formula = Rect(
      x: main.x, y: main.maxY - formulaHeight, width: main.width, height: formulaHeight)
    return (placement.panels, facts, formula)
  }

  /// The phase's panels placed in `area`, kernels showing every value: all channels in
  /// numbers, else one channel (the one `c` would show first), else shades (the title says
  /// so), else squeezed as they come.
  static func placePanels(_ sets: PanelSets, in area: Rect) -> PanelPlacement {
    let caps = sets.model.capabilities
    var last: PanelPlacement?
    for k in 0..<PanelSets.count {
      guard let panels = sets.attempt(k) else { continue }
      let p = PanelPlacement.place(panels, in: area, capabilities: caps)
      if p.kernelsWhole { return p }
      last = p
    }
    return last ?? PanelPlacement(panels: [], height: 0, truncated: false)
  }

  /// `panels` with the kernels in shades and their titles saying so (nil when nothing changes).
  static func shaded(_ panels: [GridPanel]) -> [GridPanel]? {
    guard panels.contains(where: { $0.role == .kernel && $0.grid.mode != .shades }) else {
      return nil
    }
    return panels.map { p in
      guard p.role == .kernel, p.grid.mode != .shades else { return p }
      var q = p
      q.grid.mode = .shades
      q.title += " · shades"
      return q
    }
  }

  // MARK: The panel sets tried

  /// The panel sets ``placePanels(_:in:)`` tries, in order: all channels, one channel, then
  /// both with the kernels in shades. Each is built when first asked for and kept for the
  /// frame (building reads whole maps, so a frame builds as few as it can).
  final class PanelSets {
    /// How many sets there are (some may be nil).
    static let count = 4
    let model: Model
    private var cache: [Int: [GridPanel]?] = [:]

    init(_ model: Model) { self.model = model }

    /// Set `k`, or nil when it is the same as an earlier one.
    func attempt(_ k: Int) -> [GridPanel]? {
      if let done = cache[k] { return done }
      let made: [GridPanel]?
      switch k {
      case 0: made = PhasePanels.build(model)
      case 1:
        if model.channel == nil && model.trace.geometry.config.inChannels > 1 {
          var one = model
          one.channel = PhasePanels.shownChannel(model)
          made = PhasePanels.build(one)
        } else {
          made = nil
        }
      default: made = attempt(k - 2).flatMap(ScreenLayout.shaded)
      }
      cache[k] = made
      return made
    }
  }

  /// The output map cell at screen `(x, y)`, as `(filter, row, column)` of the current map.
  func outputCell(atX x: Int, y: Int) -> (filter: Int, row: Int, column: Int)? {
    for p in panels where p.panel.role == .output {
      if let cell = p.layout.hitTest(x: x, y: y) {
        return p.panel.hit.map { $0(cell) } ?? (filter, cell.row, cell.col)
      }
    }
    return nil
  }
}

extension Rect {
  /// This rectangle with another height (same top).
  func with(height: Int) -> Rect { Rect(x: x, y: y, width: width, height: max(0, height)) }
}
