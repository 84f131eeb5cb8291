// MARK: - HeatCellKind

/// What a matrix cell is, beyond its value: shading draws each kind differently.
public enum HeatCellKind: UInt8, Sendable, Hashable, CaseIterable {
  /// An ordinary value.
  case data
  /// Padding added around the data (drawn hatched in every capability level).
  case padding
  /// A row or column that the floor in the output-size formula drops (drawn dimmed with `×`).
  case dropped
  /// A value no window reads (drawn dimmed).
  case unread
  /// A value flagged as wrong, e.g. differing from a reference (drawn with `≠`, bold).
  case mismatch
  /// A padding cell holding a copy of an input cell (a reflect, replicate or circular padding
  /// mode): its value's colour, dimmed, marked `↺`.
  case copy
}

// MARK: - Shade

/// How one value is drawn: its glyph(s) and style at one capability level.
public struct Shade: Sendable, Hashable {
  /// The glyph when the value gets one column.
  public var glyph: Character
  /// The first glyph when the value gets two columns (a sign mark in glyph-only modes).
  public var lead: Character
  /// The second glyph when the value gets two columns.
  public var trail: Character
  /// The style of the glyphs.
  public var style: Style
  /// The style for text (a number) drawn in this cell instead of the glyphs.
  public var textStyle: Style
  /// The colour standing for the value at this level (for half blocks and legends);
  /// ``Color/default`` in glyph-only modes.
  public var fill: Color
}

// MARK: - Shader

/// The pure table from a value to its ``Shade`` for a palette, capabilities and a scale range.
///
/// - Truecolor and 256 colours: the palette colour as background (256: the nearest xterm index),
///   black or white text by luminance, a blank glyph.
/// - 8 colours: the palette's ANSI hue as foreground and a ramp glyph for the magnitude.
/// - No colour (or the grey palette on 8 colours): glyphs alone carry sign and magnitude, see
///   ``ShadeGlyphs``.
/// - Special values: `nil` (not computed) is a dim `·`; NaN is `!` and ±∞ `▲`/`▼` (`+∞`/`-∞` in
///   two columns) on magenta; zero is exactly neutral. Kinds (``HeatCellKind``) restyle the
///   value: padding is hatched on slate, dropped and unread are dimmed (dropped with `×`),
///   mismatch is marked `≠` in bold.
public struct Shader: Sendable, Hashable {
  /// The colour scale.
  public var palette: Palette
  /// What the output can show.
  public var capabilities: Capabilities
  /// Values at ±`range` get full intensity (the caller picks it, e.g. max |v| of the map).
  public var range: Float

  /// A shader; a `range` that is not a positive finite number counts as 1.
  public init(palette: Palette = .redBlue, capabilities: Capabilities, range: Float) {
    self.palette = palette
    self.capabilities = capabilities
    self.range = range
  }

  /// Whether values are shown by cell colour (256 colours or more) rather than by glyphs.
  public var fillsWithColor: Bool { capabilities.color >= .ansi256 }

  /// Whether the sign is carried by hue (colour, or 8 colours with a hued palette).
  public var showsSignByHue: Bool {
    fillsWithColor || (capabilities.color == .ansi8 && palette.ansiHues != nil)
  }

  /// The range actually used: `range` when positive and finite, else 1.
  public var effectiveRange: Float { range.isFinite && range > 0 ? range : 1 }

  /// `v / range`, clamped to −1…1 (finite `v` only; NaN gives 0).
  public func normalized(_ v: Float) -> Float {
    guard !v.isNaN else { return 0 }
    return min(1, max(-1, v / effectiveRange))
  }

  /// The magnitude level 0…`levels` of `v`: 0 only for exactly zero, so any non-zero value
  /// shows, and `levels` at or beyond the range.
  public func level(_ v: Float, levels: Int) -> Int {
    guard v != 0, !v.isNaN, levels > 0 else { return 0 }
    let m = abs(normalized(v))
    return min(levels, max(1, Int((m * Float(levels)).rounded(.up))))
  }

