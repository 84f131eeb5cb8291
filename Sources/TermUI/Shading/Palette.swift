// MARK: - Palette

/// A diverging colour scale centred on zero, for signed values.
///
/// Every palette maps `t = v / range` in −1…1 to a colour: negative and positive values take
/// clearly different hues (or lightness, for ``grey``), zero is neutral (near-white, mid grey
/// for ``grey``), and `|t|` sets the intensity. Cycle through them with ``next``; show ``name``
/// in the status bar.
public enum Palette: String, Sendable, Hashable, CaseIterable {
  /// Red for negative, blue for positive, white at zero: CNN Explainer's scale (it maps values
  /// through d3's `interpolateRdBu` with the low end negative). The 9-class ColorBrewer RdBu
  /// stops (Cynthia Brewer, colorbrewer2.org).
  case redBlue
  /// Orange for negative, purple for positive: ColorBrewer's 9-class PuOr scheme (Cynthia
  /// Brewer, Mark Harrower and The Pennsylvania State University, colorbrewer2.org), which
  /// ColorBrewer lists as colour-blind safe (readable with protanopia, deuteranopia and
  /// tritanopia, as it varies mostly in lightness and along the blue–yellow axis).
  case purpleOrange
  /// Greys: dark for negative, mid grey at zero, light for positive.
  case grey

  /// A human name for the status bar.
  public var name: String {
    switch self {
    case .redBlue: return "Red–Blue"
    case .purpleOrange: return "Purple–Orange (colour-blind safe)"
    case .grey: return "Grey"
    }
  }

  /// A short name, for tight status bars.
  public var shortName: String {
    switch self {
    case .redBlue: return "RdBu"
    case .purpleOrange: return "PuOr"
    case .grey: return "Grey"
    }
  }

  /// The palette after this one (wrapping), for a "cycle palette" key.
  public var next: Palette {
    let all = Palette.allCases
    let i = all.firstIndex(of: self) ?? 0
    return all[(i + 1) % all.count]
  }

  /// The colour stops from −1 to +1, evenly spaced; the middle one is zero.
  public var stops: [RGB] {
    switch self {
    case .redBlue: return Palette.redBlueStops
    case .purpleOrange: return Palette.purpleOrangeStops
    case .grey: return Palette.greyStops
    }
  }

  /// The ANSI colours (0–7) for negative and positive values on an 8-colour terminal;
  /// `nil` when the palette has no hue (grey), so glyphs must carry the sign.
  public var ansiHues: (negative: UInt8, positive: UInt8)? {
    switch self {
    case .redBlue: return (1, 4)
    case .purpleOrange: return (3, 5)
    case .grey: return nil
    }
  }

  /// The colour for `t` in −1…1 (clamped; NaN counts as 0), interpolated linearly in sRGB
  /// between the stops.
  public func color(at t: Float) -> RGB {
    let s = stops
    let u = t.isNaN ? 0 : min(1, max(-1, t))
    let pos = (u + 1) / 2 * Float(s.count - 1)
    let i = min(s.count - 2, Int(pos))
    return s[i].mixed(with: s[i + 1], pos - Float(i))
  }

  // MARK: Stops

  private static let redBlueStops: [RGB] = [
    0xb2182b, 0xd6604d, 0xf4a582, 0xfddbc7, 0xf7f7f7, 0xd1e5f0, 0x92c5de, 0x4393c3, 0x2166ac,
  ].map { RGB(hex: $0) }

  private static let purpleOrangeStops: [RGB] = [
    0xb35806, 0xe08214, 0xfdb863, 0xfee0b6, 0xf7f7f7, 0xd8daeb, 0xb2abd2, 0x8073ac, 0x542788,
  ].map { RGB(hex: $0) }

  private static let greyStops: [RGB] = [0x1a1a1a, 0x8c8c8c, 0xf2f2f2].map { RGB(hex: $0) }
}
