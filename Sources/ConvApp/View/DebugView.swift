import ConvCore
import ConvDebug
import ConvStepper
import NumberText
import TermUI

// MARK: - Gradient-check maps

extension PhasePanels {
  /// The relative error of every checked cell (finite differences against the backward pass),
  /// as maps: dx of the shown sample and channel, dw of the current filter, db.
  static func gradcheckPanels(_ model: Model, _ check: GradcheckResult, _ w: WindowRef)
    -> [GridPanel]
  {
    let ch = shownChannel(model)
    let maps: [(CheckedTensor, ErrorMap?)] = [
      (.dx, check.map(.dx, plane: (w.sample, ch))), (.dw, check.map(.dw, plane: (w.filter, ch))),
      (.db, check.map(.db)),
    ]
    return maps.compactMap { name, map in
      guard let map else { return nil }
      let values = map.values
      var grid = HeatGridModel(rows: map.rows, cols: map.columns, range: 1) { r, c in
        let i = r * map.columns + c
        return i < values.count ? values[i].map { Float($0) } : nil
      }
      grid.decimals = 1
      let worst = check.tensor(name)?.maxRelativeError ?? 0
      return GridPanel(
        title: "relative error of \(map.title)",
        note: "max \(NumberFormat.short(Float(worst)))", grid: grid, role: .other,
        range: Float(check.threshold))
    }
  }
}

// MARK: - The comparison in the formula panel and the status bar

enum DebugChrome {
  /// One line of the comparison: its text and whether it reports a difference (drawn in the
  /// error style) or an agreement (the success style).
  struct ComparisonLine: Equatable {
    var text: String
    var differs: Bool
  }

  /// Up to `limit` lines "y[…]: yours a ≠ correct b" for the cells the current step shows
  /// (differing ones first).
  static func comparisonLines(_ m: Model, limit: Int) -> [ComparisonLine] {
    guard let c = m.comparison, let w = m.currentWindow, limit > 0 else { return [] }
    let cells = c.cells(inWindow: w.global, of: m.phase)
    let ascii = !m.capabilities.unicode
    let differing = cells.filter(\.differs)
    let shown = (differing.isEmpty ? Array(cells.prefix(1)) : Array(differing.prefix(limit)))
    var lines = shown.map { ComparisonLine(text: $0.text(ascii: ascii), differs: $0.differs) }
    if differing.count > limit {
      lines[lines.count - 1].text += "  (+\(differing.count - limit) more differing here)"
    }
    return lines
  }

  /// `✗ 12 cells differ · n/N` or `✓ your numbers agree`.
  static func statusSegment(_ m: Model, theme: Theme) -> StatusSegment? {
    guard m.comparison != nil else { return nil }
    let count = m.mismatchCount
    let sym = m.capabilities.symbols
    return count == 0
      ? StatusSegment(sym.passed + " your numbers agree", style: theme.success, priority: 9)
      : StatusSegment(
        "\(sym.failed) \(count) cell\(count == 1 ? "" : "s") differ · n/N",
        style: theme.error,
        priority: 9)
  }
}