  // MARK: Colours

  /// Magenta-ish colour of NaN and ±∞.
  public static let alert = RGB(200, 0, 200)
  /// Background of padding cells.
  public static let paddingBackground = RGB(40, 42, 66)
  /// Second padding background (checkerboard in half-block mode).
  public static let paddingAlternate = RGB(60, 62, 96)
  /// Hatch colour of padding cells.
  public static let paddingForeground = RGB(118, 122, 170)
  /// Colour of the not-computed placeholder.
  public static let pendingForeground = RGB(110, 110, 110)
  /// Fill of not-computed cells in half-block mode.
  public static let pendingFill = RGB(34, 34, 34)
  /// What dimmed (dropped, unread) colours are blended toward.
  public static let dimTarget = RGB(40, 40, 40)
  /// Fill of mismatch cells in half-block mode (where no glyph can mark them).
  public static let mismatchFill = RGB(0, 230, 110)

  /// The palette colour of a finite value, as 24-bit RGB.
  public func rgb(for v: Float) -> RGB { palette.color(at: normalized(v)) }

  /// The colour of a value in half-block mode: one colour per matrix cell; `odd` selects the
  /// second padding shade (pass `(row + col) % 2 == 1` for a checkerboard).
  public func fillColor(_ value: Float?, kind: HeatCellKind = .data, odd: Bool = false) -> Color {
    Color(fillRGB(value, kind: kind, odd: odd)).downgraded(to: capabilities.color)
  }

  /// ``fillColor(_:kind:odd:)`` before reduction to the colour level.
  public func fillRGB(_ value: Float?, kind: HeatCellKind = .data, odd: Bool = false) -> RGB {
    let rgb: RGB
    if kind == .padding {
      rgb = odd ? Shader.paddingAlternate : Shader.paddingBackground
    } else if let v = value {
      if v.isNaN || v.isInfinite {
        rgb = Shader.alert
      } else {
        switch kind {
        case .dropped: rgb = self.rgb(for: v).mixed(with: Shader.dimTarget, 0.6)
        case .unread, .copy: rgb = self.rgb(for: v).mixed(with: Shader.dimTarget, 0.55)
        case .mismatch: rgb = Shader.mismatchFill
        case .data, .padding: rgb = self.rgb(for: v)
        }
      }
    } else {
      rgb = Shader.pendingFill
    }
    return rgb
  }

  // MARK: Scale

  /// How many magnitude levels the glyphs tell apart on each side of zero (0 when colour
  /// carries the value): 4 for the Unicode ramp and the one-column families, 7 for the ASCII
  /// ramp of eight colours.
  public var glyphLevels: Int {
    if fillsWithColor { return 0 }
    if capabilities.color == .ansi8, palette.ansiHues != nil {
      return (capabilities.unicode ? ShadeGlyphs.unicodeRamp : ShadeGlyphs.asciiRamp).count - 1
    }
    return ShadeGlyphs.family(unicode: capabilities.unicode, negative: false).count - 1
  }

  /// The values a scale (a legend) shows, negative to positive with exactly 0 in the middle:
  /// in glyph modes one value per magnitude level, in the middle of its band (so every glyph a
  /// map can draw appears once), else `colorSamples` evenly spaced values from −range to +range
  /// (made odd, at least 3).
  public func scaleSamples(colorSamples: Int = 21) -> [Float] {
    let r = effectiveRange
    let levels = glyphLevels
    if levels > 0 {
      let side = (1...levels).map { r * (Float($0) - 0.5) / Float(levels) }
      return side.reversed().map { -$0 } + [0] + side
    }
    let half = max(1, colorSamples / 2)
    return (-half...half).map { r * Float($0) / Float(half) }
  }

  // MARK: Shading

