import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvFormats

// MARK: - Archives, named lines, layouts and element types

/// `Tests/Fixtures/archives` (written by `scripts/make_archive_fixtures.py`, NumPy only).
enum ArchiveFixtures {
  static let directory = FormatFixtures.root.appendingPathComponent("Tests/Fixtures/archives")

  static func path(_ relative: String) -> String {
    directory.appendingPathComponent(relative).path
  }

  /// `file` or `file:member`.
  static func argument(_ file: String, _ member: String?) -> String {
    path(file) + (member.map { ":" + $0 } ?? "")
  }

  struct File: Decodable {
    var file: String
    var member: String?
    var shape: [Int]
    var values: [Float]
    var storedType: String?

    enum CodingKeys: String, CodingKey {
      case file, member, shape, values
      case storedType = "stored_type"
    }
  }

  struct Failure: Decodable {
    var file: String
    var member: String?
    var contains: [String]
  }

  struct Manifest: Decodable {
    var files: [File]
    var errors: [Failure]
  }

  static func manifest() throws -> Manifest {
    let url = directory.appendingPathComponent("manifest.json")
    let data = try #require(
      FileManager.default.contents(atPath: url.path),
      "missing \(url.path): run scripts/make_archive_fixtures.py")
    return try JSONDecoder().decode(Manifest.self, from: data)
  }
}

@Suite("Formats: .npz archives, named lines, layouts and element types")
struct ArchiveTests {
  @Test("every array of the archives NumPy wrote loads to its values and element type")
  func readable() throws {
    let manifest = try ArchiveFixtures.manifest()
    #expect(manifest.files.count >= 15)
    for c in manifest.files {
      let arg = ArchiveFixtures.argument(c.file, c.member)
      let loaded = try TensorFile.load(path: arg)
      #expect(loaded.tensor.shape == c.shape, "\(arg): shape \(loaded.tensor.shape)")
      #expect(loaded.tensor.data == c.values, "\(arg): values")
      #expect(
        loaded.storedType == c.storedType, "\(arg): stored type \(loaded.storedType ?? "nil")")
      if c.member != nil {
        #expect(loaded.source == "\(ArchiveFixtures.path(c.file)):\(c.member ?? "")")
      }
    }
  }

  @Test("every hostile archive is refused with one line naming the file, before inflating")
  func refused() throws {
    let manifest = try ArchiveFixtures.manifest()
    #expect(manifest.errors.count >= 10)
    for e in manifest.errors {
      let arg = ArchiveFixtures.argument(e.file, e.member)
      let probe = AllocationProbe()
      let message = AllocationProbe.$current.withValue(probe) {
        inputErrorMessage { _ = try TensorFile.load(path: arg) }
      }
      guard let message else {
        Issue.record("\(arg): loaded, but should have been refused")
        continue
      }
      #expect(message.hasPrefix(ArchiveFixtures.path(e.file)), "\(arg): \(message)")
      #expect(!message.contains("\n"), "\(arg): \(message)")
      for word in e.contains {
        #expect(message.contains(word), "\(arg): '\(word)' missing from: \(message)")
      }
      #expect(probe.largest <= 1 << 16, "\(arg): reserved \(probe.largest) values first")
    }
  }

  @Test("an archive of several arrays: the preferred member, or the error lists them")
  func preferredMember() throws {
    let stored = ArchiveFixtures.path("npz/stored.npz")
    #expect(try TensorFile.load(path: stored, preferredMember: "dw").tensor.shape == [3, 2, 3, 3])
    #expect(try TensorFile.members(path: stored) == ["y", "dx", "dw", "db"])
    #expect(
      try TensorFile.members(path: ArchiveFixtures.path("lines/out.txt")) == [
        "y", "dx", "dw", "db",
      ])
    #expect(try TensorFile.members(path: ArchiveFixtures.path("layout/x_nchw.npy")) == nil)
    #expect(try TensorFile.load(path: stored + ":y.npy").tensor.shape == [2, 3, 4, 5])
  }

  @Test("hostile zip bytes never trap: every prefix and many flipped bytes")
  func fuzzedZip() throws {
    let whole = try FormatFixtures.bytes("../archives/npz/compressed.npz")
    for cut in stride(from: 0, to: whole.count, by: max(1, whole.count / 97)) {
      _ = try? TensorFile.parse(Array(whole.prefix(cut)), source: "cut.npz", member: "y")
    }
    var g = SeededGenerator(seed: 5)
    for _ in 0..<300 {
      var b = whole
      for _ in 0..<3 { b[Int(g.next() % UInt64(b.count))] ^= UInt8(truncatingIfNeeded: g.next()) }
      _ = try? TensorFile.parse(b, source: "flip.npz", member: "dx")
    }
  }

  @Test("float16, float64 and integer files carry a note that they were converted")
  func conversionNotes() throws {
    let types = try TensorFile.load(path: ArchiveFixtures.path("npz/types.npz") + ":half")
    #expect(types.notes.contains("float16 values converted to float32 (exactly)"))
    let wide = try TensorFile.load(path: ArchiveFixtures.path("npz/types.npz") + ":wide")
    #expect(wide.notes.contains("float64 values rounded to float32"))
    let ints = try TensorFile.load(path: ArchiveFixtures.path("npz/types.npz") + ":ints")
    #expect(ints.notes.contains("int64 values converted to float32"))
    let f32 = try TensorFile.load(path: ArchiveFixtures.path("layout/x_nchw.npy"))
    #expect(f32.notes.isEmpty)
  }

  @Test("--layout nhwc: an NHWC input and an HWIO kernel are read as NumPy transposed them")
  func layouts() throws {
    let nchw = try TensorFile.load(path: ArchiveFixtures.path("layout/x_nchw.npy")).tensor
    let nhwc = try TensorFile.load(path: ArchiveFixtures.path("layout/x_nhwc.npy"))
    let input = try nhwc.asInput(layout: .nhwc)
    #expect(input.tensor.shape == nchw.shape && input.tensor.data == nchw.data)
    #expect(input.notes.contains { $0.contains("channels last (2, 4, 5, 3)") })
    let fchw = try TensorFile.load(path: ArchiveFixtures.path("layout/w_fchw.npy")).tensor
    let hwio = try TensorFile.load(path: ArchiveFixtures.path("layout/w_hwio.npy"))
    let kernel = try hwio.asKernel(inChannels: 3, layout: .nhwc)
    #expect(kernel.tensor.shape == fchw.shape && kernel.tensor.data == fchw.data)
    // Read channels first, the HWIO kernel's channels sit third: the error says --layout nhwc.
    let message = inputErrorMessage { _ = try hwio.asKernel(inChannels: 3) }
    #expect(message?.contains("give --layout nhwc") == true, "\(message ?? "")")
    // And permuted back, NumPy's transpose is undone.
    #expect(nchw.permuted([0, 2, 3, 1]).data == nhwc.tensor.data)
  }

  @Test("a member named on a single array, and a missing file with a colon, are one line")
  func references() {
    let single = ArchiveFixtures.path("layout/x_nchw.npy")
    #expect(
      inputErrorMessage { _ = try TensorFile.load(path: single + ":x") }?
        .contains("a single array, not an archive") == true)
    #expect(TensorReference("/no/such.npz:y") == TensorReference("/no/such.npz:y"))
    #expect(TensorReference("/no/such.npz:y").member == nil)
    #expect(TensorReference(single + ":x").member == "x")
  }
}
