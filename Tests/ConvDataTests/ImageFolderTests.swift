import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvData
@testable import ConvFormats

// MARK: - Folders of images

/// A folder in a temporary directory, filled with small PGM and PPM files written here.
struct TempFolder: ~Copyable {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-data-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  var path: String { url.path }

  /// Writes `bytes` at `relative`, making its folders.
  func write(_ relative: String, _ bytes: [UInt8]) throws {
    let file = url.appendingPathComponent(relative)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: file)
  }

  /// An ASCII PGM of `width`×`height` whose every pixel is `value` out of `maxValue`.
  func pgm(
    _ relative: String, width: Int = 2, height: Int = 2, value: Int, maxValue: Int = 10
  ) throws {
    let pixels = [String](repeating: String(value), count: width * height).joined(separator: " ")
    try write(relative, Array("P2\n\(width) \(height)\n\(maxValue)\n\(pixels)\n".utf8))
  }

  /// An ASCII PPM of 2×2 pixels, each `rgb` out of 255.
  func ppm(_ relative: String, rgb: (Int, Int, Int)) throws {
    let pixel = "\(rgb.0) \(rgb.1) \(rgb.2)"
    let pixels = [String](repeating: pixel, count: 4).joined(separator: " ")
    try write(relative, Array("P3\n2 2\n255\n\(pixels)\n".utf8))
  }

  func mkdir(_ relative: String) throws {
    try FileManager.default.createDirectory(
      at: url.appendingPathComponent(relative), withIntermediateDirectories: true)
  }
}