  /// How to draw `value` (nil = not computed yet) of the given kind.
  public func shade(_ value: Float?, kind: HeatCellKind = .data) -> Shade {
    fillsWithColor ? colorShade(value, kind: kind) : glyphShade(value, kind: kind)
  }

  private func colored(_ rgb: RGB) -> Color { Color(rgb).downgraded(to: capabilities.color) }

  private func colorShade(_ value: Float?, kind: HeatCellKind) -> Shade {
    let uni = capabilities.unicode
    let level = capabilities.color
    if kind == .padding {
      let hatch = ShadeGlyphs.padding(unicode: uni)
      let bg = colored(Shader.paddingBackground)
      let style = Style(fg: colored(Shader.paddingForeground), bg: bg)
      let text = Style(fg: colored(RGB(170, 170, 190)), bg: bg)
      return Shade(glyph: hatch, lead: hatch, trail: hatch, style: style, textStyle: text, fill: bg)
    }
    guard let v = value else {
      let dot = ShadeGlyphs.pending(unicode: uni)
      let style = Style(fg: colored(Shader.pendingForeground))
      return Shade(
        glyph: dot, lead: dot, trail: " ", style: style, textStyle: style, fill: .default)
    }
    if v.isNaN || v.isInfinite {
      let bg = colored(Shader.alert)
      let style = Style(fg: colored(.white), bg: bg, attributes: .bold)
      if v.isNaN {
        let g = ShadeGlyphs.nan(unicode: uni)
        return Shade(glyph: g, lead: g, trail: g, style: style, textStyle: style, fill: bg)
      }
      let neg = v < 0
      return Shade(
        glyph: neg
          ? ShadeGlyphs.minusInfinity(unicode: uni) : ShadeGlyphs.plusInfinity(unicode: uni),
        lead: neg ? "-" : "+", trail: ShadeGlyphs.infinity(unicode: uni, negative: neg),
        style: style, textStyle: style, fill: bg)
    }
    var rgb = self.rgb(for: v)
    var glyph: Character = " "
    var attributes: Attributes = []
    switch kind {
    case .dropped:
      rgb = rgb.mixed(with: Shader.dimTarget, 0.6)
      glyph = ShadeGlyphs.dropped(unicode: uni)
    case .unread:
      rgb = rgb.mixed(with: Shader.dimTarget, 0.55)
    case .copy:
      rgb = rgb.mixed(with: Shader.dimTarget, 0.55)
      glyph = ShadeGlyphs.copy(unicode: uni)
    case .mismatch:
      glyph = ShadeGlyphs.mismatch(unicode: uni)
      attributes = .bold
    case .data, .padding:
      break
    }
    let bg = colored(rgb)
    let fg = Color.readableForeground(on: bg, level: level)
    let style = Style(fg: fg, bg: bg, attributes: attributes)
    var text = style
    if kind == .mismatch { text.attributes.insert(.underline) }
    return Shade(glyph: glyph, lead: glyph, trail: " ", style: style, textStyle: text, fill: bg)
  }

  private func glyphShade(_ value: Float?, kind: HeatCellKind) -> Shade {
    let hues = capabilities.color == .ansi8 ? palette.ansiHues : nil
    if let special = specialGlyphShade(value, kind: kind, hued: hues != nil) { return special }
    let v = value ?? 0
    let shade = hues.map { hueShade(v, hues: $0) } ?? signGlyphShade(v)
    return marked(shade, kind: kind, hued: hues != nil)
  }

