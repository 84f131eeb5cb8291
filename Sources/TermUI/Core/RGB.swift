// MARK: - RGB

/// A 24-bit sRGB colour: what every ``Color`` finally means on a screen or in an SVG.
public struct RGB: Sendable, Hashable, CustomStringConvertible {
  /// Red, 0–255.
  public var r: UInt8
  /// Green, 0–255.
  public var g: UInt8
  /// Blue, 0–255.
  public var b: UInt8

  /// A colour from its three channels.
  public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
    self.r = r
    self.g = g
    self.b = b
  }

  /// A colour from `0xRRGGBB`.
  public init(hex: UInt32) {
    self.init(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
  }

  /// Black.
  public static let black = RGB(0, 0, 0)
  /// White.
  public static let white = RGB(255, 255, 255)

  /// `#rrggbb`, lower case.
  public var hex: String {
    let digits: [Character] = Array("0123456789abcdef")
    var s = "#"
    for v in [r, g, b] {
      s.append(digits[Int(v >> 4)])
      s.append(digits[Int(v & 0xF)])
    }
    return s
  }

  /// `#rrggbb`.
  public var description: String { hex }

  // MARK: Mixing

  /// The colour `t` of the way from `self` to `other` (0 → self, 1 → other), per sRGB channel.
  public func mixed(with other: RGB, _ t: Float) -> RGB {
    let u = t.isNaN ? 0 : min(1, max(0, t))
    func lerp(_ a: UInt8, _ b: UInt8) -> UInt8 {
      UInt8((Float(a) + (Float(b) - Float(a)) * u).rounded())
    }
    return RGB(lerp(r, other.r), lerp(g, other.g), lerp(b, other.b))
  }

  // MARK: Luminance and contrast

  /// Relative luminance (WCAG 2): 0 for black, 1 for white, with sRGB linearisation.
  public var luminance: Float {
    0.2126 * RGB.linear(r) + 0.7152 * RGB.linear(g) + 0.0722 * RGB.linear(b)
  }

  /// The WCAG contrast ratio between two colours (1…21).
  public func contrast(with other: RGB) -> Float {
    let a = luminance
    let b = other.luminance
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)
  }

  /// Black or white, whichever reads better as text on this colour (the higher WCAG
  /// contrast; they are equal at luminance ≈ 0.179).
  public var readableText: RGB {
    // (L + 0.05) / 0.05 ≥ 1.05 / (L + 0.05)  ⇔  (L + 0.05)² ≥ 0.0525
    let l = luminance + 0.05
    return l * l >= 0.0525 ? .black : .white
  }

  /// sRGB channel to linear light, by table (256 entries, computed once).
  static func linear(_ v: UInt8) -> Float { linearTable[Int(v)] }

  private static let linearTable: [Float] = (0..<256).map { i in
    let c = Float(i) / 255
    return c <= 0.04045 ? c / 12.92 : pow24((c + 0.055) / 1.055)
  }

  /// `x^2.4` for `x` in 0…1 without Foundation: exp/log by series is overkill, so use
  /// `x^2.4 = x^2 · x^0.4` with `x^0.4` from Newton's method on `y^5 = x^2`.
  private static func pow24(_ x: Float) -> Float {
    guard x > 0 else { return 0 }
    let x2 = Double(x) * Double(x)
    var y = 1.0  // above the root for x in (0, 1], so Newton descends monotonically
    for _ in 0..<60 {
      let y4 = y * y * y * y
      let next = y - (y4 * y - x2) / (5 * y4)
      if abs(next - y) < 1e-12 { break }
      y = next
    }
    return Float(x2 * y)
  }
}
