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

  @Test("a FIFO, /dev/null and /dev/full are written into, never replaced by a regular file")
  func specialFiles() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("pipe").path
    #expect(mkfifo(fifo, 0o600) == 0)
    // The reading end is opened first (non-blocking), so the writer's open never waits.
    let reader = open(fifo, O_RDONLY | O_NONBLOCK)
    try #require(reader >= 0)
    defer { close(reader) }
    try SafeFile.write("through the pipe", to: fifo)
    var buffer = [UInt8](repeating: 0, count: 64)
    let n = read(reader, &buffer, buffer.count)
    #expect(
      n == 16 && String(decoding: buffer.prefix(max(0, n)), as: UTF8.self) == "through the pipe")
    #expect(Self.kind(fifo) == S_IFIFO, "the FIFO was replaced")
    if Self.kind("/dev/null") == S_IFCHR {
      try SafeFile.write("nothing", to: "/dev/null")
      #expect(Self.kind("/dev/null") == S_IFCHR)
    }
    if Self.kind("/dev/full") == S_IFCHR {
      let error = try #require(throws: InputError.self) { try SafeFile.write("x", to: "/dev/full") }
      #expect(error.description == "/dev/full: cannot write (No space left on device)")
      #expect(Self.kind("/dev/full") == S_IFCHR, "/dev/full was replaced by a regular file")
    }
  }

  @Test("a link under /proc (as /dev/stdout is) is written through, not replaced")
  func procLink() throws {
    var fds: [Int32] = [0, 0]
    try #require(pipe(&fds) == 0)
    defer {
      close(fds[0])
      close(fds[1])
    }
    let path = "/proc/self/fd/\(fds[1])"
    guard Self.kind(path) == S_IFLNK else { return }  // no /proc here: nothing to check
    try SafeFile.write("through the link", to: path)
    var buffer = [UInt8](repeating: 0, count: 64)
    let n = read(fds[0], &buffer, buffer.count)
    #expect(
      n == 16 && String(decoding: buffer.prefix(max(0, n)), as: UTF8.self) == "through the link")
  }

  /// The file type bits of `path` (not following a link).
  static func kind(_ path: String) -> mode_t {
    var info = stat()
    return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
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
