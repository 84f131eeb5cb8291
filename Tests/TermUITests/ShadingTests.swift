import Testing

@testable import TermUI

@Suite("Shading")
struct ShadingTests {
  private let levels: [Capabilities] = [
    .full, Capabilities(color: .ansi256, unicode: true), Capabilities(color: .ansi8, unicode: true),
    Capabilities(color: .ansi8, unicode: false), Capabilities(color: .none, unicode: true), .plain,
  ]

  @Test func palettesAreCentredOnZero() {
    for p in Palette.allCases {
      #expect(p.color(at: -1) == p.stops.first)
      #expect(p.color(at: 1) == p.stops.last)
      #expect(p.color(at: 0) == p.stops[p.stops.count / 2])
      #expect(p.color(at: .nan) == p.color(at: 0))
      #expect(p.color(at: 5) == p.color(at: 1))
      #expect(!p.name.isEmpty && !p.shortName.isEmpty)
    }
    #expect(Palette.redBlue.color(at: 0) == RGB(247, 247, 247))
    // CNN Explainer's orientation: negative red, positive blue.
    let neg = Palette.redBlue.color(at: -0.8)
    let pos = Palette.redBlue.color(at: 0.8)
    #expect(neg.r > neg.b && pos.b > pos.r)
    let orange = Palette.purpleOrange.color(at: -0.8)
    let purple = Palette.purpleOrange.color(at: 0.8)
    #expect(orange.r > orange.b && purple.b > purple.g)
    #expect(Palette.grey.color(at: -1).luminance < Palette.grey.color(at: 1).luminance)
  }

  @Test func paletteCycleVisitsEveryPalette() {
    var seen: [Palette] = []
    var p = Palette.redBlue
    for _ in Palette.allCases {
      seen.append(p)
      p = p.next
    }
    #expect(Set(seen) == Set(Palette.allCases))
    #expect(p == .redBlue)
  }

  @Test func intensityGrowsWithMagnitude() {
    for p in [Palette.redBlue, .purpleOrange] {
      let neutral = p.color(at: 0)
      for sign: Float in [-1, 1] {
        var last: Float = 1
        for step in 1...10 {
          let c = p.color(at: sign * Float(step) / 10)
          let contrast = c.contrast(with: neutral)
          #expect(contrast >= last, "\(p) \(sign * Float(step) / 10)")
          last = contrast
        }
      }
    }
  }

  @Test func levelsAreZeroOnlyForZero() {
    let s = Shader(capabilities: .plain, range: 10)
    #expect(s.level(0, levels: 4) == 0)
    #expect(s.level(-0.0, levels: 4) == 0)
    #expect(s.level(0.0001, levels: 4) == 1)
    #expect(s.level(-10, levels: 4) == 4)
    #expect(s.level(1000, levels: 4) == 4)
    #expect(s.level(5, levels: 4) == 2)
    #expect(Shader(capabilities: .plain, range: 0).effectiveRange == 1)
    #expect(Shader(capabilities: .plain, range: .nan).effectiveRange == 1)
  }

  @Test func truecolorUsesTheInterpolatedColourAsBackground() {
    let s = Shader(palette: .redBlue, capabilities: .full, range: 2)
    let shade = s.shade(1)
    #expect(shade.style.bg == Color(Palette.redBlue.color(at: 0.5)))
    #expect(shade.glyph == " ")
    #expect(s.shade(0).style.bg == .rgb(247, 247, 247))
    #expect(s.shade(0).style.fg == .rgb(0, 0, 0))
    #expect(s.shade(-2).style.fg == .rgb(255, 255, 255))
  }

  @Test func ansi256UsesTheNearestIndex() {
    let s = Shader(
      palette: .redBlue, capabilities: Capabilities(color: .ansi256, unicode: true), range: 1)
    for v: Float in [-1, -0.5, 0, 0.3, 1] {
      let want = Color.indexed(Color.nearestXterm256(Palette.redBlue.color(at: v)))
      #expect(s.shade(v).style.bg == want)
      guard case .indexed = s.shade(v).style.fg else {
        Issue.record("foreground should be indexed")
        continue
      }
    }
  }

  @Test func eightColoursUseHueAndRamp() {
    let s = Shader(
      palette: .redBlue, capabilities: Capabilities(color: .ansi8, unicode: true), range: 1)
    #expect(s.shade(1).glyph == "█")
    #expect(s.shade(0.1).glyph == "░")
    #expect(s.shade(0).glyph == " ")
    #expect(s.shade(0.5).style.fg == .ansi(4))
    #expect(s.shade(-0.5).style.fg == .ansi(1))
    let ascii = Shader(
      palette: .redBlue, capabilities: Capabilities(color: .ansi8, unicode: false), range: 1)
    #expect(ascii.shade(1).glyph == "@")
    #expect(ascii.shade(0.01).glyph == ",")
  }

