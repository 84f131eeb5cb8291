// MARK: - XtermPalette

/// The xterm colour palette and nearest-colour search, for terminals with fewer colours than the
/// view asked for. Private to the backend (TermUI may grow its own helpers; these must not clash).
enum XtermPalette {
  /// An RGB triple.
  struct RGB: Hashable, Sendable {
    var r: Int
    var g: Int
    var b: Int
  }

  /// xterm's default values for the 16 ANSI colours.
  static let ansi: [RGB] = [
    RGB(r: 0, g: 0, b: 0), RGB(r: 205, g: 0, b: 0), RGB(r: 0, g: 205, b: 0),
    RGB(r: 205, g: 205, b: 0), RGB(r: 0, g: 0, b: 238), RGB(r: 205, g: 0, b: 205),
    RGB(r: 0, g: 205, b: 205), RGB(r: 229, g: 229, b: 229), RGB(r: 127, g: 127, b: 127),
    RGB(r: 255, g: 0, b: 0), RGB(r: 0, g: 255, b: 0), RGB(r: 255, g: 255, b: 0),
    RGB(r: 92, g: 92, b: 255), RGB(r: 255, g: 0, b: 255), RGB(r: 0, g: 255, b: 255),
    RGB(r: 255, g: 255, b: 255),
  ]

  /// The six channel levels of the 6×6×6 colour cube (indices 16–231).
  static let cubeLevels = [0, 95, 135, 175, 215, 255]

  // MARK: Index → RGB

  /// The RGB value of xterm colour `index`.
  static func rgb(_ index: UInt8) -> RGB {
    let i = Int(index)
    if i < 16 { return ansi[i] }
    if i >= 232 {
      let v = 8 + 10 * (i - 232)
      return RGB(r: v, g: v, b: v)
    }
    let c = i - 16
    return RGB(r: cubeLevels[c / 36], g: cubeLevels[(c / 6) % 6], b: cubeLevels[c % 6])
  }

  // MARK: RGB → index

  /// The nearest of the 240 fixed colours (cube and grey ramp, 16–255). The 16 ANSI colours are
  /// left out on purpose: themes redefine them.
  static func nearest256(_ c: RGB) -> UInt8 {
    let ri = nearestLevel(c.r)
    let gi = nearestLevel(c.g)
    let bi = nearestLevel(c.b)
    let cube = RGB(r: cubeLevels[ri], g: cubeLevels[gi], b: cubeLevels[bi])
    let cubeIndex = 16 + 36 * ri + 6 * gi + bi
    let average = (c.r + c.g + c.b) / 3
    let greyStep = min(23, max(0, (average - 3) / 10))
    let greyValue = 8 + 10 * greyStep
    let grey = RGB(r: greyValue, g: greyValue, b: greyValue)
    return distance(c, grey) < distance(c, cube) ? UInt8(232 + greyStep) : UInt8(cubeIndex)
  }

  /// The nearest of the first `count` ANSI colours (8 or 16).
  static func nearestANSI(_ c: RGB, count: Int) -> UInt8 {
    var best = 0
    var bestDistance = Int.max
    for i in 0..<min(max(count, 1), ansi.count) {
      let d = distance(c, ansi[i])
      if d < bestDistance {
        best = i
        bestDistance = d
      }
    }
    return UInt8(best)
  }

  /// Squared distance between two colours, the green channel weighted most (as the eye does).
  static func distance(_ a: RGB, _ b: RGB) -> Int {
    let dr = a.r - b.r
    let dg = a.g - b.g
    let db = a.b - b.b
    return 3 * dr * dr + 4 * dg * dg + 2 * db * db
  }

  private static func nearestLevel(_ v: Int) -> Int {
    if v < 48 { return 0 }
    if v < 115 { return 1 }
    return min(5, (v - 35) / 40)
  }
}
