// MARK: - ColorPairCache

/// Hands out ncurses colour-pair numbers for (foreground, background) colour numbers.
///
/// Pair 0 is the terminal default (-1, -1). Other pairs are numbered from 1 in order of first
/// use, up to `COLOR_PAIRS - 1` (65535 on `xterm-256color`, 63 on `xterm`). When a frame needs
/// more pairs than exist, the overflow falls back to a pair with the same background (blocks
/// keep their shade) or pair 0, and the next frame starts with an empty cache.
struct ColorPairCache {
  /// The colour numbers of one pair.
  struct Colors: Hashable, Sendable {
    var fg: Int32
    var bg: Int32
  }

  /// The answer to a lookup.
  enum Lookup: Equatable, Sendable {
    /// Already defined: use it.
    case cached(Int32)
    /// New: define it (`init_extended_pair`) before use.
    case allocate(Int32)
    /// No pair left: use this existing pair instead (colours may be off).
    case fallback(Int32)

    /// The pair number to draw with.
    var pair: Int32 {
      switch self {
      case .cached(let p), .allocate(let p), .fallback(let p): return p
      }
    }
  }

  /// The highest pair number that may be allocated.
  let highestPair: Int32
  private var pairs: [Colors: Int32] = [:]
  private var firstByBackground: [Int32: Int32] = [:]
  private var next: Int32 = 1
  /// Whether a lookup since the last reset found no free pair.
  private(set) var isExhausted = false

  /// A cache for a terminal with `pairCount` pairs (`COLOR_PAIRS`, pair 0 included).
  init(pairCount: Int) {
    highestPair = Int32(clamping: max(0, pairCount - 1))
  }

  /// How many pairs are allocated.
  var count: Int { pairs.count }

  /// Call before drawing a frame: empties the cache if the last frame ran out of pairs.
  mutating func beginFrame() {
    if isExhausted { reset() }
  }

  /// Forgets every allocation (pair numbers will be redefined).
  mutating func reset() {
    pairs.removeAll(keepingCapacity: true)
    firstByBackground.removeAll(keepingCapacity: true)
    next = 1
    isExhausted = false
  }

  /// The pair for foreground `fg` and background `bg`.
  mutating func lookup(fg: Int32, bg: Int32) -> Lookup {
    if fg == -1 && bg == -1 { return .cached(0) }
    let key = Colors(fg: fg, bg: bg)
    if let p = pairs[key] { return .cached(p) }
    guard next <= highestPair else {
      isExhausted = true
      return .fallback(firstByBackground[bg] ?? 0)
    }
    let p = next
    next += 1
    pairs[key] = p
    if firstByBackground[bg] == nil { firstByBackground[bg] = p }
    return .allocate(p)
  }
}
