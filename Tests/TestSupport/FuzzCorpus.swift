import Foundation
import Testing

// MARK: - FuzzCorpus

/// The seed corpus of the fuzz targets: `Tests/Fixtures/fuzz/<reader>/`, written by
/// `scripts/make_fuzz_corpus.py`.
public enum FuzzCorpus {
  /// `Tests/Fixtures/fuzz`.
  public static let directory = FormatFixtures.root.appendingPathComponent("Tests/Fixtures/fuzz")

  /// The files of `reader` (`png`, `pnm`, `npy`, `npz`, `text`, `lesson`, `case`, `net`,
  /// `safetensors`) by name, in name order; none fails the test.
  public static func files(_ reader: String, sourceLocation: SourceLocation = #_sourceLocation)
    throws -> [(name: String, bytes: [UInt8])]
  {
    let folder = directory.appendingPathComponent(reader)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    let files = names.sorted().compactMap { name -> (String, [UInt8])? in
      FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
        .map { (name, Array($0)) }
    }
    guard !files.isEmpty else {
      Issue.record(
        "no fuzz corpus in \(folder.path): run scripts/make_fuzz_corpus.py",
        sourceLocation: sourceLocation)
      throw FormatFixtures.Missing()
    }
    return files
  }
}

// MARK: - Mutator

/// Random mutations of a file: bit flips, random, inserted, deleted and repeated bytes, hostile
/// tokens for the reader, truncation. A file never grows past 64 KiB.
public enum Mutator {
  /// Tokens worth splicing in, by reader.
  public static let tokens: [String: [String]] = [
    "text": [
      ",", ";", "\n", "\r\n", "#", "---", "\"", " ", "nan", "-inf", "1e39", "1e-50",
      "99999999999999999999", ":", "y 9999999 9999999 : ", "0x1p3", "1.5.5", "\u{FEFF}",
    ],
    "lesson": [
      "\n", "\r\n", "  ", ":", "input (1, 1, 2, 2):\n", "kernel:\n", "(99999, 99999)", "−",
      "nan", "1e39", ",", "\t", "stride: ", "#", "\u{1B}]0;x\u{07}", "99999999999999999999",
    ],
    "case": [
      "[", "]", "{", "}", ",", ":", "\"", "\\u", "\\ud800", "null", "true", "1e400", "-0",
      "01", "\"x\"", "\"shapes\"", "[1, 1, 9999, 9999]", "1.5", "\u{FEFF}", "NaN",
    ],
    "net": [
      "\n", "#", " ", "\t", "x", "×", "conv", "relu", "maxpool", "flatten", "linear", "input",
      "stride", "pad", "groups", "padding-mode", "reflect", "65536", "0", "-1",
      "99999999999999999999", "3x3",
    ],
    "safetensors": [
      "{", "}", "\"", ",", ":", "[", "]", "\"dtype\":\"F64\"", "\"BF16\"", "\"I64\"", "[0,0]",
      "\"shape\":[]", "\"data_offsets\":[0,4]", "99999999999", "-1", "\"__metadata__\"", " ",
    ],
    "npy": ["'shape': (", "99999999999", ")", "'descr'", "<f8", "True", "\n"],
    "pnm": ["99999", "#", " ", "\n", "65535", "P5", "-1"],
  ]

  /// `original` with one to four random mutations.
  public static func mutate<G: RandomNumberGenerator>(
    _ original: [UInt8], tokens: [String], _ rng: inout G
  ) -> [UInt8] {
    var bytes = original
    for _ in 0...Int(rng.next() % 4) {
      guard !bytes.isEmpty else { break }
      let at = Int(rng.next() % UInt64(bytes.count))
      switch rng.next() % 8 {
      case 0: bytes[at] ^= UInt8(1 << (rng.next() % 8))
      case 1: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
      case 2: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
      case 3: bytes.removeSubrange(at..<min(bytes.count, at + 1 + Int(rng.next() % 8)))
      case 4:
        // Repeat a stretch many times: long lines, long fields, many values.
        let end = min(bytes.count, at + 1 + Int(rng.next() % 16))
        let times = 1 + Int(rng.next() % 300)
        let stretch = Array(bytes[at..<end])
        bytes.insert(
          contentsOf: (0..<times).flatMap { _ in stretch }, at: at)
      case 5, 6:
        guard !tokens.isEmpty else { continue }
        let token = Array(tokens[Int(rng.next() % UInt64(tokens.count))].utf8)
        if rng.next() % 2 == 0 {
          bytes.insert(contentsOf: token, at: at)
        } else {
          bytes.replaceSubrange(at..<min(bytes.count, at + token.count), with: token)
        }
      default: bytes.removeSubrange(at...)
      }
      if bytes.count > 1 << 16 { bytes.removeSubrange((1 << 16)...) }
    }
    return bytes
  }
}
