import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvFormats

// MARK: - Fuzzing

/// A fuzz target per reader: seeded mutations of the seed corpus in `Tests/Fixtures/fuzz/<reader>/`
/// (written by `scripts/make_fuzz_corpus.py`). Each parse must return a tensor or throw an
/// `InputError` of one line naming the file (never trap or hang), and no parser may allocate more
/// than the element limit — or, for formats without compression, more than the file could hold.
///
/// The seed is fresh each run unless `CONVSCOPE_FUZZ_SEED` is set; every failure message names it
/// and the command that replays it. `CONVSCOPE_FUZZ_ITERATIONS` sets the mutations per target
/// (the default keeps all targets together within seconds in a debug build). The lesson reader's
/// target is in ConvLessonsTests (`LessonFuzzTests`). The `.net` reader's target is `netFile`.
@Suite("Formats: fuzzing every parser")
struct FuzzTests {
  /// The limit the fuzzed parses run under.
  static let limit = 1 << 16
  static let options = LoadOptions(maxSize: 16, elementLimit: limit)

  /// What the fuzzing did, for the summary line.
  struct Tally {
    var parses = 0
    var accepted = 0
    var refused = 0
  }

  /// Parses one mutated file and checks the rules; `replay` ends every failure message.
  static func check(
    _ bytes: [UInt8], name: String, what: String, replay: String = "", tally: inout Tally
  ) {
    let probe = AllocationProbe()
    let outcome: Result<LoadedTensor, Error> = AllocationProbe.$current.withValue(probe) {
      // An archive of several arrays needs a name: `x` (as for --input).
      Result {
        try TensorFile.parse(bytes, source: name, options: options, preferredMember: "x")
      }
    }
    tally.parses += 1
    switch outcome {
    case .success(let loaded):
      tally.accepted += 1
      #expect(loaded.tensor.count <= limit, "\(name) \(what): \(loaded.tensor.shape); \(replay)")
    case .failure(let error as InputError):
      tally.refused += 1
      if !error.message.hasPrefix(name) || error.message.contains("\n") {
        Issue.record("\(name) \(what): not one line naming the file: \(error.message); \(replay)")
      }
    case .failure(let error):
      Issue.record(
        "\(name) \(what): threw \(type(of: error)), not an InputError: \(error); \(replay)")
    }
    // A PNG is read row by row: a row (at most 65,536 pixels of 4 16-bit samples, 8 bytes a
    // pixel, recorded in bytes) beside the result,
    // whatever its compressed data promises. An .npz member may inflate to a float64 array of
    // `limit` values plus its header (the archive records those bytes as 4-byte values). Other
    // formats hold every row they declare.
    let bound =
      name.hasSuffix(".npz")
      ? (8 * limit + NPYHeader.maxLength + 16) / 4
      : name.hasSuffix(".png")
        ? max(limit, 8 * ImageLimits.maxSide) : min(limit, 8 * bytes.count + 64)
    if probe.largest > bound {
      Issue.record(
        "\(name) \(what): allocated \(probe.largest) values for \(bytes.count) bytes; \(replay)")
    }
  }

  /// Runs the target `reader` over its corpus: every truncation of each seed file, then
  /// `iterations` seeded mutations spread over the files.
  static func fuzz(_ reader: String, extensions keep: Bool = true) throws {
    let fuzz = FuzzRun(name: "FuzzTests/\(reader)", defaultIterations: 4_000)
    var rng = SeededGenerator(seed: fuzz.seed)
    let corpus = try FuzzCorpus.files(reader)
    var tally = Tally()
    fuzz.drive(corpus, tokens: Mutator.tokens[reader] ?? [], &rng) { bytes, file, what in
      Self.check(bytes, name: file, what: what, replay: fuzz.replay, tally: &tally)
    }
    print(
      "fuzz \(reader): \(tally.parses) files, \(tally.accepted) read, \(tally.refused) refused; "
        + fuzz.replay)
    #expect(tally.accepted > 0, "no mutated \(reader) file was read; \(fuzz.replay)")
  }

