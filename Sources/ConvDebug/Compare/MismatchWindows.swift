import ConvCore
import ConvStepper

// MARK: - Windows that show a mismatch

extension Comparison {
  /// The global windows of `phase` (indices into the whole phase, as ``WindowRef/global``;
  /// convert with ``Timeline/windowIndex(ofGlobal:)``) where a mismatch shows, ascending:
  /// - `forward`: the windows whose `y` cell differs (window index = flat `y` index);
  /// - `backward`: the windows (`dy` cells) whose taps read an input cell whose `dx` differs;
  /// - `update`: the filters whose `dw` or `db` differ.
  ///
  /// Other phases (ReLU, pooling) have none.
  public func mismatchWindows(in phase: Phase) -> [Int] { windowIndex[phase] ?? [] }

  /// Whether global window `global` of `phase` shows a mismatch.
  public func isMismatchWindow(_ global: Int, in phase: Phase) -> Bool {
    let list = mismatchWindows(in: phase)
    let k = Comparison.lowerBound(list, global)
    return k < list.count && list[k] == global
  }

  /// The first mismatching global window of `phase` after `global` (nil when none follows).
  public func nextMismatchWindow(after global: Int, in phase: Phase) -> Int? {
    let list = mismatchWindows(in: phase)
    let k = Comparison.lowerBound(list, global + 1)
    return k < list.count ? list[k] : nil
  }

  /// The last mismatching global window of `phase` before `global` (nil when none precedes).
  public func previousMismatchWindow(before global: Int, in phase: Phase) -> Int? {
    let list = mismatchWindows(in: phase)
    let k = Comparison.lowerBound(list, global)
    return k > 0 ? list[k - 1] : nil
  }

  /// The global forward window that computes `y` cell `flat` (channels first): the same index.
  public func forwardWindow(ofOutput flat: Int) -> Int { flat }

  /// The global backward windows (`dy` cells, channels first) whose taps read input cell `flat`
  /// of `x` (channels first), ascending: the windows that add to `dx[flat]`.
  public func backwardWindows(readingInput flat: Int) -> [Int] {
    Comparison.backwardWindows(readingInput: flat, geometry: trace.geometry)
  }

  static func backwardWindows(readingInput flat: Int, geometry g: ConvGeometry) -> [Int] {
    let cfg = g.config
    let (C, H, W) = (cfg.inChannels, g.input.h, g.input.w)
    guard flat >= 0, flat < g.batch * C * H * W else { return [] }
    let col = flat % W
    let row = (flat / W) % H
    let channel = (flat / (W * H)) % C
    let n = flat / (W * H * C)
    // The filters of the cell's group, through every tap that reads it (a copying padding
    // cell too).
    let filters = g.filters(readingChannel: channel).filters
    let (rows, cols) = (g.readers(ofRow: row), g.readers(ofColumn: col))
    var result: [Int] = []
    for f in filters {
      for (i, _) in rows {
        for (j, _) in cols {
          result.append(((n * cfg.filters + f) * g.output.h + i) * g.output.w + j)
        }
      }
    }
    return Array(Set(result)).sorted()
  }

  /// The mismatch windows of every phase.
  static func windows(_ results: [TensorComparison], geometry g: ConvGeometry) -> [Phase: [Int]] {
    var index: [Phase: [Int]] = [:]
    for r in results where r.shapeMatches && !r.mismatches.isEmpty {
      switch r.tensor {
      case .y:
        index[.forward] = r.mismatches
      case .dx:
        var set = Set<Int>()
        for k in r.mismatches {
          set.formUnion(backwardWindows(readingInput: k, geometry: g))
        }
        index[.backward] = set.sorted()
      case .dw:
        let per = g.config.groupChannels * g.config.kernel.h * g.config.kernel.w
        let filters = Set(r.mismatches.map { $0 / per })
        index[.update] = Set(index[.update] ?? []).union(filters).sorted()
      case .db:
        index[.update] = Set(index[.update] ?? []).union(r.mismatches).sorted()
      }
    }
    return index
  }

  /// The index of the first element of sorted `list` that is ≥ `value`.
  static func lowerBound(_ list: [Int], _ value: Int) -> Int {
    var (lo, hi) = (0, list.count)
    while lo < hi {
      let mid = (lo + hi) / 2
      if list[mid] < value { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }
}
