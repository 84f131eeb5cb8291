import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvFormats

// MARK: - Images read row by row

/// `Tests/Fixtures/images` (scripts/make_image_fixtures.py: zlib and NumPy only) against the
/// values computed there: whole, and reduced by an independent area average.
@Suite("Formats: images read row by row and reduced while reading")
struct ImageStreamTests {
  struct Case: Decodable {
    var file: String
    var maxSize: Int
    var shape: [Int]
    var storedShape: [Int]
    var detail: String
    var values: [Float]

    enum CodingKeys: String, CodingKey {
      case file, shape, detail, values
      case maxSize = "max_size"
      case storedShape = "stored_shape"
    }
  }

  static func cases() throws -> [Case] {
    let url = FormatFixtures.root.appendingPathComponent("Tests/Fixtures/images/manifest.json")
    struct Manifest: Decodable { var files: [Case] }
    return try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: url)).files
  }

  static func path(_ relative: String) -> String {
    FormatFixtures.root.appendingPathComponent("Tests/Fixtures/images/\(relative)").path
  }

  @Test("16-bit, RGB(A), palette, 2-bit, Adam7 and PNM images: whole and reduced, as NumPy says")
  func manifest() throws {
    let cases = try Self.cases()
    #expect(cases.count >= 40)
    for c in cases {
      let options = LoadOptions(maxSize: c.maxSize)
      let loaded = try TensorFile.load(path: Self.path(c.file), options: options)
      let label = "\(c.file) max \(c.maxSize)"
      #expect(loaded.tensor.shape == c.shape, "\(label): shape \(loaded.tensor.shape)")
      #expect(loaded.storedShape == c.storedShape, "\(label)")
      #expect(loaded.detail == c.detail, "\(label): \(loaded.detail)")
      let worst = zip(loaded.tensor.data, c.values).map { abs($0 - $1) }.max() ?? 0
      #expect(
        loaded.tensor.count == c.values.count && worst <= 2e-6, "\(label): off by \(worst)")
    }
  }

  @Test("an interlaced image reads to the same bits as the same image not interlaced")
  func interlacedEqualsProgressive() throws {
    for (a, b) in [
      ("png/rgb8.png", "png/rgb8_interlaced.png"),
      ("png/grey16.png", "png/grey16_interlaced.png"),
    ] {
      for size in [0, 5, 8, 36] {
        let options = LoadOptions(maxSize: size)
        let x = try TensorFile.load(path: Self.path(a), options: options).tensor
        let y = try TensorFile.load(path: Self.path(b), options: options).tensor
        #expect(x.shape == y.shape && x.data == y.data, "\(b) max \(size)")
      }
    }
  }

  @Test("reducing while reading equals reducing the whole image, to the last bit")
  func streamingEqualsWhole() throws {
    let whole = try TensorFile.load(
      path: Self.path("png/rgba16.png"), options: LoadOptions(maxSize: 0))
    for size in [5, 8, 36] {
      let streamed = try TensorFile.load(
        path: Self.path("png/rgba16.png"), options: LoadOptions(maxSize: size)
      ).tensor
      // The whole image's samples, reduced by the plane reducer the stream must match.
      let (h, w) = (whole.tensor.shape[1], whole.tensor.shape[2])
      let (oh, ow) = ImageReduction.reducedSize(height: h, width: w, maxSize: size)
      var expected: [Float] = []
      for c in 0..<3 {
        let plane = ImageReduction.reducePlane(height: h, width: w, toHeight: oh, width: ow) {
          // Back to the stored 16-bit sample: exact, as v = s / 65535 in float32 round-trips.
          (Double(whole.tensor.data[c * h * w + $0]) * 65535).rounded()
        }
        expected += plane.map { Float($0 / 65535) }
      }
      #expect(streamed.data == expected, "max \(size)")
    }
  }

  @Test("a 2048×2048 PNG reduced to 64×64 holds a row and the result, never the image")
  func boundedMemory() throws {
    let probe = AllocationProbe()
    let loaded = try AllocationProbe.$current.withValue(probe) {
      try TensorFile.load(path: Self.path("big/grey8_2048.png"))
    }
    #expect(loaded.tensor.shape == [1, 64, 64])
    #expect(probe.largest <= 4096, "allocated \(probe.largest) values")
    #expect(probe.bytesRead == 0, "read \(probe.bytesRead) bytes whole")
  }
}

// MARK: - Caps from the header

@Suite("Formats: kernels, checked tensors and unreduced images are capped from the header")
struct ImageCapTests {
  static func refusal(_ path: String, _ options: LoadOptions) -> (String?, Int) {
    let probe = AllocationProbe()
    let message = AllocationProbe.$current.withValue(probe) {
      inputErrorMessage { _ = try TensorFile.load(path: path, options: options) }
    }
    return (message, probe.largest)
  }

