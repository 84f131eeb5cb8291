import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvFormats

// MARK: - NPY

/// A version 1.0 `.npy` file with a hand-written header and raw data.
func npyFile(_ header: String, _ data: [UInt8] = [], major: UInt8 = 1) -> [UInt8] {
  var h = Array(header.utf8)
  let preamble = major == 1 ? 10 : 12
  h += [UInt8](repeating: 0x20, count: (64 - (preamble + h.count + 1) % 64) % 64) + [0x0A]
  var out: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0]
  out += [UInt8(h.count & 0xFF), UInt8(h.count >> 8)]
  if major != 1 { out += [0, 0] }
  return out + h + data
}

@Suite("Formats: NumPy .npy header and data")
struct NPYTests {
  static func floats(_ values: [Float], bigEndian: Bool = false) -> [UInt8] {
    values.flatMap { v -> [UInt8] in
      let b = bigEndian ? v.bitPattern.bigEndian : v.bitPattern.littleEndian
      return withUnsafeBytes(of: b) { Array($0) }
    }
  }

  @Test("a header key given twice is refused: NumPy would keep the last, and read another dtype")
  func duplicateKeys() {
    let header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'descr': '|O', }"
    let message = inputErrorMessage {
      _ = try NPYReader.read(npyFile(header, NPYTests.floats([1])), source: "d.npy")
    }
    #expect(message?.hasPrefix("d.npy: ") == true, "\(message ?? "")")
    #expect(message?.contains("the key 'descr' appears twice") == true, "\(message ?? "")")
  }

  @Test("header dictionaries in the spellings NumPy and others write")
  func headerSpellings() throws {
    let data = Self.floats([1, 2, 3, 4, 5, 6])
    let headers = [
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
      "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}",
      "{'shape': (2L, 3L), 'fortran_order': False, 'descr': '<f4'}",
      "{ 'descr' : '=f4' ,\n 'fortran_order' : False , 'shape' : ( 2 , 3 ) , }",
      "{'descr': 'f4', 'fortran_order': False, 'shape': (2, 3), 'extra': [1, {'a': None}]}",
    ]
    for header in headers {
      let array = try NPYReader.read(npyFile(header, data), source: "h.npy")
      #expect(array.tensor.shape == [2, 3], "\(header)")
      #expect(array.tensor.data == [1, 2, 3, 4, 5, 6], "\(header)")
    }
    let v2 = try NPYReader.read(
      npyFile(
        "{'descr': '>f4', 'fortran_order': False, 'shape': (3,), }",
        Self.floats([1, 2, 3], bigEndian: true), major: 2), source: "v2.npy")
    #expect(v2.tensor.data == [1, 2, 3] && v2.version.major == 2)
  }

  @Test("Fortran order is transposed into row-major order; 1-D needs nothing")
  func fortranOrder() throws {
    // Column-major 2×3 [[1, 2, 3], [4, 5, 6]] is stored 1 4 2 5 3 6.
    let a = try NPYReader.read(
      npyFile(
        "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
        Self.floats([1, 4, 2, 5, 3, 6])), source: "f.npy")
    #expect(a.tensor.data == [1, 2, 3, 4, 5, 6])
    let b = try NPYReader.read(
      npyFile("{'descr': '<f4', 'fortran_order': True, 'shape': (3,), }", Self.floats([1, 2, 3])),
      source: "f1.npy")
    #expect(b.tensor.data == [1, 2, 3] && b.notes.isEmpty)
  }

  @Test("float16 decoding covers subnormals, infinities and NaN")
  func half() {
    #expect(NPYDType.halfToFloat(0x3C00) == 1)
    #expect(NPYDType.halfToFloat(0xC000) == -2)
    #expect(NPYDType.halfToFloat(0x0001) == 0x1p-24)
    #expect(NPYDType.halfToFloat(0x7BFF) == 65504)
    #expect(NPYDType.halfToFloat(0x7C00) == .infinity)
    #expect(NPYDType.halfToFloat(0xFC00) == -.infinity)
    #expect(NPYDType.halfToFloat(0x7E00).isNaN)
    #expect(NPYDType.halfToFloat(0x8000).sign == .minus)
  }

  @Test("hostile headers are one-line errors, not traps")
  func hostileHeaders() {
    let cases: [([UInt8], String)] = [
      (Array("\u{93}NUMPY".utf8).prefix(4) + [], "not a NumPy .npy file"),
      ([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, 0xFF], "truncated"),
      ([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, 0xFF, 0xFF], "declares 65535 bytes but only 0"),
      ([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 2, 0, 0xFF, 0xFF, 0xFF, 0x7F], "over the limit"),
      (npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)"), "malformed header"),
      (npyFile("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}"), "'fortran_order'"),
      (npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': [2]}"), "'shape' is not a tuple"),
      (
        npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}"),
        "too large"
      ),
      (
        npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} trailing"),
        "unexpected text"
      ),
      (npyFile(String(repeating: "(", count: 100)), "nested too deeply"),
      (npyFile("{'descr': 'f4"), "not closed"),
      (npyFile("{'descr': '', 'fortran_order': False, 'shape': ()}"), "unknown dtype"),
      (
        npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", [1, 2, 3]),
        "needs 8 bytes but only 3"
      ),
    ]
    for (bytes, word) in cases {
      let message = inputErrorMessage { _ = try NPYReader.read(Array(bytes), source: "x.npy") }
      #expect(message?.contains(word) == true, "\(word): \(message ?? "no error")")
      #expect(message?.hasPrefix("x.npy: ") == true)
    }
  }

  @Test("writer round trip keeps every value, NaN and ±0 included, in every rank")
  func writerRoundTrip() throws {
    for shape in [[], [0], [3], [2, 0, 4], [1, 2, 3, 2]] {
      let count = shape.reduce(1, *)
      let values = (0..<count).map { i -> Float in
        [Float.nan, -0.0, .infinity, Float(bitPattern: 1), -3.5][i % 5]
      }
      let t = try Tensor(shape: shape, data: values)
      let data = NPYWriter.encode(t)
      #expect(data.count % 64 == (count * 4) % 64, "the data starts on a 64-byte boundary")
      let back = try NPYReader.read(Array(data), source: "w.npy")
      #expect(back.tensor.shape == shape)
      #expect(back.tensor.data.map(\.bitPattern) == values.map(\.bitPattern))
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-npy-\(UUID())")
    #expect(
      inputErrorMessage { try NPYWriter.write(Tensor(shape: [1]), to: dir.path + "/x/y.npy") }?
        .hasPrefix(dir.path + "/x/y.npy: cannot write") == true)
  }
}
