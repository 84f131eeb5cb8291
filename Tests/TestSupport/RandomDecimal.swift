// MARK: - RandomDecimal

/// Random decimal strings: signs, leading zeros, 1–25 digits around a point, exponents near
/// the edges of `Float` and `Double` (subnormals, overflow) and in between.
public enum RandomDecimal {
  /// One random decimal string.
  public static func make<G: RandomNumberGenerator>(_ rng: inout G) -> String {
    var s = ""
    switch rng.next() % 3 {
    case 0: s += "-"
    case 1: s += rng.next() % 4 == 0 ? "+" : ""
    default: break
    }
    func digits(_ n: Int) -> String {
      String((0..<n).map { _ in Character(String(rng.next() % 10)) })
    }
    let shape = rng.next() % 6
    let whole = Int(rng.next() % (shape == 0 ? 25 : 9))
    let fraction = Int(rng.next() % (shape == 1 ? 25 : 10))
    if rng.next() % 8 == 0 { s += String(repeating: "0", count: Int(rng.next() % 5)) }
    s += whole == 0 && fraction == 0 ? "1" : digits(whole)
    if fraction > 0 || rng.next() % 4 == 0 {
      s += "." + digits(fraction)
      if whole == 0 && fraction == 0 { s += "5" }
    }
    if rng.next() % 2 == 0 {
      s += rng.next() % 2 == 0 ? "e" : "E"
      if rng.next() % 2 == 0 { s += rng.next() % 2 == 0 ? "-" : "+" }
      let ranges: [ClosedRange<Int>] = [0...5, 0...30, 30...50, 300...330, 0...400]
      let range = ranges[Int(rng.next() % UInt64(ranges.count))]
      s += String(range.lowerBound + Int(rng.next() % UInt64(range.count)))
    }
    return s
  }
}