  @Test("a 16384×16384 PNG or PBM as a kernel or a checked tensor: one line, nothing allocated")
  func kernelCap() {
    for file in ["16384x16384_header.png", "16384x16384_header.pbm"] {
      let path = ImageStreamTests.path("bombs/\(file)")
      let kind = file.hasSuffix(".png") ? "PNG" : "PBM"
      for role in ["a kernel", "a checked tensor"] {
        let (message, largest) = Self.refusal(path, .layerArray(role: role))
        #expect(
          message
            == "\(path): \(kind) image of 16384×16384 pixels is 268435456 values, over the limit "
            + "of 16777216 values for \(role); refused before reading")
        #expect(largest == 0)
      }
    }
  }

  @Test("--max-size 0 is bounded by the element limit, refused before decoding")
  func unreducedCap() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("rgb.png")
    try Data(PNGChunks.image(width: 16384, height: 16384, depth: 8, colour: 2)).write(
      to: URL(fileURLWithPath: path))
    let (message, largest) = Self.refusal(path, LoadOptions(maxSize: 0))
    #expect(
      message
        == "\(path): PNG image of 16384×16384 pixels × 3 colour channels is 805306368 values, "
        + "over the limit of 268435456 values; refused before reading")
    #expect(largest == 0)
  }

  @Test("sides, samples and interlaced images over their limits: one line, before decoding")
  func imageLimits() throws {
    let cases: [([UInt8], String)] = [
      (
        PNGChunks.image(width: 1, height: 268_435_456, depth: 8, colour: 0),
        "PNG image of 1×268435456 pixels exceeds the limit of 65536 pixels on a side"
      ),
      (
        PNGChunks.image(width: 65536, height: 8192, depth: 16, colour: 6),
        "is 2147483648 samples, exceeds the limit of 268435456 samples"
      ),
      (
        Array("P4 1 300000\n".utf8) + [UInt8](repeating: 0, count: 300_000),
        "PBM image of 1×300000 pixels exceeds the limit of 65536 pixels on a side"
      ),
    ]
    for (bytes, words) in cases {
      let probe = AllocationProbe()
      let message = AllocationProbe.$current.withValue(probe) {
        inputErrorMessage { _ = try TensorFile.parse(bytes, source: "x") }
      }
      #expect(message?.contains(words) == true, "\(message ?? "no error")")
      #expect(probe.largest == 0)
    }
    var interlaced = PNGChunks.split(
      PNGChunks.image(width: 4097, height: 4096, depth: 8, colour: 0))
    interlaced[0].data[12] = 1
    let message = inputErrorMessage {
      _ = try TensorFile.parse(PNGChunks.join(interlaced), source: "i.png")
    }
    #expect(
      message
        == "i.png: interlaced (Adam7) PNG image of 4097×4096 pixels is 16781312 samples, over "
        + "the limit of 16777216 for an interlaced image (decoded whole); save it non-interlaced")
  }
}

// MARK: - Reading only what the header says

@Suite("Formats: binary files are read from their first bytes, not whole")
struct HeaderFirstTests {
  @Test("a big file named .npy of the wrong magic is refused from its first bytes")
  func wrongMagic() throws {
    let folder = try TemporaryFolder()
    for name in ["big.npy", "big.png", "big.pgm", "big.npz"] {
      let path = folder.file(name)
      var bytes = [UInt8](repeating: 0x41, count: 4 << 20)
      bytes[0] = 0x01
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      let probe = AllocationProbe()
      let message = AllocationProbe.$current.withValue(probe) {
        inputErrorMessage { _ = try TensorFile.load(path: path) }
      }
      #expect(message?.contains("wrong magic") == true, "\(name): \(message ?? "accepted")")
      #expect(probe.bytesRead == 0, "\(name): read \(probe.bytesRead) bytes")
    }
  }

  @Test("an .npy whose header declares more than the file holds: a sentence, nothing read")
  func shortNPY() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("short.npy")
    let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 1000), }"
    try Data(npyFile(header, [UInt8](repeating: 0, count: 1 << 20))).write(
      to: URL(fileURLWithPath: path))
    let probe = AllocationProbe()
    let message = AllocationProbe.$current.withValue(probe) {
      inputErrorMessage { _ = try TensorFile.load(path: path) }
    }
    #expect(
      message
        == "\(path): truncated data: shape (1000, 1000) of float32 needs 4000000 bytes but only "
        + "1048576 follow the header")
    #expect(probe.largest == 0 && probe.bytesRead == 0)
  }

  @Test("an .npy over a checked tensor's limit is refused from its header")
  func checkedNPY() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("y.npy")
    let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 4097, 4096), }"
    try Data(npyFile(header)).write(to: URL(fileURLWithPath: path))
    let message = inputErrorMessage {
      _ = try TensorFile.load(path: path, options: .layerArray(role: "a checked tensor"))
    }
    #expect(
      message
        == "\(path): shape (1, 1, 4097, 4096) is 16781312 values, over the limit of 16777216 "
        + "values for a checked tensor; refused before reading")
  }

  @Test("a good .npy, PNG, PNM and .npz load from the mapped file without reading it whole")
  func mapped() throws {
    for file in [
      "npy/f4_le.npy", "png/pil_rgb8.png", "pnm/p5.pgm", "pnm/p4.pbm",
      "../archives/npz/compressed.npz:y",
    ] {
      let probe = AllocationProbe()
      _ = try AllocationProbe.$current.withValue(probe) {
        try TensorFile.load(path: FormatFixtures.path(file))
      }
      #expect(probe.bytesRead == 0, "\(file): read \(probe.bytesRead) bytes whole")
    }
  }
}

/// A temporary folder, removed when the test is done with it.
final class TemporaryFolder {
  let url: URL

  init() throws { url = try FileErrorTests.temporaryDirectory() }

  /// The path of `name` inside it.
  func file(_ name: String) -> String { url.appendingPathComponent(name).path }

  deinit { try? FileManager.default.removeItem(at: url) }
}
