import ConvCore
import ConvStepper
import Foundation

// MARK: - GradcheckResult

/// A finite-difference check of a layer's backward pass (`dx`, `dw`, `db`), with per-cell
/// relative-error maps a student can look at.
///
/// The analytic gradients are the trace's (the step engine's canonical backward pass, in
/// float32); the numeric ones are central differences in `Double` of `L = Σ dy·y` with the
/// trace's `dy` (see ``GradientCheck``).
public struct GradcheckResult: Sendable {
  /// The layer.
  public let geometry: ConvGeometry
  /// ConvCore's report: per tensor the largest errors and every checked cell's relative error.
  public let report: GradientCheckReport
  /// The largest relative error that passes.
  public let threshold: Double

  /// Checks the backward pass of `trace`.
  ///
  /// - Parameters:
  ///   - maxCellsPerTensor: check at most this many cells of each tensor (chosen with `seed`),
  ///     all of them when nil.
  ///   - threshold: the largest relative error that passes (default 1e-3, ample for float32
  ///     gradients; a mistake gives errors of order 1).
  ///   - progress: called after each checked cell with the outputs evaluated and the most
  ///     there can be.
  public init(
    trace: LayerTrace, maxCellsPerTensor: Int? = nil, seed: UInt64 = 0, threshold: Double = 1e-3,
    progress: ((_ done: Int, _ total: Int) -> Void)? = nil
  ) throws {
    let s = trace.scenario
    geometry = trace.geometry
    report = try GradientCheck.conv2d(
      x: s.input, weight: s.weight, bias: s.bias, dy: trace.convGradient, config: s.config,
      analytic: trace.gradients, maxCellsPerTensor: maxCellsPerTensor, seed: seed,
      progress: progress)
    self.threshold = threshold
  }

  /// Whether every checked cell's relative error is below ``threshold``.
  public var passed: Bool { report.passed(threshold: threshold) }

  /// The check of one gradient (`dx`, `dw` or `db`; nil for `y`).
  public func tensor(_ name: CheckedTensor) -> GradientCheckReport.TensorReport? {
    switch name {
    case .y: return nil
    case .dx: return report.dx
    case .dw: return report.dw
    case .db: return report.db
    }
  }

  /// The relative errors of one plane of a gradient as a grid: `dx[n, c]` (`H×W`) with
  /// `plane = (n, c)`, `dw[f, c]` (`KH×KW`) with `plane = (f, c)`, or `db` as one row of `F`
  /// (the plane is ignored). nil for `y` or a plane out of range.
  public func map(_ name: CheckedTensor, plane: (Int, Int) = (0, 0)) -> ErrorMap? {
    let cfg = geometry.config
    let (a, b) = plane
    switch name {
    case .y:
      return nil
    case .dx:
      guard (0..<geometry.batch).contains(a), (0..<cfg.inChannels).contains(b) else { return nil }
      let (H, W) = (geometry.input.h, geometry.input.w)
      let base = (a * cfg.inChannels + b) * H * W
      return ErrorMap(
        title: "dx[sample \(a), channel \(b)]", rows: H, columns: W,
        values: Array(report.dx.relativeErrors[base..<base + H * W]))
    case .dw:
      // w is [F, C/G, KH, KW]: channel b of filter a's group.
      guard (0..<cfg.filters).contains(a), (0..<cfg.groupChannels).contains(b) else { return nil }
      let (KH, KW) = (cfg.kernel.h, cfg.kernel.w)
      let base = (a * cfg.groupChannels + b) * KH * KW
      return ErrorMap(
        title: "dw[filter \(a), channel \(b)]", rows: KH, columns: KW,
        values: Array(report.dw.relativeErrors[base..<base + KH * KW]))
    case .db:
      return ErrorMap(
        title: "db[filter 0…\(cfg.filters - 1)]", rows: 1, columns: cfg.filters,
        values: report.db.relativeErrors)
    }
  }
}

// MARK: - ErrorMap

/// Per-cell relative errors of one plane, row-major; nil for cells not checked.
public struct ErrorMap: Sendable, Equatable {
  /// What the plane is, e.g. `dx[sample 0, channel 1]`.
  public var title: String
  /// Rows.
  public var rows: Int
  /// Columns.
  public var columns: Int
  /// `rows·columns` relative errors, row-major (nil = not checked).
  public var values: [Double?]

  /// A map.
  public init(title: String, rows: Int, columns: Int, values: [Double?]) {
    self.title = title
    self.rows = rows
    self.columns = columns
    self.values = values
  }

  /// How a map is drawn.
  public enum Style: String, Sendable, CaseIterable {
    /// One shade per decade of error, two characters a cell.
    case shades
    /// The errors as numbers (`3e-08`).
    case numbers
  }

  /// The shade levels: the upper bounds of the decades and their glyphs (Unicode, ASCII).
  static let levels: [(bound: Double, glyph: String, ascii: String)] = [
    (1e-7, "·", "."), (1e-6, "░", ":"), (1e-5, "▒", "+"), (1e-4, "▓", "*"),
  ]

  /// The glyph of one error: a shade per decade, `█`/`#` up to `threshold`, `X` beyond it,
  /// a blank for an unchecked cell.
  public static func glyph(_ error: Double?, threshold: Double, ascii: Bool = false) -> String {
    guard let error else { return " " }
    if !(error < threshold) { return "X" }
    for level in levels where error < level.bound { return ascii ? level.ascii : level.glyph }
    return ascii ? "#" : "█"
  }

  /// The map as text lines (a title line, the grid, a legend).
  public func lines(style: Style = .shades, threshold: Double = 1e-3, ascii: Bool = false)
    -> [String]
  {
    var out = ["\(title): relative error per cell (\(rows)×\(columns))"]
    for r in 0..<rows {
      let row = (0..<columns).map { c -> String in
        let v = values[r * columns + c]
        switch style {
        case .shades:
          let g = ErrorMap.glyph(v, threshold: threshold, ascii: ascii)
          return g + g
        case .numbers:
          guard let v else { return "      -" }
          let s = v == 0 ? "0" : v.isFinite ? String(format: "%.1e", v) : "inf"
          return String(repeating: " ", count: max(0, 7 - s.count)) + s
        }
      }
      out.append("  " + row.joined(separator: style == .shades ? "" : " "))
    }
    if style == .shades {
      let e = { (v: Double) in String(format: "%.0e", v) }
      let bounds = ErrorMap.levels.map { "\(ascii ? $0.ascii : $0.glyph) < \(e($0.bound))" }
      out.append(
        "  legend: " + bounds.joined(separator: "  ")
          + "  \(ascii ? "#" : "█") < \(e(threshold))  X ≥ \(e(threshold)) (fails)  "
          + "blank: not checked")
    }
    return out
  }
}