@Suite("Data: folders of images (ImageFolder)")
struct ImageFolderTests {
  /// `Datasets.load(folder)`'s error message, or a failure when it loads.
  static func error(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    do {
      let split = try Datasets.load(path)
      Issue.record("loaded: \(split.summary)", sourceLocation: sourceLocation)
    } catch let error as InputError {
      #expect(!error.message.contains("\n"), sourceLocation: sourceLocation)
      return error.message
    } catch {
      Issue.record("\(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return ""
  }

  @Test("classes sorted by name, files by name, every 5th image of a class is a test image")
  func perClassSplit() throws {
    let folder = try TempFolder()
    // Class "b" (1) has 6 images with values 0…5 (of 10), class "a" (0) has 3 with 7, 8, 9.
    for k in 0..<6 { try folder.pgm("b/img\(k).pgm", value: k) }
    for k in 0..<3 { try folder.pgm("a/\(k).pgm", value: 7 + k) }
    try folder.write("a/notes.txt", Array("not an image".utf8))
    try folder.write("b/.hidden.pgm", Array("junk".utf8))
    try folder.write("README.md", Array("a file at the top is skipped".utf8))
    try folder.mkdir(".git/objects")
    try folder.mkdir("a/skipped-subfolder")
    let split = try Datasets.load(folder.path)
    #expect(split.classes == ["a", "b"])
    #expect(split.imageShape == [1, 2, 2])
    #expect(split.train.labels == [0, 0, 0, 1, 1, 1, 1, 1])
    #expect(split.test.labels == [1])
    // Each image is constant: its first value tells which file it was.
    let firsts = (0..<split.train.count).map { split.train.x.data[$0 * 4] }
    #expect(firsts == [0.7, 0.8, 0.9, 0, 0.1, 0.2, 0.3, 0.5].map { Float($0 * 10) / 10 })
    #expect(split.test.x.data == [Float](repeating: 0.4, count: 4))
    #expect(split.split.hasPrefix("fixed: in each class"))
    #expect(split.split.hasSuffix("8 train, 1 test"))
    #expect(split.name == folder.path)
    #expect(split.notes.isEmpty)
  }

  @Test("root/train and root/test are the split when both exist")
  func trainTestLayout() throws {
    let folder = try TempFolder()
    for cls in ["cat", "dog"] {
      for k in 0..<3 { try folder.pgm("train/\(cls)/\(k).pgm", value: k) }
      try folder.pgm("test/\(cls)/0.pgm", value: 9)
    }
    let split = try Datasets.load(folder.path)
    #expect(split.classes == ["cat", "dog"])
    #expect(split.train.labels == [0, 0, 0, 1, 1, 1])
    #expect(split.test.labels == [0, 1])
    #expect(split.test.x.data.allSatisfy { $0 == 0.9 })
    #expect(split.split == "the folder's own train/ and test/ folders: 6 train, 2 test")
    // Different classes in the two halves are refused.
    try folder.pgm("test/emu/0.pgm", value: 1)
    let message = Self.error(folder.path)
    #expect(message.contains("(cat, dog)") && message.contains("(cat, dog, emu)"))
  }

  @Test("a colour image makes every image RGB (grey repeated); alpha is dropped and said")
  func colour() throws {
    let folder = try TempFolder()
    for k in 0..<4 { try folder.pgm("g/\(k).pgm", value: 5) }
    try folder.ppm("g/4.ppm", rgb: (255, 0, 51))
    try folder.pgm("h/0.pgm", value: 10)
    let split = try Datasets.load(folder.path)
    #expect(split.imageShape == [3, 2, 2])
    #expect(split.train.x.data.prefix(12) == ArraySlice([Float](repeating: 0.5, count: 12)))
    #expect(split.test.x.data == [1, 1, 1, 1, 0, 0, 0, 0, 0.2, 0.2, 0.2, 0.2])
    #expect(split.train.batch([4]).x.data == [Float](repeating: 1, count: 12))
    #expect(split.notes == ["5 grey images repeated to 3 channels (RGB)"])
    // A PNG with alpha (grey + alpha, 8-bit) from the image fixtures.
    let png = try FormatFixtures.bytes("png/pil_la8.png")
    let alpha = try TempFolder()
    for k in 0..<5 { try alpha.write("c/\(k).png", png) }
    let withAlpha = try Datasets.load(alpha.path)
    #expect(withAlpha.imageShape.first == 1)
    #expect(withAlpha.notes == ["alpha dropped from 5 images"])
  }

  @Test("an image of another size is one line naming it, both sizes and the first file")
  func sizes() throws {
    let folder = try TempFolder()
    for k in 0..<5 { try folder.pgm("a/\(k).pgm", value: 1) }
    try folder.pgm("b/0.pgm", width: 3, height: 1, value: 1)
    var message = Self.error(folder.path)
    #expect(message.hasPrefix(folder.path + "/b/0.pgm: 3×1 pixels"))
    #expect(message.contains(folder.path + "/a/0.pgm is 2×2"))
    // A larger image is refused from its header, naming the size it must have.
    try folder.pgm("b/0.pgm", width: 30, height: 30, value: 1)
    message = Self.error(folder.path)
    #expect(message.hasPrefix(folder.path + "/b/0.pgm: PGM image of 30×30"))
    #expect(message.contains("must be 2×2 like"))
  }

  @Test("every broken folder is one line that says what is wrong")
  func errors() throws {
    let empty = try TempFolder()
    #expect(Self.error(empty.path).contains("no class folders"))
    try empty.pgm("top.pgm", value: 1)
    #expect(Self.error(empty.path).contains("no class folders"))

    let noImages = try TempFolder()
    try noImages.pgm("a/0.pgm", value: 1)
    try noImages.write("b/readme.txt", Array("x".utf8))
    #expect(Self.error(noImages.path).hasPrefix(noImages.path + "/b: no images"))

    let jpeg = try TempFolder()
    try jpeg.pgm("a/0.pgm", value: 1)
    try jpeg.write("a/1.JPG", [0xFF, 0xD8, 0xFF])
    #expect(Self.error(jpeg.path).hasPrefix(jpeg.path + "/a/1.JPG: a JPEG image"))

    let few = try TempFolder()
    for k in 0..<4 { try few.pgm("a/\(k).pgm", value: 1) }
    #expect(Self.error(few.path).contains("too few for a test set"))

    let broken = try TempFolder()
    for k in 0..<5 { try broken.pgm("a/\(k).pgm", value: 1) }
    try broken.write("a/2.pgm", Array("P2\n2 2\n10\n1 2\n".utf8))
    #expect(Self.error(broken.path).hasPrefix(broken.path + "/a/2.pgm: truncated"))

    let disguised = try TempFolder()
    for k in 0..<5 { try disguised.pgm("a/\(k).pgm", value: 1) }
    try disguised.write("a/3.png", Array(NPYWriter.encode(Tensor(shape: [1, 2, 2]))))
    #expect(Self.error(disguised.path).contains("not an image"))

    let file = try TempFolder()
    try file.write("data.bin", [1, 2, 3])
    #expect(Self.error(file.path + "/data.bin").contains("not a data set"))
  }

  @Test("too many files or bytes are refused before the images are read")
  func limits() throws {
    let folder = try TempFolder()
    for k in 0..<6 { try folder.pgm("a/\(k).pgm", value: 1) }
    var listing = FolderListing(root: folder.path, entryLimit: 5, byteLimit: 1 << 20)
    #expect(throws: InputError.self) { _ = try ImageFolder.classes(folder.path, &listing) }
    listing = FolderListing(root: folder.path, entryLimit: 100, byteLimit: 40)
    #expect {
      _ = try ImageFolder.classes(folder.path, &listing)
    } throws: { error in
      (error as? InputError)?.message.contains("over the limit for a data set") == true
    }
    listing = FolderListing(root: folder.path, entryLimit: 100, byteLimit: 1 << 20)
    #expect(try ImageFolder.classes(folder.path, &listing).map(\.images.count) == [6])
  }
}
