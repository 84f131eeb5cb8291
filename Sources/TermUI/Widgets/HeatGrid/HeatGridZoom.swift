// MARK: - HeatGridZoom

/// The scale a heat grid draws values at, when the user chooses it (``HeatGridModel/zoom``;
/// nil lets the grid pick the best that fits, see ``HeatGrid``). A matrix larger than its area
/// scrolls at any zoom.
public enum HeatGridZoom: String, Sendable, Hashable, CaseIterable {
  /// One character cell per value, a shade.
  case cells
  /// Half blocks `▀`: two values per character cell, one above the other. Needs 256 colours and
  /// Unicode; without them one character cell per value.
  case halfBlocks
  /// Several characters per value: numbers (on shaded tiles when the mode shades).
  case numbers

  /// How the zoom reads in a title or a message: `1 cell per value`, `half blocks`, `numbers`.
  public var label: String {
    switch self {
    case .cells: return "1 cell per value"
    case .halfBlocks: return "half blocks"
    case .numbers: return "numbers"
    }
  }

  /// A shorter ``label`` for tight places: `cells`, `halves`, `numbers`.
  public var shortLabel: String {
    switch self {
    case .cells: return "cells"
    case .halfBlocks: return "halves"
    case .numbers: return "numbers"
    }
  }

  /// The next zoom in the cycle cells → half blocks → numbers → nil (the best that fits) →
  /// cells.
  public static func next(after zoom: HeatGridZoom?) -> HeatGridZoom? {
    switch zoom {
    case nil: return .cells
    case .cells: return .halfBlocks
    case .halfBlocks: return .numbers
    case .numbers: return nil
    }
  }
}

// MARK: - Planning with a zoom

extension HeatGridLayout {
  /// The candidates for `model` in `area`: ``CandidatePlan`` for the mode the zoom implies (a
  /// picture shades unless zoomed to numbers; numbers zoom in from shades), restricted to the
  /// candidates of the zoom.
  static func plan(model: HeatGridModel, area: Rect, capabilities: Capabilities) -> CandidatePlan {
    var planned = model
    switch model.zoom {
    case nil:
      if model.showsPicture(with: capabilities) { planned.mode = .shades }
    case .numbers:
      if model.mode == .auto || model.mode == .shades { planned.mode = .both }
    case .cells, .halfBlocks:
      planned.mode = .shades
    }
    return CandidatePlan(model: planned, area: area, capabilities: capabilities)
      .restricted(to: model.zoom)
  }
}

extension HeatGridLayout.CandidatePlan {
  /// This plan with only the candidates of `zoom` (every one for nil and for numbers, whose
  /// plan holds only numbers): one shade per cell, or half blocks (one shade per cell when the
  /// plan has none, i.e. without 256 colours or Unicode).
  func restricted(to zoom: HeatGridZoom?) -> Self {
    guard let zoom, zoom != .numbers else { return self }
    let all = groups.flatMap { $0 } + scrollers + [lastResort]
    let single = all.first {
      $0.resolution == .shades && $0.cellWidth == 1 && $0.cellHeight == 1
    }
    let half = all.first { $0.resolution == .halfBlocks }
    let chosen = (zoom == .halfBlocks ? half ?? single : single) ?? lastResort
    var plan = self
    plan.groups = [[chosen]]
    plan.scrollers = [chosen]
    plan.lastResort = chosen
    return plan
  }
}