  @Test func withoutColourSignIsInTheGlyphs() {
    for caps in [Capabilities(color: .none, unicode: true), Capabilities.plain] {
      let s = Shader(palette: .redBlue, capabilities: caps, range: 1)
      for m: Float in [0.1, 0.4, 0.8, 1] {
        let pos = s.shade(m)
        let neg = s.shade(-m)
        #expect(pos.glyph != neg.glyph, "\(caps) ±\(m) one column")
        #expect(pos.lead == "+" && neg.lead == "-")
        // Wider cells fill with the one-column glyph, so one legend reads every width.
        #expect(pos.trail == pos.glyph && neg.trail == neg.glyph)
      }
      #expect(s.shade(0).glyph == " " && s.shade(0).lead == " ")
    }
    // The grey palette has no hue, so 8 colours also draw sign marks.
    let grey = Shader(
      palette: .grey, capabilities: Capabilities(color: .ansi8, unicode: true), range: 1)
    #expect(grey.shade(0.8).glyph != grey.shade(-0.8).glyph)
  }

  @Test func asciiLevelsDrawOnlyASCII() {
    for caps in levels where !caps.unicode {
      let s = Shader(capabilities: caps, range: 1)
      var values: [Float?] = [nil, .nan, .infinity, -.infinity]
      values += stride(from: -1.0, through: 1.0, by: 0.05).map { Float($0) }
      for v in values {
        for k in HeatCellKind.allCases {
          let shade = s.shade(v, kind: k)
          for g in [shade.glyph, shade.lead, shade.trail] {
            #expect(g.isASCII, "\(String(describing: v)) \(k)")
          }
        }
      }
    }
  }

  /// What a viewer can tell apart in one cell: the glyph(s) and the colours.
  private func look(_ s: Shade, wide: Bool) -> String {
    (wide ? "\(s.lead)\(s.trail)" : "\(s.glyph)") + " \(s.style.fg) \(s.style.bg)"
  }

  @Test func specialValuesLookDifferentFromDataAtEveryLevel() {
    for caps in levels {
      let s = Shader(capabilities: caps, range: 1)
      for wide in [false, true] {
        let specials: [(String, Shade)] = [
          ("nil", s.shade(nil)), ("nan", s.shade(.nan)), ("+inf", s.shade(.infinity)),
          ("-inf", s.shade(-.infinity)), ("padding", s.shade(0, kind: .padding)),
        ]
        let data = Set(
          stride(from: -1.0, through: 1.0, by: 0.01).map { look(s.shade(Float($0)), wide: wide) })
        var seen: Set<String> = []
        for (name, shade) in specials {
          let l = look(shade, wide: wide)
          #expect(!data.contains(l), "\(caps) \(name) looks like data")
          #expect(!seen.contains(l), "\(caps) \(name) looks like another special")
          seen.insert(l)
        }
        // Dropped and mismatch cells carry a mark in glyph-only levels and when one column wide.
        if !s.fillsWithColor || !wide {
          #expect(!data.contains(look(s.shade(0.5, kind: .dropped), wide: wide)), "\(caps) dropped")
          #expect(
            !data.contains(look(s.shade(0.5, kind: .mismatch), wide: wide)), "\(caps) mismatch")
        }
      }
    }
  }

  @Test func textOnColourStaysReadable() {
    for p in Palette.allCases {
      let s = Shader(palette: p, capabilities: .full, range: 1)
      for v in stride(from: -1.0, through: 1.0, by: 0.02) {
        let st = s.shade(Float(v)).textStyle
        let fg = st.fg.toRGB(default: .white)
        let bg = st.bg.toRGB(default: .black)
        #expect(fg.contrast(with: bg) >= 4.5, "\(p) \(v)")
      }
    }
  }

  /// Eight colours: a number is either on its hue (with a readable foreground) or in the
  /// terminal's own colour, never in a bare hue that one background would hide.
  @Test func eightColourNumbersReadOnBlackAndWhite() {
    for p in Palette.allCases {
      for unicode in [true, false] {
        let s = Shader(
          palette: p, capabilities: Capabilities(color: .ansi8, unicode: unicode), range: 1)
        for v in stride(from: -1.0, through: 1.0, by: 0.05) {
          let st = s.shade(Float(v)).textStyle
          #expect(st.fg == .default || st.bg != .default, "\(p) \(v): \(st)")
        }
      }
    }
  }

  @Test func fillColoursForHalfBlocks() {
    let s = Shader(palette: .redBlue, capabilities: .full, range: 1)
    #expect(s.fillColor(0.5) == Color(Palette.redBlue.color(at: 0.5)))
    #expect(s.fillColor(nil) == Color(Shader.pendingFill))
    #expect(s.fillColor(.nan) == Color(Shader.alert))
    #expect(s.fillColor(0, kind: .padding) != s.fillColor(0, kind: .padding, odd: true))
    #expect(s.fillColor(0.5, kind: .dropped) != s.fillColor(0.5))
  }
}
