// MARK: - Constraint

/// How much of a split one part asks for.
public enum Constraint: Sendable, Hashable {
  /// Exactly `n` cells (less only when the space is too short for everything).
  case fixed(Int)
  /// At least `n` cells; grows like `.fill(1)` when space is left.
  case min(Int)
  /// `p` percent (0–100) of the space left after the gaps.
  case percent(Int)
  /// A share of the space left after every other part, by weight (0 gets nothing).
  case fill(Int)
}

// MARK: - Direction

/// Which way a rectangle is split.
public enum Direction: Sendable, Hashable {
  /// Parts side by side, left to right (the width is divided).
  case horizontal
  /// Parts stacked, top to bottom (the height is divided).
  case vertical
}

// MARK: - Layout

/// Splitting a ``Rect`` into parts by ``Constraint``s.
///
/// The result always has one rectangle per constraint, in order, inside the original rectangle,
/// with no negative size. When the space is short, gaps shrink first, then percentages, then
/// minimums, then fixed sizes (each group from the last part backwards); fills get only what is
/// left. Extra space goes to `.fill` and `.min` parts by weight (`.min` counts as weight 1); with
/// none of those it stays unused after the last part.
public enum Layout {
  /// Splits `rect` along `direction` into one part per constraint, `gap` cells apart.
  public static func split(
    _ rect: Rect, _ direction: Direction, _ constraints: [Constraint], gap: Int = 0
  ) -> [Rect] {
    let length = direction == .horizontal ? rect.width : rect.height
    let sizes = sizes(length: length, constraints, gap: gap)
    var out: [Rect] = []
    out.reserveCapacity(sizes.sizes.count)
    for (offset, size) in zip(sizes.offsets, sizes.sizes) {
      switch direction {
      case .horizontal:
        out.append(Rect(x: rect.x + offset, y: rect.y, width: size, height: rect.height))
      case .vertical:
        out.append(Rect(x: rect.x, y: rect.y + offset, width: rect.width, height: size))
      }
    }
    return out
  }

  /// The sizes and offsets (from the start) of the parts of a `length`-long segment.
  public static func sizes(length: Int, _ constraints: [Constraint], gap: Int = 0)
    -> (sizes: [Int], offsets: [Int])
  {
    let n = constraints.count
    guard n > 0 else { return ([], []) }
    let length = max(0, length)
    let gaps = n - 1
    let spaceForParts = max(0, length - max(0, gap) * gaps)
    var base = constraints.map { baseSize($0, spaceForParts: spaceForParts) }
    let gap = shrink(&base, constraints, length: length, gap: max(0, gap))
    shareExtra(length - gap * gaps - base.reduce(0, +), among: &base, constraints)

    var offsets: [Int] = []
    offsets.reserveCapacity(n)
    var pos = 0
    for i in 0..<n {
      offsets.append(pos)
      pos += base[i] + (i < n - 1 ? gap : 0)
    }
    return (base, offsets)
  }

  /// A part's size before shrinking or sharing: fixed sizes and minimums as asked, percentages
  /// of the space left by the gaps, fills nothing.
  private static func baseSize(_ c: Constraint, spaceForParts: Int) -> Int {
    switch c {
    case .fixed(let v): return max(0, v)
    case .min(let v): return max(0, v)
    case .percent(let p): return spaceForParts * Swift.min(100, Swift.max(0, p)) / 100
    case .fill: return 0
    }
  }

  /// With too little space, shrinks the gaps, then percentages, minimums and fixed sizes (last
  /// parts first) until `base` and the gaps fit `length`; returns the gap.
  private static func shrink(
    _ base: inout [Int], _ constraints: [Constraint], length: Int, gap: Int
  ) -> Int {
    let gaps = constraints.count - 1
    let used = base.reduce(0, +)
    var gap = gap
    if used + gap * gaps > length, gaps > 0 {
      gap = max(0, (length - used) / gaps)
    }
    var excess = used + gap * gaps - length
    for group in [ShrinkGroup.percent, .min, .fixed] where excess > 0 {
      for i in stride(from: constraints.count - 1, through: 0, by: -1) where excess > 0 {
        guard ShrinkGroup(constraints[i]) == group else { continue }
        let cut = Swift.min(base[i], excess)
        base[i] -= cut
        excess -= cut
      }
    }
    return gap
  }

  /// Shares `extra` columns by weight between fills and minimums, the columns the integer
  /// division leaves going to the largest remainders (the first part on ties).
  private static func shareExtra(_ extra: Int, among base: inout [Int], _ constraints: [Constraint])
  {
    let weights = constraints.map { c -> Int in
      switch c {
      case .fill(let w): return max(0, w)
      case .min: return 1
      default: return 0
      }
    }
    let totalWeight = weights.reduce(0, +)
    guard extra > 0 && totalWeight > 0 else { return }
    var given = 0
    var remainders: [(index: Int, rem: Int)] = []
    for i in weights.indices where weights[i] > 0 {
      let share = extra * weights[i]
      base[i] += share / totalWeight
      given += share / totalWeight
      remainders.append((i, share % totalWeight))
    }
    var left = extra - given
    for r in remainders.sorted(by: { $0.rem > $1.rem || ($0.rem == $1.rem && $0.index < $1.index) })
    where left > 0 {
      base[r.index] += 1
      left -= 1
    }
  }

  private enum ShrinkGroup {
    case percent, min, fixed, fill
    init(_ c: Constraint) {
      switch c {
      case .percent: self = .percent
      case .min: self = .min
      case .fixed: self = .fixed
      case .fill: self = .fill
      }
    }
  }
}

extension Rect {
  /// This rectangle split into side-by-side columns (see ``Layout/split(_:_:_:gap:)``).
  public func columns(_ constraints: [Constraint], gap: Int = 0) -> [Rect] {
    Layout.split(self, .horizontal, constraints, gap: gap)
  }

  /// This rectangle split into stacked rows (see ``Layout/split(_:_:_:gap:)``).
  public func rows(_ constraints: [Constraint], gap: Int = 0) -> [Rect] {
    Layout.split(self, .vertical, constraints, gap: gap)
  }
}
