import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvFormats

// MARK: - PNM

@Suite("Formats: PBM/PGM/PPM and text grids")
struct PNMAndTextTests {
  static func load(_ text: String, _ name: String, options: LoadOptions = LoadOptions(maxSize: 0))
    throws -> LoadedTensor
  {
    try TensorFile.parse(Array(text.utf8), source: name, options: options)
  }

  @Test("PNM headers with comments anywhere, any whitespace, and PBM without spaces")
  func pnmVariants() throws {
    let a = try Self.load("P2#c\n2#w\n#h\n1\t#m\n4\n0 4", "a.pgm")
    #expect(a.tensor.shape == [1, 1, 2] && a.tensor.data == [0, 1])
    let b = try Self.load("P1 3 2 010\n1 1 0", "b.pbm")
    #expect(b.tensor.data == [1, 0, 1, 0, 0, 1])
    let c = try TensorFile.parse(
      Array("P4 9 1\n".utf8) + [0b1000_0000, 0b1000_0000], source: "c.pbm")
    #expect(c.tensor.data == [0, 1, 1, 1, 1, 1, 1, 1, 0])
    let d = try TensorFile.parse(Array("P5 1 1 65535\n".utf8) + [0x80, 0x00], source: "d.pgm")
    #expect(d.tensor.data == [Float(0x8000) / 65535])
  }

  @Test("PNM errors say what is wrong and where")
  func pnmErrors() {
    let cases: [([UInt8], String)] = [
      (Array("P5 2 2 255".utf8), "no whitespace before the pixel data"),
      (Array("P5 2 2 255\n".utf8) + [1, 2, 3], "needs 4 bytes of pixel data but only 3"),
      (
        Array("P5 1 1 1000\n".utf8) + [0x03, 0xE9],
        "sample value 1001 at pixel (x 0, y 0) exceeds maxval 1000"
      ),
      (Array("P2 2x 2 255\n".utf8), "'x' right after the width"),
      (Array("P1 2 1 2 0".utf8), "only 0 and 1"),
      (Array("P3 1 1 255 1 2".utf8), "ends after 2 of 3 samples"),
      (Array("P2 99999999999 1 255\n".utf8), "absurdly large"),
      (Array("P6 100000 100000 255\n".utf8), "over the limit"),
    ]
    for (bytes, word) in cases {
      let message = inputErrorMessage { _ = try TensorFile.parse(bytes, source: "p.pnm") }
      #expect(message?.contains(word) == true, "\(word): \(message ?? "no error")")
    }
  }

  @Test("text grids: separators, comments, grids and numbers")
  func textVariants() throws {
    let a = try Self.load("# kernel\n1;2\n3;4;\n", "a.csv")
    #expect(a.tensor.shape == [2, 2] && a.tensor.data == [1, 2, 3, 4])
    let b = try Self.load("1 2\n---\n3 4\n-----\n\n5 6\n", "b.txt")
    #expect(b.tensor.shape == [3, 1, 2])
    let c = try Self.load("  .5\t-1.e2  +3E-1 ", "c.tsv")
    #expect(c.tensor.data == [0.5, -100, 0.3])
    #expect(a.detail == "text, semicolon-separated, 2×2")
    #expect(b.detail == "text, whitespace-separated, 3 grids of 1×2")
  }

  @Test("text errors name the line and the column")
  func textErrors() {
    let cases: [(String, String)] = [
      ("1 2\n3 4 5\n", "g.txt: line 2: 3 values but the rows above have 2 (ragged rows)"),
      ("1, 2\n3,  x\n", "g.txt: line 2, column 5: 'x' is not a number"),
      ("1 2\n3 1e\n", "g.txt: line 2, column 3: '1e' is not a number"),
      (
        "1,2\n\n3,4\n5,6\n",
        "g.txt: line 3: grid 2 has 2×2 values but grid 1 has 1×2; every grid must have the same size"
      ),
      ("   \n# c\n", "g.txt: no numbers found (the file is empty or all comments)"),
      ("1 2 -\n", "g.txt: line 1, column 5: '-' is not a number"),
    ]
    for (text, expected) in cases {
      #expect(inputErrorMessage { _ = try Self.load(text, "g.txt") } == expected)
    }
    #expect(
      inputErrorMessage { _ = try TensorFile.values("1,,2", source: "--bias") }
        == "--bias: character 3: empty value (two separators in a row?)")
  }
}

// MARK: - Reduction

@Suite("Formats: area-averaging reduction")
struct ReductionTests {
  @Test("sizes keep the aspect ratio; 0 and images that fit are left alone")
  func sizes() {
    #expect(ImageReduction.reducedSize(height: 512, width: 512, maxSize: 64) == (64, 64))
    #expect(ImageReduction.reducedSize(height: 480, width: 640, maxSize: 64) == (48, 64))
    #expect(ImageReduction.reducedSize(height: 1, width: 1000, maxSize: 10) == (1, 10))
    #expect(ImageReduction.reducedSize(height: 30, width: 20, maxSize: 0) == (30, 20))
    #expect(ImageReduction.reducedSize(height: 30, width: 20, maxSize: 30) == (30, 20))
  }

  @Test("weights cover each output exactly once, and means are preserved")
  func weights() throws {
    for (n, m) in [(7, 3), (10, 4), (5, 5), (100, 7), (3, 1)] {
      let w = ImageReduction.weights(from: n, to: m)
      #expect(w.count == m)
      for column in w { #expect(abs(column.weights.reduce(0, +) - 1) < 1e-12) }
      var coverage = [Double](repeating: 0, count: n)
      for column in w {
        for (k, weight) in column.weights.enumerated() { coverage[column.first + k] += weight }
      }
      #expect(coverage.allSatisfy { abs($0 - Double(m) / Double(n)) < 1e-12 }, "\(n)→\(m)")
    }
    let t = try Tensor(shape: [2, 6, 9], data: (0..<108).map { Float($0 % 13) })
    let r = try ImageReduction.reduce(t, maxSize: 3)
    #expect(r.shape == [2, 2, 3])
    let mean = t.data.reduce(0, +) / 108
    #expect(abs(r.data.reduce(0, +) / 12 - mean) < 1e-4)
  }
}
