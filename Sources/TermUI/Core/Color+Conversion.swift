// MARK: - Colour conversion

/// Conversions every consumer of a ``Color`` needs: the RGB it stands for on a standard xterm,
/// and the nearest colour a terminal with fewer colours can show.
extension Color {
  /// A colour from an ``RGB`` value.
  public init(_ rgb: RGB) { self = .rgb(rgb.r, rgb.g, rgb.b) }

  /// The 16 ANSI colours as xterm draws them by default (0–7 normal, 8–15 bright).
  public static let xterm16: [RGB] = [
    RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0),
    RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
    RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
    RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
  ]

  /// The six channel levels of xterm's 6×6×6 colour cube (indices 16–231).
  public static let xtermCubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

  /// The RGB value of xterm colour `index`: the 16 ANSI colours, the 6×6×6 cube
  /// (`16 + 36r + 6g + b`) and the 24-step grey ramp (`232 + i` is `8 + 10i`).
  public static func xtermRGB(_ index: UInt8) -> RGB {
    let i = Int(index)
    if i < 16 { return xterm16[i] }
    if i < 232 {
      let c = i - 16
      return RGB(xtermCubeLevels[c / 36], xtermCubeLevels[(c / 6) % 6], xtermCubeLevels[c % 6])
    }
    let v = UInt8(8 + 10 * (i - 232))
    return RGB(v, v, v)
  }

  /// The RGB this colour shows on a standard xterm; `nil` for ``Color/default`` (whose value
  /// only the terminal knows).
  public func toRGB() -> RGB? {
    switch self {
    case .default: return nil
    case .ansi(let n): return Color.xterm16[Int(n & 15)]
    case .indexed(let n): return Color.xtermRGB(n)
    case .rgb(let r, let g, let b): return RGB(r, g, b)
    }
  }

  /// The RGB this colour shows, with `fallback` standing for ``Color/default``.
  public func toRGB(default fallback: RGB) -> RGB { toRGB() ?? fallback }

  // MARK: Downgrading

  /// The nearest colour a terminal at `level` can show.
  ///
  /// - `.truecolor`: unchanged.
  /// - `.ansi256`: `.rgb` becomes the nearest xterm index (``nearestXterm256(_:)``); ANSI and
  ///   indexed colours are unchanged.
  /// - `.ansi8`: everything becomes one of the 8 basic colours (bright ANSI colours lose their
  ///   brightness; other colours go by hue, ``nearestANSI8(_:)``).
  /// - `.none`: ``Color/default``.
  public func downgraded(to level: Capabilities.ColorLevel) -> Color {
    switch (level, self) {
    case (_, .default): return .default
    case (.none, _): return .default
    case (.truecolor, _): return self
    case (.ansi256, .rgb(let r, let g, let b)): return .indexed(Color.nearestXterm256(RGB(r, g, b)))
    case (.ansi256, _): return self
    case (.ansi8, .ansi(let n)): return .ansi(n & 7)
    case (.ansi8, .indexed(let n)) where n < 16: return .ansi(n & 7)
    case (.ansi8, _): return .ansi(Color.nearestANSI8(toRGB(default: .black)))
    }
  }

  /// The xterm-256 index (16–255: the cube or the grey ramp) nearest to `c`.
  ///
  /// The distance is a weighted squared RGB distance (weights 2, 4, 3 for red, green, blue — a
  /// cheap approximation of perceived difference). Because it is separable, the nearest cube
  /// colour is the nearest level per channel, and the nearest grey is the ramp step nearest the
  /// weighted mean; the better of the two wins (the lower index on a tie). The 16 ANSI colours
  /// are never chosen: users restyle them, so their RGB is not reliable.
  public static func nearestXterm256(_ c: RGB) -> UInt8 {
    let r = Int(c.r)
    let g = Int(c.g)
    let b = Int(c.b)
    let ri = nearestCubeLevel(r)
    let gi = nearestCubeLevel(g)
    let bi = nearestCubeLevel(b)
    let cube = 16 + 36 * ri + 6 * gi + bi
    let cubeDistance = distance(
      r, g, b, Int(xtermCubeLevels[ri]), Int(xtermCubeLevels[gi]), Int(xtermCubeLevels[bi]))
    // Grey ramp: value 8 + 10i; the optimum is at the weighted mean (2r + 4g + 3b) / 9.
    let mean9 = 2 * r + 4 * g + 3 * b  // 9 × mean
    var gi0 = (mean9 - 72) / 90  // floor((mean - 8) / 10) for mean ≥ 8
    gi0 = min(23, max(0, gi0))
    var grey = 232 + gi0
    var greyDistance = distance(r, g, b, 8 + 10 * gi0, 8 + 10 * gi0, 8 + 10 * gi0)
    if gi0 < 23 {
      let v = 8 + 10 * (gi0 + 1)
      let d = distance(r, g, b, v, v, v)
      if d < greyDistance {
        greyDistance = d
        grey = 233 + gi0
      }
    }
    return UInt8(greyDistance < cubeDistance ? grey : cube)
  }

  /// The basic ANSI colour (0–7) that best names `c`'s hue: low-saturation colours become
  /// black (0) or white (7) by lightness, the others the nearest of the six hues
  /// (red 1, yellow 3, green 2, cyan 6, blue 4, magenta 5).
  public static func nearestANSI8(_ c: RGB) -> UInt8 {
    let r = Int(c.r)
    let g = Int(c.g)
    let b = Int(c.b)
    let hi = max(r, g, b)
    let lo = min(r, g, b)
    let chroma = hi - lo
    if hi < 40 { return 0 }
    if chroma * 4 < hi {  // saturation below 0.25
      return (r + g + b) / 3 >= 128 ? 7 : 0
    }
    // Hue in degrees, as in HSV.
    var hue: Int
    if hi == r {
      hue = 60 * (g - b) / chroma
    } else if hi == g {
      hue = 120 + 60 * (b - r) / chroma
    } else {
      hue = 240 + 60 * (r - g) / chroma
    }
    if hue < 0 { hue += 360 }
    switch hue {
    case 0..<30, 330...: return 1
    case 30..<90: return 3
    case 90..<150: return 2
    case 150..<200: return 6  // blues look blue well before 210°
    case 200..<270: return 4
    default: return 5
    }
  }

  private static func nearestCubeLevel(_ v: Int) -> Int {
    // Midpoints between 0, 95, 135, 175, 215, 255; ties go to the lower level.
    if v <= 47 { return 0 }
    if v <= 115 { return 1 }
    return min(5, (v - 115 + 39) / 40 + 1)
  }

  /// Weighted squared distance used by ``nearestXterm256(_:)``.
  static func distance(_ r1: Int, _ g1: Int, _ b1: Int, _ r2: Int, _ g2: Int, _ b2: Int) -> Int {
    let dr = r1 - r2
    let dg = g1 - g2
    let db = b1 - b2
    return 2 * dr * dr + 4 * dg * dg + 3 * db * db
  }

  // MARK: Readability

  /// Black or white (as `.rgb`, downgraded to `level`), whichever reads better on `background`.
  /// ``Color/default`` backgrounds get the default foreground.
  public static func readableForeground(
    on background: Color, level: Capabilities.ColorLevel = .truecolor
  ) -> Color {
    guard let bg = background.downgraded(to: level).toRGB() else { return .default }
    return Color(bg.readableText).downgraded(to: level)
  }
}

// MARK: - Description

extension Color: CustomStringConvertible {
  /// `default`, `ansi(n)`, `idx(n)` or `#rrggbb`: short, for snapshots and debugging.
  public var description: String {
    switch self {
    case .default: return "default"
    case .ansi(let n): return "ansi(\(n))"
    case .indexed(let n): return "idx(\(n))"
    case .rgb(let r, let g, let b): return RGB(r, g, b).hex
    }
  }
}
