import Testing

@testable import ConvKernels

// MARK: - Transpose

@Suite("Batched transposes (NCHW ↔ NHWC)")
struct TransposeTests {
  @Test("every element lands at its transposed place, in both loop orders, and back")
  func roundTrip() {
    for (rows, columns) in [(2, 3), (3, 2), (1, 5), (16, 7)] {
      let batch = 2
      let src = (0..<(batch * rows * columns)).map { Float($0) }
      var dst = [Float](repeating: -1, count: src.count)
      var back = dst
      src.withUnsafeBufferPointer { s in
        dst.withUnsafeMutableBufferPointer { d in
          Transpose.batched(s, into: d, batch: batch, rows: rows, columns: columns)
        }
      }
      for b in 0..<batch {
        for i in 0..<rows {
          for j in 0..<columns {
            let plane = b * rows * columns
            #expect(dst[plane + j * rows + i] == src[plane + i * columns + j])
          }
        }
      }
      dst.withUnsafeBufferPointer { s in
        back.withUnsafeMutableBufferPointer { d in
          Transpose.batched(s, into: d, batch: batch, rows: columns, columns: rows)
        }
      }
      #expect(back == src, "\(rows)×\(columns)")
    }
  }
}
