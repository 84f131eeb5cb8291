import ConvCore

// MARK: - Timeline

/// The ordered steps of one phase of a ``LayerTrace``, optionally restricted to a sample and/or
/// a filter.
///
/// Order, fixed and documented: for each sample `n`, for each filter `f`, for each output row `i`,
/// for each output column `j` (row-major). Pooling steps go over the pooled maps in the same
/// order; update steps go over filters. Each window has ``ticksPerWindow`` sub-steps: the
/// convolution's forward windows have `C·KH·KW` taps then the bias add; backward windows the
/// `db` add then `C·KH·KW` taps; every other phase one.
///
/// Positions are *ticks*: `-1` is before the first step, `tickCount − 1` after the last.
/// ``state(at:)`` gives everything visible after a tick, in time proportional to one checkpoint
/// interval (never to the tick).
public struct Timeline: Sendable {
  /// The computed layer.
  public let trace: LayerTrace
  /// The phase walked.
  public let phase: Phase
  /// The restriction.
  public let scope: TimelineScope
  /// The maps visited, in order, as `(sample, filter)`.
  public let maps: [(sample: Int, filter: Int)]
  /// The size of every map: `OH×OW`, the pooled size, or 1×1 for the update.
  public let mapSize: Size2
  /// Sub-steps per window.
  public let ticksPerWindow: Int

  /// The timeline of `phase`; throws when the phase is not part of the scenario or the scope is
  /// out of range.
  public init(trace: LayerTrace, phase: Phase, scope: TimelineScope = .all) throws {
    let g = trace.geometry
    guard trace.scenario.phases.contains(phase) else {
      throw ConvError.invalidParameter(
        name: "phase", value: phase.rawValue,
        requirement:
          "one of this configuration's phases (\(trace.scenario.phases.map(\.rawValue).joined(separator: ", ")))"
      )
    }
    if let n = scope.sample, !(0..<g.batch).contains(n) {
      throw ConvError.invalidParameter(
        name: "sample", value: "\(n)", requirement: "in 0…\(g.batch - 1)")
    }
    if let f = scope.filter, !(0..<g.config.filters).contains(f) {
      throw ConvError.invalidParameter(
        name: "filter", value: "\(f)", requirement: "in 0…\(g.config.filters - 1)")
    }
    self.trace = trace
    self.phase = phase
    self.scope = scope
    let filters = scope.filter.map { [$0] } ?? Array(0..<g.config.filters)
    let samples = phase == .update ? [0] : (scope.sample.map { [$0] } ?? Array(0..<g.batch))
    self.maps = samples.flatMap { n in filters.map { (n, $0) } }
    switch phase {
    case .forward, .relu, .reluBackward, .backward: mapSize = g.output
    case .pool, .poolBackward: mapSize = trace.pooledSize ?? Size2(0)
    case .update: mapSize = Size2(1)
    }
    switch phase {
    case .forward, .backward: ticksPerWindow = trace.tapsPerWindow + 1
    default: ticksPerWindow = 1
    }
  }

  // MARK: Counting

  /// Windows per map.
  public var windowsPerMap: Int { mapSize.h * mapSize.w }
  /// Windows in the timeline.
  public var windowCount: Int { maps.count * windowsPerMap }
  /// Ticks in the timeline.
  public var tickCount: Int { windowCount * ticksPerWindow }
  /// Windows in the whole phase (all samples and filters).
  public var globalWindowCount: Int {
    let g = trace.geometry
    return phase == .update
      ? g.config.filters : g.batch * g.config.filters * windowsPerMap
  }

  /// Window `index` of the timeline.
  public func window(_ index: Int) -> WindowRef {
    let m = index / windowsPerMap
    let within = index % windowsPerMap
    let (n, f) = maps[m]
    let global =
      phase == .update ? f : (n * trace.geometry.config.filters + f) * windowsPerMap + within
    return WindowRef(
      index: index, global: global, sample: n, filter: f, row: within / mapSize.w,
      column: within % mapSize.w)
  }

  /// The timeline's window that is global window `global`, if the scope includes it.
  public func windowIndex(ofGlobal global: Int) -> Int? {
    let filterCount = trace.geometry.config.filters
    let (n, f, within): (Int, Int, Int)
    if phase == .update {
      (n, f, within) = (0, global, 0)
    } else {
      let map = global / windowsPerMap
      (n, f, within) = (map / filterCount, map % filterCount, global % windowsPerMap)
    }
    guard let m = maps.firstIndex(where: { $0.sample == n && $0.filter == f }) else { return nil }
    return m * windowsPerMap + within
  }

  // MARK: Units of each granularity

  /// Ticks in one unit of `granularity`.
  public func ticksPerUnit(_ granularity: Granularity) -> Int {
    switch granularity {
    case .tap: return 1
    case .window: return ticksPerWindow
    case .row: return mapSize.w * ticksPerWindow
    case .filter: return windowsPerMap * ticksPerWindow
    }
  }

  /// How many steps of `granularity` the timeline has.
  public func unitCount(_ granularity: Granularity) -> Int {
    tickCount / max(1, ticksPerUnit(granularity))
  }

  /// The tick at which unit `unit` is complete.
  public func endTick(ofUnit unit: Int, _ granularity: Granularity) -> Int {
    (unit + 1) * ticksPerUnit(granularity) - 1
  }

  /// The unit a tick lies in (−1 before the first step).
  public func unit(containing tick: Int, _ granularity: Granularity) -> Int {
    tick < 0 ? -1 : tick / ticksPerUnit(granularity)
  }

  /// The next unit boundary after `tick`: the end of the current unit if it is incomplete, else
  /// the end of the next; nil at the end.
  public func nextTick(after tick: Int, _ granularity: Granularity) -> Int? {
    let u = unit(containing: tick, granularity)
    let end = u >= 0 ? endTick(ofUnit: u, granularity) : -1
    let target = tick < end ? end : endTick(ofUnit: u + 1, granularity)
    return target < tickCount ? target : nil
  }

  /// The previous unit boundary before `tick` (−1 = before the first step); nil at the start.
  public func previousTick(before tick: Int, _ granularity: Granularity) -> Int? {
    guard tick >= 0 else { return nil }
    return tick / ticksPerUnit(granularity) * ticksPerUnit(granularity) - 1
  }

  /// Where tick `tick` is: its window (nil before the first) and how many of that window's
  /// sub-steps are done (1…ticksPerWindow).
  public func location(ofTick tick: Int) -> (window: WindowRef?, subStepsDone: Int) {
    guard tick >= 0 else { return (nil, 0) }
    let t = min(tick, tickCount - 1)
    return (window(t / ticksPerWindow), t % ticksPerWindow + 1)
  }

  /// The number of complete global windows after tick `tick`.
  public func globalDone(afterTick tick: Int) -> Int {
    guard windowCount > 0 else { return 0 }
    let (w, sub) = location(ofTick: tick)
    guard let w else { return window(0).global }
    return sub == ticksPerWindow ? w.global + 1 : w.global
  }
}
