import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvFormats

// MARK: - safetensors

@Suite("Formats: safetensors, written and read by the spec's rules")
struct SafeTensorsTests {
  /// `Tests/Fixtures/weights` (written by `scripts/make_weight_fixtures.py`).
  static let weights = FormatFixtures.root.appendingPathComponent("Tests/Fixtures/weights")

  /// A file of `header` (padded to a multiple of 8 unless `pad` is false) and `data`, with the
  /// length field `size` when given.
  static func file(_ header: String, data: [UInt8] = [], size: UInt64? = nil, pad: Bool = true)
    -> [UInt8]
  {
    file(bytes: Array(header.utf8), data: data, size: size, pad: pad)
  }

  /// A file whose header is `bytes`, as ``file(_:data:size:pad:)``.
  static func file(bytes header: [UInt8], data: [UInt8] = [], size: UInt64? = nil, pad: Bool = true)
    -> [UInt8]
  {
    var text = header
    if pad { text += [UInt8](repeating: 0x20, count: (8 - text.count % 8) % 8) }
    var bytes: [UInt8] = []
    withUnsafeBytes(of: (size ?? UInt64(text.count)).littleEndian) { bytes += $0 }
    return bytes + text + data
  }

  /// The error `decode` throws for `bytes`, checked to be one line naming `source`.
  static func refusal(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation)
    -> String
  {
    do {
      let tensors = try SafeTensors.decode(bytes, source: "w.safetensors")
      Issue.record("accepted: \(tensors.map(\.name))", sourceLocation: sourceLocation)
      return ""
    } catch {
      #expect(error.message.hasPrefix("w.safetensors: "), sourceLocation: sourceLocation)
      #expect(!error.message.contains("\n"), sourceLocation: sourceLocation)
      return error.message
    }
  }

  static func f32(_ name: String, _ shape: [Int], _ begin: Int, _ end: Int) -> String {
    "\"\(name)\":{\"dtype\":\"F32\",\"shape\":\(shape),\"data_offsets\":[\(begin),\(end)]}"
  }

  @Test("the header is what the reference writer writes: metadata first, padded to 8")
  func encodedBytes() throws {
    let bytes = SafeTensors.encode(
      [("0.weight", try Tensor(shape: [1, 2], data: [1, -2])), ("0.bias", Tensor(shape: [1]))],
      metadata: ["format": "pt"])
    let header =
      #"{"__metadata__":{"format":"pt"},"0.weight":{"dtype":"F32","shape":[1,2],"#
      + #""data_offsets":[0,8]},"0.bias":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
    let padded = header + String(repeating: " ", count: (8 - header.utf8.count % 8) % 8)
    #expect(bytes == Self.file(padded, data: [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0, 0, 0, 0, 0]))
    #expect((bytes.count - 12) % 8 == 0)
  }

  @Test("every shape and value survives a round trip, in order, with the metadata")
  func roundTrip() throws {
    let tensors: [(name: String, tensor: Tensor)] = [
      ("scalar", try Tensor(shape: [], data: [-0.0])),
      ("one", try Tensor(shape: [1], data: [.nan])),
      ("odd", Tensor.uniform(shape: [3, 5, 7], seed: 1)),
      ("conv", Tensor.uniform(shape: [6, 2, 3, 1], seed: 2)),
      ("empty", Tensor(shape: [0, 4])),
      (
        "edge",
        try Tensor(
          shape: [4], data: [.infinity, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, 0])
      ),
      ("naïve \"quoted\"\n\\", try Tensor(shape: [1, 1], data: [7])),
    ]
    let bytes = SafeTensors.encode(tensors, metadata: ["format": "pt", "by": "convscope"])
    let read = try SafeTensors.read(bytes, source: "t.safetensors")
    #expect(read.metadata == ["format": "pt", "by": "convscope"])
    #expect(read.tensors.map(\.name) == tensors.map(\.name))
    for (a, b) in zip(read.tensors, tensors) {
      #expect(a.tensor.shape == b.tensor.shape, "\(a.name)")
      #expect(a.tensor.data.map(\.bitPattern) == b.tensor.data.map(\.bitPattern), "\(a.name)")
    }
  }