  @Test("PNG reader") func png() throws { try Self.fuzz("png") }
  @Test("PBM/PGM/PPM reader") func pnm() throws { try Self.fuzz("pnm") }
  @Test("NumPy .npy reader") func npy() throws { try Self.fuzz("npy") }
  @Test("NumPy .npz reader") func npz() throws { try Self.fuzz("npz") }
  @Test("CSV, text grid and named-array reader") func text() throws { try Self.fuzz("text") }

  @Test("case JSON reader")
  func caseJSON() throws {
    let fuzz = FuzzRun(name: "FuzzTests/caseJSON", defaultIterations: 4_000)
    var rng = SeededGenerator(seed: fuzz.seed)
    let corpus = try FuzzCorpus.files("case")
    var tally = Tally()
    func check(_ bytes: [UInt8], _ file: String, _ what: String) {
      tally.parses += 1
      do {
        let c = try ConvCase.parse(Data(bytes), source: file)
        tally.accepted += 1
        let values = c.tensors.values.reduce(0) { $0 + $1.count }
        #expect(values <= bytes.count, "\(file) \(what): \(values) values; \(fuzz.replay)")
      } catch let error as InputError {
        tally.refused += 1
        if !error.message.hasPrefix(file + ": ") || error.message.contains("\n") {
          let message = "\(file) \(what): not one line naming the file: \(error.message)"
          Issue.record("\(message); \(fuzz.replay)")
        }
      } catch {
        Issue.record("\(file) \(what): threw \(type(of: error)): \(error); \(fuzz.replay)")
      }
    }
    fuzz.drive(corpus, tokens: Mutator.tokens["case"] ?? [], &rng, check)
    print(
      "fuzz case JSON: \(tally.parses) files, \(tally.accepted) read, \(tally.refused) "
        + "refused; \(fuzz.replay)")
    #expect(tally.accepted > 0 && tally.refused > 0, "\(fuzz.replay)")
  }

  @Test(".net network file reader")
  func netFile() throws {
    let fuzz = FuzzRun(name: "FuzzTests/netFile", defaultIterations: 4_000)
    var rng = SeededGenerator(seed: fuzz.seed)
    var tally = Tally()
    func check(_ bytes: [UInt8], _ file: String, _ what: String) {
      tally.parses += 1
      do {
        let net = try NetFile.parse(Data(bytes), source: file)
        tally.accepted += 1
        #expect(net.lines.count == net.spec.layers.count, "\(file) \(what); \(fuzz.replay)")
      } catch let error as InputError {
        tally.refused += 1
        if !error.message.hasPrefix(file) || error.message.contains("\n") {
          Issue.record("\(file) \(what): not one line naming the file: \(error.message)")
        }
      } catch {
        Issue.record("\(file) \(what): threw \(type(of: error)): \(error); \(fuzz.replay)")
      }
    }
    fuzz.drive(try FuzzCorpus.files("net"), tokens: Mutator.tokens["net"] ?? [], &rng, check)
    print("fuzz .net: \(tally.parses) files, \(tally.accepted) read; \(fuzz.replay)")
    #expect(tally.accepted > 0 && tally.refused > 0, "\(fuzz.replay)")
  }

  @Test("safetensors reader")
  func safetensors() throws {
    let fuzz = FuzzRun(name: "FuzzTests/safetensors", defaultIterations: 4_000)
    var rng = SeededGenerator(seed: fuzz.seed)
    var tally = Tally()
    func check(_ bytes: [UInt8], _ file: String, _ what: String) {
      tally.parses += 1
      do {
        let tensors = try SafeTensors.decode(bytes, source: file)
        tally.accepted += 1
        // Every value comes from at least two bytes of the file.
        let values = tensors.reduce(0) { $0 + $1.tensor.count }
        #expect(values <= bytes.count / 2, "\(file) \(what): \(values) values; \(fuzz.replay)")
      } catch {
        tally.refused += 1
        if !error.message.hasPrefix(file + ": ") || error.message.contains("\n") {
          Issue.record("\(file) \(what): not one line naming the file: \(error.message)")
        }
      }
    }
    fuzz.drive(
      try FuzzCorpus.files("safetensors"), tokens: Mutator.tokens["safetensors"] ?? [], &rng,
      check)
    print(
      "fuzz safetensors: \(tally.parses) files, \(tally.accepted) read, \(tally.refused) "
        + "refused; \(fuzz.replay)")
    #expect(tally.accepted > 0 && tally.refused > 0, "\(fuzz.replay)")
  }

