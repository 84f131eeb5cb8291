import ConvCore
import ConvLessons
import NumberText
import Testing

@testable import ConvStepper

// MARK: - One way to write indices, ranges and numbers

@Suite("Notation: indices whole and from 0, ranges with …, a formula's decimals as a map's")
struct NotationTests {
  @Test("indices: every axis written, : for an axis taken whole; ranges a…b with a true minus")
  func indicesAndRanges() {
    #expect(ValueFormat.index("y", 0, 1, nil, nil) == "y[0,1,:,:]")
    #expect(ValueFormat.index("y", 0, 1, 2, 3) == "y[0,1,2,3]")
    #expect(ValueFormat.index("b", 4) == "b[4]")
    #expect(ValueFormat.range(-1, 1) == "−1…1" && ValueFormat.range(2, 2) == "2")
    #expect(ValueFormat.range(-3, -1) == "−3…−1")
  }

  @Test("the backward formula writes dy[n,f,i,j] whole, as the forward writes y[n,f,i,j]")
  func backwardIndices() throws {
    let trace = try LayerTrace(.firstLesson)
    let forward = try Timeline(trace: trace, phase: .forward).detail(atWindow: 8)
    let backwardTimeline = try Timeline(trace: trace, phase: .backward)
    let backward = backwardTimeline.detail(atWindow: 8)
    let f = forward.arithmetic().lines.map(\.lhs)
    let b = backward.arithmetic().lines.map(\.lhs)
    #expect(f == ["y[0,0,1,1]"])
    #expect(
      b == [
        "dw[0,0,:,:] += dy[0,0,1,1]·x[0,0,0…2,0…2]", "dx[0,0,0…2,0…2] += dy[0,0,1,1]·w[0,0,:,:]",
        "db[0] += dy[0,0,1,1]",
      ])
    // The window on the border reads padding row and column −1.
    let corner = backwardTimeline.detail(atWindow: 0)
    #expect(corner.arithmetic().lines[1].lhs == "dx[0,0,−1…1,−1…1] += dy[0,0,0,0]·w[0,0,:,:]")
  }

  @Test("a formula's numbers have a map's decimals: 1.375 reads 1.38 in both")
  func decimals() {
    #expect(NumberFormat.short(1.375) == "1.375")
    #expect(NumberFormat.short(1.375, maxDecimals: 2) == "1.38")
    #expect(NumberFormat.short(2.5, maxDecimals: 2) == "2.5")
    #expect(NumberFormat.short(-0.125, maxDecimals: 2) == "−0.13")
    #expect(NumberFormat.short(0.004, maxDecimals: 2).contains("e"))
    #expect(NumberFormat.short(3, maxDecimals: 2) == "3")
    #expect(NumberFormat.short(-1.699, maxDecimals: 2) == "−1.7")
    #expect(NumberFormat.short(0.9996, maxDecimals: 2) == "1")
  }
}