  @Test("repeated names and __metadata__ are left out, so the file stays valid")
  func encodeKeepsNamesUnique() throws {
    let t = Tensor(shape: [2], repeating: 1)
    let bytes = SafeTensors.encode([("a", t), ("__metadata__", t), ("a", Tensor(shape: [3]))])
    let read = try SafeTensors.decode(bytes, source: "u.safetensors")
    #expect(read.map(\.name) == ["a"] && read[0].tensor == t)
    #expect(try SafeTensors.decode(SafeTensors.encode([]), source: "e.safetensors").isEmpty)
  }

  @Test("a file written by PyTorch's safetensors: F32, F64, F16, BF16, 0-d and empty")
  func pythonWritten() throws {
    let path = Self.weights.appendingPathComponent("dtypes.safetensors").path
    let read = try SafeTensors.read(Array(FileReading.contents(of: path)), source: path)
    #expect(read.tensors.map(\.name) == ["f64", "empty", "f32", "scalar", "bf16", "f16"])
    let byName = Dictionary(uniqueKeysWithValues: read.tensors.map { ($0.name, $0.tensor) })
    let expected: [String: [Int]] = [
      "f32": [2, 3], "f64": [4], "f16": [2, 2], "bf16": [3], "scalar": [], "empty": [0, 2],
    ]
    for (name, shape) in expected {
      let t = try #require(byName[name])
      #expect(t.shape == shape, "\(name)")
      if name == "scalar" {
        #expect(t.data == [2.5])
      } else {
        #expect(t.data == (0..<t.count).map { Float($0) / 4 - 1 }, "\(name)")
      }
    }
  }

  @Test("a dtype convscope does not read is named, from a file PyTorch wrote")
  func int64Refused() throws {
    let path = Self.weights.appendingPathComponent("int64.safetensors").path
    let message = inputErrorMessage {
      _ = try SafeTensors.decode(Array(FileReading.contents(of: path)), source: path)
    }
    #expect(message?.hasPrefix(path + ": tensor 'steps': dtype I64 is not read") == true)
  }