  @Test("header fields overwritten with hostile values")
  func headerCorruption() throws {
    var tally = Tally()
    let fuzz = FuzzRun(name: "FuzzTests/headerCorruption", defaultIterations: 400)
    var rng = SeededGenerator(seed: fuzz.seed)
    let hostile: [[UInt8]] = [
      Array("99999999999".utf8), Array("4294967296".utf8), Array("-1".utf8), Array("0".utf8),
      Array("(".utf8), Array("#".utf8), Array("'".utf8), Array("nan".utf8),
      [0xFF, 0xFF, 0xFF, 0x7F],
      [0, 0, 0, 0], [0x80, 0, 0, 0], Array(" ".utf8), Array("\n".utf8), Array("L".utf8),
    ]
    for reader in ["npy", "pnm", "text"] {
      for (name, original) in try FuzzCorpus.files(reader) {
        let headerEnd = min(original.count, name.hasSuffix(".npy") ? 128 : 40)
        for round in 0..<fuzz.iterations {
          var bytes = original
          let at = Int(rng.next() % UInt64(headerEnd))
          let value = hostile[round % hostile.count]
          if round % 2 == 0 {
            bytes.replaceSubrange(at..<min(bytes.count, at + value.count), with: value)
          } else {
            bytes.insert(contentsOf: value, at: at)
          }
          Self.check(
            bytes, name: name, what: "header round \(round)", replay: fuzz.replay, tally: &tally)
        }
      }
    }
    #expect(tally.parses > 2 * fuzz.iterations)
    print(
      "fuzz headers: \(tally.parses) files, \(tally.accepted) read, \(tally.refused) refused; "
        + fuzz.replay)
  }

  @Test("PNG chunks corrupted behind a valid CRC, so libpng must parse them")
  func pngWithValidCRC() throws {
    var tally = Tally()
    let fuzz = FuzzRun(name: "FuzzTests/pngWithValidCRC", defaultIterations: 300)
    var rng = SeededGenerator(seed: fuzz.seed)
    for (name, original) in try FuzzCorpus.files("png") {
      let chunks = PNGChunks.split(original)
      #expect(chunks.count >= 3, "\(name) has too few chunks")
      for round in 0..<fuzz.iterations {
        var mutated = chunks
        let index = round % 4 == 0 ? 0 : Int(rng.next() % UInt64(chunks.count))
        var data = mutated[index].data
        if !data.isEmpty {
          for _ in 0...(Int(rng.next() % 3)) {
            let at = Int(rng.next() % UInt64(data.count))
            data[at] = round % 2 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : data[at] ^ 0x80
          }
        }
        mutated[index].data = data
        Self.check(
          PNGChunks.join(mutated), name: name, what: "chunk round \(round)", replay: fuzz.replay,
          tally: &tally)
      }
    }
    // Hand-made IHDRs: absurd and edge-case sizes, depths and colour types.
    let dims: [(UInt32, UInt32)] = [
      (0, 1), (1, 0), (1, 1), (0x7FFF_FFFF, 1), (65_536, 65_536), (1, 300_000),
    ]
    for (w, h) in dims {
      for (depth, colour) in [(8, 0), (16, 6), (1, 3), (3, 0), (8, 5), (4, 2)] {
        let png = PNGChunks.image(width: w, height: h, depth: UInt8(depth), colour: UInt8(colour))
        Self.check(
          png, name: "ihdr.png", what: "\(w)×\(h) depth \(depth) colour \(colour)", tally: &tally)
      }
    }
    #expect(tally.parses > fuzz.iterations)
    print(
      "fuzz PNG chunks: \(tally.parses) files, \(tally.accepted) read, \(tally.refused) refused; "
        + fuzz.replay)
  }

