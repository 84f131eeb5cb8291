import Testing

@testable import NCursesBackend

// MARK: - Colour-pair allocation

@Suite("ColorPairCache")
struct ColorPairCacheTests {
  @Test("default colours are pair 0; new pairs count from 1 and are reused")
  func allocation() {
    var cache = ColorPairCache(pairCount: 64)
    #expect(cache.lookup(fg: -1, bg: -1) == .cached(0))
    #expect(cache.lookup(fg: 1, bg: -1) == .allocate(1))
    #expect(cache.lookup(fg: 2, bg: 4) == .allocate(2))
    #expect(cache.lookup(fg: 1, bg: -1) == .cached(1))
    #expect(cache.count == 2)
  }

  @Test("pairs above 255 are handed out (extended pairs)")
  func manyPairs() {
    var cache = ColorPairCache(pairCount: 65_536)
    var last: ColorPairCache.Lookup = .cached(0)
    for i: Int32 in 0..<300 { last = cache.lookup(fg: i, bg: 0) }
    #expect(last == .allocate(300))
    #expect(!cache.isExhausted)
  }

  @Test("running out falls back to a pair with the same background, then resets next frame")
  func exhaustion() {
    var cache = ColorPairCache(pairCount: 3)  // pairs 1 and 2
    #expect(cache.lookup(fg: 1, bg: 5) == .allocate(1))
    #expect(cache.lookup(fg: 2, bg: 6) == .allocate(2))
    #expect(cache.lookup(fg: 3, bg: 6) == .fallback(2))
    #expect(cache.lookup(fg: 3, bg: 7) == .fallback(0))
    #expect(cache.isExhausted)
    #expect(cache.lookup(fg: 1, bg: 5) == .cached(1))
    cache.beginFrame()
    #expect(!cache.isExhausted)
    #expect(cache.lookup(fg: 3, bg: 7) == .allocate(1))
  }

  @Test("a frame that fits keeps its pairs")
  func noResetWhenRoom() {
    var cache = ColorPairCache(pairCount: 8)
    #expect(cache.lookup(fg: 1, bg: 2) == .allocate(1))
    cache.beginFrame()
    #expect(cache.lookup(fg: 1, bg: 2) == .cached(1))
  }

  @Test("no pairs at all (no colour)")
  func noPairs() {
    var cache = ColorPairCache(pairCount: 0)
    #expect(cache.lookup(fg: 1, bg: 2) == .fallback(0))
    #expect(cache.lookup(fg: -1, bg: -1) == .cached(0))
  }
}