  @Test("each rule of the spec, broken, is a one-line error that says which")
  func violations() {
    let eight = [UInt8](repeating: 0, count: 8)
    let cases: [(String, [UInt8], String)] = [
      (
        "hole",
        Self.file(
          "{\(Self.f32("a", [2], 0, 8)),\(Self.f32("b", [1], 12, 16))}",
          data: eight + [0, 0, 0, 0, 0, 0, 0, 0]), "a hole in the safetensors data: bytes 8..<12"
      ),
      (
        "overlap",
        Self.file(
          "{\(Self.f32("a", [2], 0, 8)),\(Self.f32("b", [2], 4, 12))}",
          data: eight + [0, 0, 0, 0]), "tensor 'b' overlaps tensor 'a'"
      ),
      (
        "bad length", Self.file("{\(Self.f32("a", [3], 0, 8))}", data: eight),
        "shape (3,) of F32 needs 12 bytes, but its data_offsets [0, 8] hold 8"
      ),
      (
        "end before begin",
        Self.file(
          "{\(Self.f32("a", [2], 0, 8)),\(Self.f32("b", [0], 8, 4))}",
          data: eight), "tensor 'b': data_offsets [8, 4] end before they begin"
      ),
      ("header too long", Self.file("{}", size: 100_000_001), "over the limit of 100000000"),
      (
        "header past the end", Self.file("{}", size: 64),
        "truncated: the safetensors header says 64"
      ),
      ("not JSON", Self.file("{\"a\":}"), "the safetensors header is not JSON: expected a value"),
      ("not an object", Self.file("[1, 2]"), "does not start with '{'"),
      (
        "duplicate",
        Self.file(
          "{\(Self.f32("a", [1], 0, 4)),\(Self.f32("a", [1], 4, 8))}",
          data: eight), "names 'a' twice"
      ),
      (
        "unknown dtype",
        Self.file(
          #"{"a":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
        "tensor 'a': unknown dtype 'F33'"
      ),
      (
        "unread dtype",
        Self.file(
          #"{"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
        "dtype I32 is not read by convscope"
      ),
      (
        "truncated data", Self.file("{\(Self.f32("a", [2], 0, 8))}", data: [0, 0, 0, 0]),
        "truncated: the tensors need 8 bytes of data after the header, the file holds 4"
      ),
      (
        "trailing bytes", Self.file("{\(Self.f32("a", [1], 0, 4))}", data: eight),
        "4 bytes after the last tensor's data belong to no tensor"
      ),
      ("too short", [1, 0, 0], "3 bytes, too short"),
      (
        "negative dimension", Self.file("{\(Self.f32("a", [-1], 0, 0))}"),
        "\"shape\" is not a list of non-negative integers"
      ),
      (
        "fractional offset",
        Self.file(
          #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4.5]}}"#),
        "\"data_offsets\" is not two non-negative integers"
      ),
      (
        "missing dtype",
        Self.file(#"{"a":{"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
        "no string \"dtype\""
      ),
      (
        "metadata not strings", Self.file(#"{"__metadata__":{"format":1}}"#),
        "__metadata__ value of 'format' is not a string"
      ),
      (
        "huge shape",
        Self.file("{\(Self.f32("a", [65536, 65536, 65536], 0, 4))}", data: [0, 0, 0, 0]),
        "shape (65536, 65536, 65536) holds over 268435456 values"
      ),
      (
        "not UTF-8", Self.file(bytes: Array("{\"".utf8) + [0xFF] + Array("\":1}".utf8)),
        "not a JSON object of UTF-8 names"
      ),
    ]
    for (what, bytes, expected) in cases {
      let message = Self.refusal(bytes)
      #expect(message.contains(expected), "\(what): \(message)")
    }
  }

  @Test("trailing spaces and zero-length tensors at one offset are valid")
  func paddingAndEmptyTensors() throws {
    let header = "{\(Self.f32("z", [0], 0, 0)),\(Self.f32("a", [1], 0, 4))}   \t\n "
    let read = try SafeTensors.decode(
      Self.file(header, data: [0, 0, 0x80, 0x3F], pad: false), source: "p.safetensors")
    #expect(read.map(\.name) == ["z", "a"])
    #expect(read[1].tensor.data == [1])
  }
}

// MARK: - A .safetensors file as a tensor source

@Suite("Formats: a .safetensors file's tensors by name (FILE:NAME)")
struct SafeTensorsArchiveTests {
  /// A temporary `.safetensors` file of `tensors`, removed by the caller.
  static func file(_ tensors: [(name: String, tensor: Tensor)], name: String = "w.safetensors")
    throws -> URL
  {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("convscope-st-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try Data(SafeTensors.encode(tensors)).write(to: url)
    return url
  }

  @Test("w.safetensors:0.weight loads that tensor; the members are listed; a bad name is one line")
  func members() throws {
    let w = try Tensor(shape: [2, 1, 3, 3], data: (0..<18).map { Float($0) / 4 })
    let b = try Tensor(shape: [2], data: [0.5, -0.5])
    let url = try Self.file([("0.weight", w), ("0.bias", b)])
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let loaded = try TensorFile.load(path: url.path + ":0.weight")
    #expect(loaded.tensor == w && loaded.format == .safetensors)
    #expect(loaded.source == url.path + ":0.weight")
    #expect(try TensorFile.load(path: url.path + ":0.bias").tensor == b)
    #expect(try TensorFile.members(path: url.path) == ["0.weight", "0.bias"])
    // Without a name the file holds two: the error names them and shows how to pick one.
    let many = #expect(throws: InputError.self) { try TensorFile.load(path: url.path) }
    #expect("\(many.map { "\($0)" } ?? "")".contains("0.weight, 0.bias"))
    let missing = #expect(throws: InputError.self) {
      try TensorFile.load(path: url.path + ":2.weight")
    }
    #expect("\(missing.map { "\($0)" } ?? "")".contains("no array named '2.weight'"))
    // The element limit holds.
    var options = LoadOptions()
    options.elementLimit = 10
    #expect(throws: InputError.self) {
      try TensorFile.load(path: url.path + ":0.weight", options: options)
    }
  }

  @Test("a file named .safetensors that is not one says so in one line")
  func wrongMagic() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("convscope-st-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("bad.safetensors")
    try Data([0x89, 0x50, 0x00, 0x01, 0x02]).write(to: url)
    let error = #expect(throws: InputError.self) { try TensorFile.load(path: url.path) }
    #expect("\(error.map { "\($0)" } ?? "")".contains("not a safetensors file"))
  }
}