  /// The glyph shade of padding, a value not computed yet, NaN and ±∞ (nil for a finite value).
  private func specialGlyphShade(_ value: Float?, kind: HeatCellKind, hued: Bool) -> Shade? {
    let uni = capabilities.unicode
    if kind == .padding {
      let hatch = ShadeGlyphs.padding(unicode: uni)
      let style = Style(attributes: .dim)
      return Shade(
        glyph: hatch, lead: hatch, trail: hatch, style: style, textStyle: style, fill: .default)
    }
    guard let v = value else {
      let dot = ShadeGlyphs.pending(unicode: uni)
      let style = Style(attributes: .dim)
      return Shade(
        glyph: dot, lead: dot, trail: " ", style: style, textStyle: style, fill: .default)
    }
    guard v.isNaN || v.isInfinite else { return nil }
    let style = Style(fg: hued ? .ansi(5) : .default, attributes: .bold)
    if v.isNaN {
      let g = ShadeGlyphs.nan(unicode: uni)
      return Shade(glyph: g, lead: g, trail: g, style: style, textStyle: style, fill: .default)
    }
    let neg = v < 0
    return Shade(
      glyph: neg
        ? ShadeGlyphs.minusInfinity(unicode: uni) : ShadeGlyphs.plusInfinity(unicode: uni),
      lead: neg ? "-" : "+", trail: ShadeGlyphs.infinity(unicode: uni, negative: neg),
      style: style, textStyle: style, fill: .default)
  }

  /// Eight colours: the hue carries the sign, the glyph ramp the magnitude.
  private func hueShade(_ v: Float, hues: (negative: UInt8, positive: UInt8)) -> Shade {
    let ramp = capabilities.unicode ? ShadeGlyphs.unicodeRamp : ShadeGlyphs.asciiRamp
    let glyph = ramp[level(v, levels: ramp.count - 1)]
    var style = Style.plain
    var text = Style.plain
    if v != 0 {
      let hue = Color.ansi(v < 0 ? hues.negative : hues.positive)
      style.fg = hue
      if abs(normalized(v)) >= 0.5 {
        text = Style(fg: Color.readableForeground(on: hue, level: .ansi8), bg: hue)
      } else {
        // The terminal's own colour: no basic hue reads on both black and white (dark blue on
        // black, yellow on white), and the number's own sign tells its sign.
        text = Style(attributes: .bold)
      }
    }
    return Shade(
      glyph: glyph, lead: glyph, trail: glyph, style: style, textStyle: text, fill: .default)
  }

  /// No colour: the glyphs carry sign and magnitude. The one-column glyph (a negative or a
  /// positive family) also fills wider cells, after a sign mark, so one legend reads every width.
  private func signGlyphShade(_ v: Float) -> Shade {
    let family = ShadeGlyphs.family(unicode: capabilities.unicode, negative: v < 0)
    let glyph = family[level(v, levels: family.count - 1)]
    let lead: Character = v < 0 ? "-" : (v > 0 ? "+" : " ")
    return Shade(
      glyph: glyph, lead: lead, trail: glyph, style: .plain, textStyle: .plain, fill: .default)
  }

  /// `shade` with the marks of a dropped, unread or mismatching cell.
  private func marked(_ shade: Shade, kind: HeatCellKind, hued: Bool) -> Shade {
    var s = shade
    switch kind {
    case .dropped:
      s.glyph = ShadeGlyphs.dropped(unicode: capabilities.unicode)
      s.lead = s.glyph
      s.style.attributes.insert(.dim)
      s.textStyle.attributes.insert(.dim)
    case .unread:
      s.style.attributes.insert(.dim)
      s.textStyle.attributes.insert(.dim)
    case .copy:
      s.glyph = ShadeGlyphs.copy(unicode: capabilities.unicode)
      s.lead = s.glyph
      s.style.attributes.insert(.dim)
      s.textStyle.attributes.insert(.dim)
    case .mismatch:
      s.glyph = ShadeGlyphs.mismatch(unicode: capabilities.unicode)
      s.lead = s.glyph
      s.style.attributes.insert(.bold)
      s.textStyle.attributes.formUnion([.bold, .underline])
      if !hued { s.textStyle.attributes.insert(.reverse) }
    case .data, .padding:
      break
    }
    return s
  }
}
