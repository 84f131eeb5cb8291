import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvFormats

// MARK: - Paths and detection

@Suite("Formats: paths, detection and one-line errors")
struct FileErrorTests {
  /// A fresh temporary directory for one test.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-formats-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test("a missing file, a directory and an empty file are one line naming the path")
  func pathErrors() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let missing = dir.appendingPathComponent("nope.npy").path
    #expect(
      inputErrorMessage { _ = try TensorFile.load(path: missing) } == "\(missing): no such file")
    #expect(
      inputErrorMessage { _ = try TensorFile.load(path: dir.path) }
        == "\(dir.path): is a directory, not a file")
    let empty = dir.appendingPathComponent("empty.png").path
    #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
    #expect(
      inputErrorMessage { _ = try TensorFile.load(path: empty) } == "\(empty): the file is empty")
  }

  @Test("lessons and cases read only regular files: a device, a pipe, a loop each say so")
  func regularFilesOnly() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(
      inputErrorMessage { _ = try FileReading.contents(of: "/dev/zero") }
        == "/dev/zero: not a regular file (a device, pipe or socket)")
    let fifo = dir.appendingPathComponent("fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    #expect(
      inputErrorMessage { _ = try FileReading.contents(of: fifo) }
        == "\(fifo): not a regular file (a device, pipe or socket)")
    let a = dir.appendingPathComponent("a").path
    let b = dir.appendingPathComponent("b").path
    try FileManager.default.createSymbolicLink(atPath: a, withDestinationPath: b)
    try FileManager.default.createSymbolicLink(atPath: b, withDestinationPath: a)
    #expect(FileReading.exists(a), "a link that leads nowhere is something there")
    #expect(
      inputErrorMessage { _ = try FileReading.contents(of: a) }
        == "\(a): a loop of symbolic links, not a file")
    #expect(
      inputErrorMessage { _ = try FileReading.contents(of: dir.path) }
        == "\(dir.path): is a directory, not a file")
  }

  @Test("an unreadable file: permission denied, or read anyway when running as root")
  func permissionDenied() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("secret.csv").path
    #expect(FileManager.default.createFile(atPath: path, contents: Data("1,2\n3,4\n".utf8)))
    try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path)
    if geteuid() == 0 {
      // Root ignores file permissions, so the honest expectation is that the file is read.
      let loaded = try TensorFile.load(path: path)
      #expect(loaded.tensor.shape == [2, 2])
    } else {
      #expect(
        inputErrorMessage { _ = try TensorFile.load(path: path) } == "\(path): permission denied")
    }
  }

  @Test("the format comes from the magic bytes, whatever the name says")
  func detection() throws {
    let npy = Array(NPYWriter.encode(try Tensor(shape: [2], data: [1, 2])))
    #expect(try TensorFile.parse(npy, source: "weights.dat").format == .npy)
    #expect(try TensorFile.parse(npy, source: "no-extension").format == .npy)
    let pgm = Array("P2 1 1 255 7\n".utf8)
    #expect(try TensorFile.parse(pgm, source: "x.txt").format == .pnm)
    #expect(try TensorFile.parse(Array("1 2\n3 4\n".utf8), source: "grid").format == .text)
    let unknown = [UInt8](repeating: 0, count: 8)
    let message = inputErrorMessage { _ = try TensorFile.parse(unknown, source: "blob") }
    #expect(message?.hasPrefix("blob: unrecognised format (first bytes 00 00") == true)
    #expect(
      inputErrorMessage { _ = try TensorFile.parse(Array("1,2".utf8), source: "k.npy") }?
        .contains("wrong magic: not a NumPy .npy file") == true)
  }

  @Test("NaN and infinities are accepted, counted and named in the summary")
  func nonFiniteSummary() throws {
    let loaded = try TensorFile.parse(Array("nan 1\ninf -inf\n".utf8), source: "g.txt")
    #expect(loaded.nonFinite == NonFiniteCounts(nan: 1, positiveInfinity: 1, negativeInfinity: 1))
    #expect(loaded.summary.hasSuffix("1 NaN, 1 +Inf, 1 −Inf"))
    #expect(loaded.summary.hasPrefix("g.txt: text, whitespace-separated, 2×2, (2, 2)"))
  }

  @Test("a file over the element limit is refused before its data is read")
  func elementLimit() throws {
    let npy = Array(NPYWriter.encode(Tensor(shape: [10, 10])))
    let options = LoadOptions(elementLimit: 99)
    let message = inputErrorMessage {
      _ = try TensorFile.parse(npy, source: "a.npy", options: options)
    }
    #expect(
      message
        == "a.npy: shape (10, 10) is 100 values, over the limit of 99 values; refused before reading"
    )
    let pgm = Array("P5 10 10 255\n".utf8) + [UInt8](repeating: 0, count: 100)
    #expect(
      inputErrorMessage { _ = try TensorFile.parse(pgm, source: "a.pgm", options: options) }?
        .contains("over the limit of 99") == true)
    let png = try FormatFixtures.bytes("png/pil_rgb8.png")
    #expect(
      inputErrorMessage { _ = try TensorFile.parse(png, source: "a.png", options: options) }?
        .contains("7×5 pixels × 3 colour channels is 105 values, over the limit of 99") == true)
    let text = Array(String(repeating: "1 ", count: 100).utf8)
    #expect(
      inputErrorMessage { _ = try TensorFile.parse(text, source: "a.txt", options: options) }?
        .contains("limit of 99") == true)
  }
}

// MARK: - Foreign formats

@Suite("Formats: well-known formats convscope does not read")
struct ForeignFormatTests {
  @Test("UTF-16, gzip and JPEG data are named, even behind a .csv name; a broken zip is named")
  func named() {
    let cases: [([UInt8], String, String)] = [
      ([0xFF, 0xFE, 0x31, 0x00], "u.csv", "wrong magic: not a text grid file (it is UTF-16 text"),
      ([0x1F, 0x8B, 0x08, 0x00], "g.csv", "it is gzip-compressed data"),
      ([0x50, 0x4B, 0x03, 0x04], "a.npz", "a.npz: corrupt zip archive"),
      ([0xFF, 0xD8, 0xFF, 0xE0], "p.jpg", "it is a JPEG image (convert it to PNG)"),
    ]
    for (bytes, name, words) in cases {
      let message = inputErrorMessage { _ = try TensorFile.parse(bytes, source: name) }
      #expect(message?.contains(words) == true, "\(name): \(message ?? "no error")")
    }
  }
}

// MARK: - Special files

@Suite("Formats: devices and pipes")
struct SpecialFileTests {
  @Test("a device is refused instead of read forever")
  func device() {
    #expect(
      inputErrorMessage { _ = try TensorFile.load(path: "/dev/zero") }
        == "/dev/zero: not a regular file (a device, pipe or socket)")
    #expect(
      inputErrorMessage { _ = try NPYReader.load(path: "/dev/null") }?.contains(
        "not a regular file") == true)
  }

  @Test("a huge element limit is clamped to the tensor limit, not trusted")
  func clampedLimit() {
    let npy = npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904,)}")
    let message = inputErrorMessage {
      _ = try TensorFile.parse(npy, source: "x.npy", options: LoadOptions(elementLimit: .max))
    }
    #expect(message?.contains("over the limit of \(Tensor.maxElementCount)") == true)
  }
}
