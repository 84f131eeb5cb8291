import ConvCore
import ConvStepper
import TermUI

// MARK: - ScreenLayout

/// Where everything goes on a screen of the model's size: computed by the view to draw and by
/// `update` to hit-test mouse clicks, so the two always agree.
struct ScreenLayout {
  /// The smallest screen the full layout needs.
  static let minimumWidth = 44
  /// The smallest screen the full layout needs.
  static let minimumHeight = 14

  /// The shortest screen that shows the lesson text as a subtitle.
  static let subtitleMinimumHeight = 22
  /// The shortest screen whose formula panel gets a line for each line of the formula (shorter
  /// screens get at most two).
  static let fullFormulaMinimumHeight = 30
  /// The narrowest a grid panel is made when panels get what their grids use.
  static let minimumPanelWidth = 12
  /// Columns a panel needs beyond its grid's columns, when widths are shared in proportion.
  static let panelColumnAllowance = 3
  /// The fewest rows under the panels that are worth a notes panel.
  static let minimumNotesHeight = 4

  /// A grid panel, the box it is drawn in and where its grid went.
  typealias PlacedPanel = (panel: GridPanel, box: Rect, layout: HeatGridLayout)

  let title: Rect
  let subtitle: Rect
  let panels: [PlacedPanel]
  let formula: Rect
  /// The notes under the panels (lesson text and facts), when there is room.
  let facts: Rect
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
    let hasSubtitle = h >= ScreenLayout.subtitleMinimumHeight && !model.scenario.text.isEmpty
    title = Rect(x: 0, y: 0, width: w, height: 1)
    subtitle = Rect(x: 0, y: 1, width: w, height: hasSubtitle ? 1 : 0)
    status = Rect(x: 0, y: h - 1, width: w, height: 1)
    message = Rect(x: 0, y: h - 2, width: w, height: 1)
    legend = Rect(x: 0, y: h - 3, width: w, height: 1)
    let formulaHeight = ScreenLayout.formulaHeight(model)
    formula = Rect(x: 0, y: h - 3 - formulaHeight, width: w, height: formulaHeight)
    let top = subtitle.maxY
    let main = Rect(x: 0, y: top, width: w, height: formula.y - top)
    guard !tooSmall else {
      panels = []
      facts = .zero
      return
    }
    let placed = ScreenLayout.placePanels(model, in: main)
    panels = placed.panels
    facts = placed.facts
  }

  /// The formula panel's height, borders included: a line per formula line (3 for the backward
  /// pass and the update, 2 otherwise, and the lines of the user's numbers), at most 2 on short
  /// screens.
  static func formulaHeight(_ model: Model) -> Int {
    let formulaLines =
      (model.phase == .backward || model.phase == .update ? 3 : 2)
      + (model.comparison == nil ? 0 : Chrome.maximumComparisonLines)
    return model.height >= fullFormulaMinimumHeight
      ? formulaLines + 2 : min(formulaLines, 2) + 2
  }

  /// The grid panels side by side in `main`, and the notes area under them when there is room.
  static func placePanels(_ model: Model, in main: Rect) -> (panels: [PlacedPanel], facts: Rect) {
    var built = PhasePanels.build(model)
    let caps = model.capabilities
    func layouts(_ widths: [Constraint]) -> [PlacedPanel] {
      let boxes = Layout.split(main, .horizontal, widths)
      return zip(built, boxes).map { p, box in
        (p, box, HeatGrid(model: p.grid, capabilities: caps).layout(in: Panel.inner(box)))
      }
    }
    func proportional() -> [Constraint] {
      built.map { .fill($0.grid.cols + panelColumnAllowance) }
    }
    // 1. Widths in proportion to the columns; every grid picks its best tile.
    var placed = layouts(proportional())
    // 2. One tile height for all, so a value looks the same size in every panel.
    let height = placed.map(\.layout.cellHeight).min() ?? 1
    for i in built.indices { built[i].grid.maxCellHeight = height }
    placed = layouts(proportional())
    // 3. Each panel gets what its grid uses, and the rest is shared in proportion.
    let used = placed.map { p -> Int in
      let g = p.layout.gridRect
      return g.isEmpty ? minimumPanelWidth : max(minimumPanelWidth, g.maxX - p.box.x + 2)
    }
    if used.reduce(0, +) <= main.width {
      placed = layouts(used.map { .fill($0) })
    }
    return shortened(placed, in: main, capabilities: caps)
  }

  /// Panels as tall as their grids, the rest of the height holding the notes (when at least
  /// ``minimumNotesHeight`` rows are left; otherwise the panels keep all of `main`).
  static func shortened(_ placed: [PlacedPanel], in main: Rect, capabilities caps: Capabilities)
    -> (panels: [PlacedPanel], facts: Rect)
  {
    let needed =
      placed.map { p -> Int in
        p.layout.gridRect.isEmpty ? p.box.height : p.layout.gridRect.maxY - p.box.y + 1
      }.max() ?? main.height
    let notes = main.height - needed
    guard notes >= minimumNotesHeight else { return (placed, .zero) }
    let short = Rect(x: main.x, y: main.y, width: main.width, height: needed)
    let boxes = Layout.split(short, .horizontal, placed.map { .fill($0.box.width) })
    let panels = zip(placed, boxes).map { p, box in
      (
        p.panel, box,
        HeatGrid(model: p.panel.grid, capabilities: caps).layout(in: Panel.inner(box))
      )
    }
    return (panels, Rect(x: main.x, y: main.y + needed, width: main.width, height: notes))
  }

  /// The output map cell at screen `(x, y)`, as `(filter, row, column)` of the current map.
  func outputCell(atX x: Int, y: Int) -> (filter: Int, row: Int, column: Int)? {
    for p in panels where p.panel.role == .output {
      if let cell = p.layout.hitTest(x: x, y: y) { return (filter, cell.row, cell.col) }
    }
    return nil
  }
}
