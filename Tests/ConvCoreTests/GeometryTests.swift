import ConvCore
import Testing

// MARK: - Output size and validation

@Suite("Geometry")
struct GeometryTests {
  /// Counts window positions by brute force: origins r = i·s with the whole footprint inside.
  static func bruteForceLength(n: Int, k: Int, s: Int, p: Int, d: Int) -> Int {
    var count = 0
    var origin = 0
    while origin + d * (k - 1) <= n + 2 * p - 1 {
      count += 1
      origin += s
    }
    return count
  }

  @Test("PyTorch's formula equals counting the windows that fit")
  func outputLengthFormula() {
    for n in 1...12 {
      for k in 1...6 {
        for s in 1...4 {
          for p in 0...3 {
            for d in 1...3 {
              let expected = Self.bruteForceLength(n: n, k: k, s: s, p: p, d: d)
              let formula = Conv2DConfig.outputLength(
                input: n, kernel: k, stride: s, padding: p, dilation: d)
              if expected > 0 {
                #expect(formula == expected, "n\(n) k\(k) s\(s) p\(p) d\(d)")
              } else {
                #expect(formula <= 0, "n\(n) k\(k) s\(s) p\(p) d\(d)")
              }
            }
          }
        }
      }
    }
  }

  @Test("the article's layer: O = 32, and the formula with live numbers")
  func articleFormula() throws {
    let c = Conv2DConfig(inChannels: 1, filters: 16, kernel: 5, padding: 2)
    #expect(try c.outputSize(input: Size2(32)) == Size2(32))
    #expect(
      c.outputFormula(input: 32, alongHeight: true) == "⌊(32 + 2·2 − 1·(5−1) − 1)/1⌋ + 1 = 32")
  }

  @Test(
    "invalid parameters throw errors that name the parameter and the value",
    arguments: [
      (Conv2DConfig(inChannels: 1, filters: 1, kernel: 3, stride: 0), "stride", "0"),
      (Conv2DConfig(inChannels: 1, filters: 1, kernel: 3, stride: Size2(1, -2)), "stride", "1,-2"),
      (Conv2DConfig(inChannels: 1, filters: 1, kernel: 3, dilation: 0), "dilation", "0"),
      (Conv2DConfig(inChannels: 1, filters: 1, kernel: 3, padding: -1), "padding", "-1"),
      (Conv2DConfig(inChannels: 1, filters: 1, kernel: 0), "kernel-size", "0"),
      (Conv2DConfig(inChannels: 0, filters: 1, kernel: 3), "in-channels", "0"),
      (Conv2DConfig(inChannels: 1, filters: -3, kernel: 3), "filters", "-3"),
    ])
  func invalid(config: Conv2DConfig, name: String, value: String) {
    do {
      try config.validate()
      Issue.record("expected an error for \(name)")
    } catch let error as ConvError {
      let message = error.description
      #expect(message.hasPrefix(name), "\(message)")
      #expect(message.contains("(got \(value))"), "\(message)")
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test("a kernel that does not fit the padded input is refused, naming both sizes")
  func kernelTooLarge() {
    let c = Conv2DConfig(inChannels: 1, filters: 1, kernel: Size2(3, 7), padding: 1, dilation: 1)
    #expect(throws: ConvError.kernelDoesNotFit(axis: "width", effectiveKernel: 7, paddedInput: 6)) {
      try c.outputSize(input: Size2(4))
    }
    let dilated = Conv2DConfig(inChannels: 1, filters: 1, kernel: 3, dilation: 3)
    #expect(throws: ConvError.kernelDoesNotFit(axis: "height", effectiveKernel: 7, paddedInput: 6))
    {
      try dilated.outputSize(input: Size2(6))
    }
  }

  @Test("channel counts must agree")
  func channelMismatch() {
    let c = Conv2DConfig(inChannels: 3, filters: 2, kernel: 3)
    #expect(throws: ConvError.self) {
      try ConvGeometry(config: c, inputShape: [1, 1, 8, 8])
    }
    let x = Tensor(shape: [1, 3, 8, 8])
    let wrongWeights = Tensor(shape: [2, 1, 3, 3])
    #expect(throws: ConvError.self) {
      try Conv2D.forward(x: x, weight: wrongWeights, bias: Tensor(shape: [2]), config: c)
    }
  }

  @Test("huge parameters are refused, not multiplied into an overflow")
  func hugeParameters() {
    let c = Conv2DConfig(inChannels: 1, filters: 1, kernel: Size2(Int.max / 2))
    #expect(throws: ConvError.self) { try c.outputSize(input: Size2(4)) }
    #expect(throws: ConvError.self) {
      try Tensor(validatingShape: [1 << 40, 1 << 40], name: "x")
    }
  }

  @Test("rows the floor drops and cells no window reads")
  func droppedAndUnread() throws {
    // stride 2, kernel 3, no padding on 8 rows: windows start at 0, 2, 4 → rows 0…6; row 7 dropped.
    let c = Conv2DConfig(inChannels: 1, filters: 1, kernel: 3, stride: 2)
    let g = try ConvGeometry(config: c, inputShape: [1, 1, 8, 10])
    #expect(g.output == Size2(3, 4))
    #expect(g.rowsDroppedByFloor() == [7])
    #expect(g.columnsDroppedByFloor() == [9])
    #expect(g.unreadRows() == [7])
    // Stride larger than the kernel leaves gaps that no window reads.
    let gaps = Conv2DConfig(inChannels: 1, filters: 1, kernel: 1, stride: 2, padding: 1)
    let gg = try ConvGeometry(config: gaps, inputShape: [1, 1, 5, 6])
    #expect(gg.unreadRows() == [0, 2, 4])
    #expect(gg.readCounts()[0] == 0)
    #expect(gg.readCounts()[1 * 6 + 1] == 1)
  }
}
