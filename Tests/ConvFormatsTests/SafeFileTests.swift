import Foundation
import Testing

@testable import ConvFormats

// MARK: - SafeFile

@Suite("SafeFile: atomic writes that never damage what was there")
struct SafeFileTests {
  static func scratch() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-safefile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test("a write replaces the file whole and leaves no temporary file")
  func replaces() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("out.txt").path
    try SafeFile.write("first", to: path)
    try SafeFile.write("second", to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.txt"])
  }

  @Test("a failure names the path and the reason, and the old file stays whole")
  func failureKeepsOld() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = folder.appendingPathComponent("no/such/folder/out.txt").path
    #expect(throws: InputError.self) { try SafeFile.write("x", to: missing) }
    do {
      try SafeFile.write("x", to: missing)
    } catch {
      #expect(error.description == "\(missing): cannot write (No such file or directory)")
    }
    #expect(throws: InputError.self) { try SafeFile.write("x", to: folder.path) }
    // A folder at the target is refused with words of its own.
    do {
      try SafeFile.write("x", to: folder.path)
    } catch {
      #expect(error.description.hasSuffix("cannot write: it is a folder"))
    }
  }

  @Test("split: folder and name")
  func split() {
    #expect(SafeFile.split("a.svg") == (".", "a.svg"))
    #expect(SafeFile.split("/a.svg") == ("/", "a.svg"))
    #expect(SafeFile.split("x/y/a.svg") == ("x/y", "a.svg"))
  }
}
