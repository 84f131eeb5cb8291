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

  let title: Rect
  let subtitle: Rect
  let panels: [(panel: GridPanel, box: Rect, layout: HeatGridLayout)]
  let formula: Rect
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
    let hasSubtitle = h >= 22 && !model.scenario.text.isEmpty
    title = Rect(x: 0, y: 0, width: w, height: 1)
    subtitle = Rect(x: 0, y: 1, width: w, height: hasSubtitle ? 1 : 0)
    status = Rect(x: 0, y: h - 1, width: w, height: 1)
    message = Rect(x: 0, y: h - 2, width: w, height: 1)
    legend = Rect(x: 0, y: h - 3, width: w, height: 1)
    let formulaLines = model.phase == .backward || model.phase == .update ? 3 : 2
    let formulaHeight = h >= 30 ? formulaLines + 2 : min(formulaLines, 2) + 2
    formula = Rect(x: 0, y: h - 3 - formulaHeight, width: w, height: formulaHeight)
    let top = subtitle.maxY
    let main = Rect(x: 0, y: top, width: w, height: formula.y - top)
    guard !tooSmall else {
      panels = []
      return
    }
    let built = PhasePanels.build(model)
    // Widths in proportion to what each grid would like, within limits.
    let weights = built.map { p -> Int in
      max(10, min(3 * main.width / 4, p.grid.cols * (p.role == .kernel ? 5 : 4) + 4))
    }
    let boxes = Layout.split(main, .horizontal, weights.map { .fill($0) })
    var placed: [(panel: GridPanel, box: Rect, layout: HeatGridLayout)] = []
    for (p, box) in zip(built, boxes) {
      let inner = Panel.inner(box)
      let layout = HeatGrid(model: p.grid, capabilities: model.capabilities).layout(in: inner)
      placed.append((p, box, layout))
    }
    panels = placed
  }

  /// The output map cell at screen `(x, y)`, as `(filter, row, column)` of the current map.
  func outputCell(atX x: Int, y: Int) -> (filter: Int, row: Int, column: Int)? {
    for p in panels where p.panel.role == .output {
      if let cell = p.layout.hitTest(x: x, y: y) { return (filter, cell.row, cell.col) }
    }
    return nil
  }
}
