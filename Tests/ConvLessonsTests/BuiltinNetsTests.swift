import ConvCore
import ConvFormats
import Foundation
import Testing

@testable import ConvLessons

// MARK: - Built-in networks

/// The networks in `nets/`, embedded: every file is listed, parses and fits the digits; names
/// and paths are told apart.
@Suite("built-in networks")
struct BuiltinNetsTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("nets")

  @Test("every file in nets/ is built in under its name, with the same bytes")
  func everyFile() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
      .filter { $0.hasSuffix(".net") }.sorted()
    #expect(files.map { String($0.dropLast(4)) }.sorted() == BuiltinNets.names.sorted())
    #expect(BuiltinNets.names.first == BuiltinNets.defaultName)
    for file in files {
      let name = String(file.dropLast(4))
      let builtin = try #require(try BuiltinNets.net(named: name))
      let onDisk = try NetFile.load(path: Self.folder.appendingPathComponent(file).path)
      #expect(builtin == onDisk, "\(file)")
      // Each fits the 8×8 digits and ends in ten class scores.
      let shapes = try builtin.shapes(input: [1, 1, 8, 8], source: file)
      #expect(shapes.last == [1, 10], "\(file)")
    }
  }

  @Test("a name finds a built-in network, a path a file, anything else is one line")
  func lookUp() throws {
    let (digits, name) = try BuiltinNets.load("digits")
    #expect(name == "digits.net (built in)")
    #expect(try BuiltinNets.load("digits.net").name == "digits.net (built in)")
    #expect(digits == (try BuiltinNets.net(named: "digits")))
    let path = Self.folder.appendingPathComponent("deeper.net").path
    #expect(try BuiltinNets.load(path).name == path)
    do {
      _ = try BuiltinNets.load("nope")
      Issue.record("no error")
    } catch {
      #expect("\(error)".contains("not a built-in network (digits, one-conv, deeper)"))
    }
  }
}
