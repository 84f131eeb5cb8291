import Testing

@testable import TermUI

@Suite("Colour conversion")
struct ColorTests {
  /// The obviously correct nearest xterm-256 index: try all 240 non-ANSI entries.
  private func bruteForce256(_ c: RGB) -> UInt8 {
    var best = 16
    var bestDistance = Int.max
    for i in 16...255 {
      let p = Color.xtermRGB(UInt8(i))
      let d = Color.distance(
        Int(c.r), Int(c.g), Int(c.b), Int(p.r), Int(p.g), Int(p.b))
      if d < bestDistance {
        bestDistance = d
        best = i
      }
    }
    return UInt8(best)
  }

  @Test func xtermPaletteEntries() {
    #expect(Color.xtermRGB(0) == RGB(0, 0, 0))
    #expect(Color.xtermRGB(9) == RGB(255, 0, 0))
    #expect(Color.xtermRGB(16) == RGB(0, 0, 0))
    #expect(Color.xtermRGB(21) == RGB(0, 0, 255))
    #expect(Color.xtermRGB(196) == RGB(255, 0, 0))
    #expect(Color.xtermRGB(231) == RGB(255, 255, 255))
    #expect(Color.xtermRGB(232) == RGB(8, 8, 8))
    #expect(Color.xtermRGB(255) == RGB(238, 238, 238))
  }

  @Test func nearest256MatchesBruteForceOnAGrid() {
    for r in stride(from: 0, through: 255, by: 5) {
      for g in stride(from: 0, through: 255, by: 5) {
        for b in stride(from: 0, through: 255, by: 15) {
          let c = RGB(UInt8(r), UInt8(g), UInt8(b))
          #expect(Color.nearestXterm256(c) == bruteForce256(c), "\(c)")
        }
      }
    }
  }

  @Test func nearest256MatchesBruteForceOnEveryGreyAndRandomColours() {
    for v in 0...255 {
      let c = RGB(UInt8(v), UInt8(v), UInt8(v))
      #expect(Color.nearestXterm256(c) == bruteForce256(c), "\(c)")
    }
    var rng = SplitMix(seed: 42)
    for _ in 0..<5000 {
      let c = RGB(rng.byte(), rng.byte(), rng.byte())
      #expect(Color.nearestXterm256(c) == bruteForce256(c), "\(c)")
    }
  }

  @Test func exactPaletteColoursMapToThemselves() {
    for i in 16...255 {
      let c = Color.xtermRGB(UInt8(i))
      #expect(Color.xtermRGB(Color.nearestXterm256(c)) == c)
    }
  }

  @Test func nearestANSI8NamesHues() {
    #expect(Color.nearestANSI8(RGB(178, 24, 43)) == 1)  // RdBu red
    #expect(Color.nearestANSI8(RGB(33, 102, 172)) == 4)  // RdBu blue
    #expect(Color.nearestANSI8(RGB(200, 150, 0)) == 3)
    #expect(Color.nearestANSI8(RGB(150, 0, 200)) == 5)
    #expect(Color.nearestANSI8(RGB(20, 200, 40)) == 2)
    #expect(Color.nearestANSI8(RGB(20, 200, 200)) == 6)
    #expect(Color.nearestANSI8(RGB(247, 247, 247)) == 7)
    #expect(Color.nearestANSI8(RGB(30, 30, 30)) == 0)
  }

  @Test func downgradeByLevel() {
    let red = Color.rgb(255, 0, 0)
    #expect(red.downgraded(to: .truecolor) == red)
    #expect(red.downgraded(to: .ansi256) == .indexed(196))
    #expect(red.downgraded(to: .ansi8) == .ansi(1))
    #expect(red.downgraded(to: .none) == .default)
    #expect(Color.ansi(9).downgraded(to: .ansi8) == .ansi(1))
    #expect(Color.ansi(9).downgraded(to: .ansi256) == .ansi(9))
    #expect(Color.indexed(21).downgraded(to: .ansi8) == .ansi(4))
    #expect(Color.indexed(3).downgraded(to: .ansi8) == .ansi(3))
    #expect(Color.default.downgraded(to: .truecolor) == .default)
  }

  @Test func toRGB() {
    #expect(Color.default.toRGB() == nil)
    #expect(Color.default.toRGB(default: .white) == .white)
    #expect(Color.ansi(4).toRGB() == RGB(0, 0, 238))
    #expect(Color.indexed(232).toRGB() == RGB(8, 8, 8))
    #expect(Color.rgb(1, 2, 3).toRGB() == RGB(1, 2, 3))
  }

  @Test func readableTextFollowsLuminance() {
    #expect(RGB.white.readableText == .black)
    #expect(RGB.black.readableText == .white)
    #expect(RGB(247, 247, 247).readableText == .black)
    #expect(RGB(33, 102, 172).readableText == .white)
    #expect(RGB(178, 24, 43).readableText == .white)
    #expect(RGB(255, 255, 0).readableText == .black)
    #expect(abs(RGB.white.luminance - 1) < 1e-4)
    #expect(abs(RGB(128, 128, 128).luminance - 0.2158) < 1e-3)
    #expect(Color.readableForeground(on: .default) == .default)
    #expect(Color.readableForeground(on: .rgb(0, 0, 0), level: .ansi256) == .indexed(231))
  }

  @Test func hexAndDescription() {
    #expect(RGB(hex: 0xb2182b) == RGB(178, 24, 43))
    #expect(RGB(178, 24, 43).hex == "#b2182b")
    #expect(Color.indexed(7).description == "idx(7)")
    #expect(
      Style(fg: .ansi(1), attributes: [.bold, .underline]).description
        == "fg=ansi(1) bold+underline")
    #expect(Style.plain.description == "plain")
  }
}

/// A tiny deterministic generator for tests (SplitMix64).
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}
