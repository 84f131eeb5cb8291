// MARK: - Granularity

/// How far one step moves.
public enum Granularity: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// One multiply–accumulate inside a window (the bias add and, backward, the `db` add are
  /// sub-steps too). Only the convolution's phases have sub-steps; elsewhere a tap is a window.
  case tap
  /// One window: one output cell forward, one output-gradient cell backward (the default).
  case window
  /// One output row.
  case row
  /// One whole map (a filter of one sample).
  case filter

  /// The name shown in the status bar.
  public var description: String { rawValue }

  /// The next granularity in the cycle tap → window → row → filter → tap.
  public var next: Granularity {
    switch self {
    case .tap: return .window
    case .window: return .row
    case .row: return .filter
    case .filter: return .tap
    }
  }
}

// MARK: - TimelineScope

/// A restriction of a timeline to one sample and/or one filter. Step indices count within it;
/// the state after a step is always that of the whole timeline after the same window (earlier
/// samples and filters are complete), so restricting never changes a number, only which
/// windows a walk visits.
public struct TimelineScope: Sendable, Hashable {
  /// Only this sample, or all.
  public var sample: Int?
  /// Only this filter, or all.
  public var filter: Int?

  /// A scope; `nil` means every sample (filter).
  public init(sample: Int? = nil, filter: Int? = nil) {
    self.sample = sample
    self.filter = filter
  }

  /// No restriction.
  public static let all = TimelineScope()
}

// MARK: - WindowRef

/// One step's place: the map (sample, filter or channel) and the cell in it.
public struct WindowRef: Sendable, Hashable {
  /// Index of the window within the (restricted) timeline.
  public var index: Int
  /// Index in the whole phase's order; for map phases also the flat index of the output cell.
  public var global: Int
  /// Sample `n`.
  public var sample: Int
  /// Filter `f` (the output channel; for pooling the channel pooled; for the update the filter).
  public var filter: Int
  /// Output row `i`.
  public var row: Int
  /// Output column `j`.
  public var column: Int
}