  @Test("absurd declared sizes are refused before allocating, under the real limit too")
  func absurdSizesUnderTheDefaultLimit() {
    let files: [(String, [UInt8])] = [
      (
        "a.npy", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (16384, 16384), }", [0])
      ),
      ("b.pgm", Array("P5 16000 16000 65535\n".utf8) + [0, 0]),
      ("c.ppm", Array("P3 9000 9000 255\n1 2 3".utf8)),
      ("d.pbm", Array("P4 60000 60000\n".utf8) + [0]),
      ("e.png", PNGChunks.image(width: 16_384, height: 16_384, depth: 16, colour: 6)),
      ("f.png", PNGChunks.image(width: 8192, height: 8192, depth: 8, colour: 0)),
      // A row wider than the limit: libpng must not allocate (and clear) it first.
      ("g.png", PNGChunks.image(width: 0x7FFF_FFFF, height: 1, depth: 16, colour: 6)),
      ("h.png", PNGChunks.image(width: 1 << 27, height: 3, depth: 8, colour: 2)),
    ]
    for (name, bytes) in files {
      let probe = AllocationProbe()
      let message = AllocationProbe.$current.withValue(probe) {
        inputErrorMessage { _ = try TensorFile.parse(bytes, source: name) }
      }
      #expect(message != nil, "\(name) was accepted")
      // Refused from the header, or (f.png, within the limits but without its data) after one
      // row and the reduced result: never the image.
      #expect(
        probe.largest <= 8192, "\(name): allocated \(probe.largest) values before refusing")
    }
  }
}

// MARK: - PNG chunks

/// Splitting and joining PNG chunks with correct CRCs, for fuzzing behind the checksum.
enum PNGChunks {
  struct Chunk {
    var type: [UInt8]
    var data: [UInt8]
  }

  static func split(_ png: [UInt8]) -> [Chunk] {
    var chunks: [Chunk] = []
    var at = 8
    while at + 12 <= png.count {
      let length = png[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) }
      guard at + 12 + length <= png.count else { break }
      chunks.append(
        Chunk(type: Array(png[(at + 4)..<(at + 8)]), data: Array(png[(at + 8)..<(at + 8 + length)]))
      )
      at += 12 + length
    }
    return chunks
  }

  static func join(_ chunks: [Chunk]) -> [UInt8] {
    var out = TensorFileFormat.pngSignature
    for chunk in chunks {
      let n = UInt32(chunk.data.count)
      out += [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
      out += chunk.type + chunk.data
      let crc = crc32(chunk.type + chunk.data)
      out += [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
    }
    return out
  }

  /// A PNG with the given header and a small all-zero (stored, uncompressed) image stream.
  static func image(width: UInt32, height: UInt32, depth: UInt8, colour: UInt8) -> [UInt8] {
    func be(_ v: UInt32) -> [UInt8] {
      [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }
    // zlib header, one final stored block of 64 zero bytes, Adler-32 of 64 zeros.
    let zlib: [UInt8] =
      [0x78, 0x01, 0x01, 64, 0, 0xBF, 0xFF] + [UInt8](repeating: 0, count: 64)
      + [0x00, 0x40, 0x00, 0x01]
    var chunks = [
      Chunk(type: Array("IHDR".utf8), data: be(width) + be(height) + [depth, colour, 0, 0, 0]),
      Chunk(type: Array("IDAT".utf8), data: zlib),
      Chunk(type: Array("IEND".utf8), data: []),
    ]
    if colour == 3 {
      chunks.insert(Chunk(type: Array("PLTE".utf8), data: [0, 0, 0, 255, 255, 255]), at: 1)
    }
    return join(chunks)
  }

  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes {
      crc ^= UInt32(b)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return crc ^ 0xFFFF_FFFF
  }
}
