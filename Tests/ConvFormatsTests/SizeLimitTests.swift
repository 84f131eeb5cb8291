import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvFormats

// MARK: - Size limits

/// Case files and text tensor files are refused from their size (`stat`) before a byte is read,
/// in one line that gives the limit. The files here are sparse: they take no disk space, and
/// reading them would take seconds and hundreds of megabytes.
@Suite("Formats: size limits checked before reading")
struct SizeLimitTests {
  /// A sparse file of `size` bytes named `name` in a fresh folder.
  static func sparseFile(_ name: String, size: Int) throws -> (folder: URL, path: String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-limits-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent(name).path
    #expect(FileManager.default.createFile(atPath: path, contents: Data("{".utf8)))
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.truncate(atOffset: UInt64(size))
    try handle.close()
    return (folder, path)
  }

  @Test("a case file over 64 MiB is refused before reading")
  func caseFile() throws {
    let size = ConvCase.maxFileSize + 1
    let (folder, path) = try Self.sparseFile("big.json", size: size)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(ConvCase.maxFileSize == 64 << 20)
    #expect(
      inputErrorMessage { _ = try ConvCase.load(path: path) }
        == "\(path): case file of \(size) bytes, over the 64 MiB limit for a case file; "
        + "refused before reading")
  }

  @Test("a text file over 256 MiB (.csv, .txt, …) is refused before reading")
  func textFile() throws {
    let size = TensorFile.maxTextFileSize + 1
    #expect(TensorFile.maxTextFileSize == 256 << 20)
    for name in ["big.csv", "big.txt", "big.tsv"] {
      let (folder, path) = try Self.sparseFile(name, size: size)
      defer { try? FileManager.default.removeItem(at: folder) }
      #expect(
        inputErrorMessage { _ = try TensorFile.load(path: path) }
          == "\(path): text file of \(size) bytes, over the 256 MiB limit for a text file; "
          + "refused before reading")
      // `--check-all FILE` lists the arrays of the file first: the same check.
      #expect(
        inputErrorMessage { _ = try TensorFile.members(path: path) }?.contains("256 MiB") == true)
    }
  }

  @Test("a case file's values take 4 bytes each, not a tree of boxed numbers")
  func compactNumbers() throws {
    // 20,000 values in an array: kept as [Float], the first 64 also as Double for shapes.
    let values = (0..<20_000).map { String($0 % 10) }.joined(separator: ",")
    let json = #"{"op": "relu", "shapes": {"x": [1, 20000]}, "x": ["# + values + "]}"
    let document = try Array(json.utf8).withUnsafeBufferPointer { try JSONScanner.parse($0) }
    guard case .object(let root) = document, case .array(let x)? = root["x"] else {
      Issue.record("not an object with an array x")
      return
    }
    #expect(x.floats.count == 20_000 && x.exact.count == JSONArray.exactCount)
    #expect(x.firstOther == nil)
    let c = try ConvCase.parse(Data(json.utf8), source: "c.json")
    #expect(c.tensors["x"]?.shape == [1, 20_000])
  }
}
