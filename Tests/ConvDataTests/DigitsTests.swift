import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvData
@testable import ConvFormats

// MARK: - The built-in digits

/// The embedded digits against numbers computed once with Python from the same file
/// (`assets/datasets/digits.csv.gz`, read with `gzip` and NumPy).
@Suite("Data: the built-in digits")
struct DigitsTests {
  /// The first line of the CSV: 64 pixels (0…16), then its digit, 0.
  static let firstRow: [Int] = [
    0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0,
    0, 8, 8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0,
    0, 6, 13, 10, 0, 0, 0,
  ]
  /// The last line's pixels (image 1796, a training image: 1796 % 5 == 1); its digit is 8.
  static let lastRow: [Int] = [
    0, 0, 10, 14, 8, 1, 0, 0, 0, 2, 16, 14, 6, 1, 0, 0, 0, 0, 15, 15, 8, 15, 0, 0, 0, 0, 5, 16,
    16, 10, 0, 0, 0, 0, 12, 15, 15, 12, 0, 0, 0, 4, 16, 6, 4, 16, 6, 0, 0, 8, 16, 10, 8, 16, 8,
    0, 0, 1, 8, 12, 14, 12, 1, 0,
  ]

  @Test("1797 images of 1×8×8, ten classes, values in 0…1 (the sum of all pixels /16)")
  func shapeAndValues() throws {
    let all = try Digits.all()
    #expect(all.count == 1797)
    #expect(all.x.shape == [1797, 1, 8, 8])
    #expect(all.classes == ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
    #expect(all.x.data.allSatisfy { (0...1).contains($0) })
    #expect(all.x.data.max() == 1)
    // NumPy: x.sum() == 561718 over the raw 0…16 values.
    #expect(all.x.data.reduce(0.0) { $0 + Double($1) } * 16 == 561_718)
    #expect(all.classCounts == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
  }

  @Test("the first and last images are the first and last rows of the CSV, divided by 16")
  func firstAndLast() throws {
    let all = try Digits.all()
    #expect(Array(all.x.data.prefix(64)) == Self.firstRow.map { Float($0) / 16 })
    #expect(Array(all.x.data.suffix(64)) == Self.lastRow.map { Float($0) / 16 })
    #expect(all.labels.first == 0)
    #expect(all.labels.last == 8)
  }

  @Test("the fixed split: index % 5 == 4 is test; the class counts NumPy computed")
  func split() throws {
    let split = try Datasets.digits()
    #expect(split.train.count == 1438)
    #expect(split.test.count == 359)
    #expect(split.name == "digits")
    #expect(split.train.classCounts == [151, 161, 143, 131, 147, 154, 150, 136, 127, 138])
    #expect(split.test.classCounts == [27, 21, 34, 52, 34, 28, 31, 43, 47, 42])
    #expect(split.split.contains("every 5th") && split.split.contains("1438 train, 359 test"))
    let all = try Digits.all()
    // Test image k is image 5k + 4; train images are the others in order.
    #expect(split.test.batch([2]).x == all.batch([14]).x)
    #expect(split.train.batch([4]).x == all.batch([5]).x)
    #expect(split.test.labels == stride(from: 4, to: 1797, by: 5).map { all.labels[$0] })
    #expect(try Datasets.load("digits") == split)
    #expect(split.notes.isEmpty)
  }

  @Test("the embedded file is assets/datasets/digits.csv.gz, scikit-learn's 57,523 bytes")
  func embeddedFile() throws {
    let bytes = PackageResources.digits_csv_gz
    #expect(bytes.count == 57_523)
    #expect(Array(bytes.prefix(3)) == [0x1F, 0x8B, 0x08])
    let onDisk = FormatFixtures.root.appendingPathComponent("assets/datasets/digits.csv.gz")
    #expect(try Array(Data(contentsOf: onDisk)) == bytes)
  }

  @Test("a damaged copy of the embedded file is one line naming it, never a trap")
  func damaged() throws {
    var bytes = PackageResources.digits_csv_gz
    bytes[bytes.count / 2] ^= 0x40
    #expect(throws: InputError.self) {
      try Gzip.decompress(bytes, source: "d.gz", limit: 1 << 22)
    }
    let text = try Gzip.decompress(
      PackageResources.digits_csv_gz, source: "d.gz", limit: 1 << 22)
    var broken = text
    broken[10] = UInt8(ascii: "x")
    #expect(throws: InputError.self) { try Digits.parse(broken) }
    #expect(throws: InputError.self) { try Digits.parse(Array(text.dropLast(2))) }
    #expect(throws: InputError.self) {
      try Gzip.decompress(PackageResources.digits_csv_gz, source: "d.gz", limit: 1000)
    }
  }

  @Test("mutated gzip files inflate or fail with one line naming the file, never trap")
  func fuzzGzip() {
    let fuzz = FuzzRun(name: "DigitsTests/fuzzGzip", defaultIterations: 300)
    var rng = SeededGenerator(seed: fuzz.seed)
    let original = PackageResources.digits_csv_gz
    for round in 0..<fuzz.iterations {
      let bytes = Mutator.mutate(original, tokens: [], &rng)
      do {
        let text = try Gzip.decompress(bytes, source: "d.gz", limit: 1 << 22)
        #expect(text.count <= 1 << 22)
        _ = try? Digits.parse(text)
      } catch let error as InputError {
        if !error.message.hasPrefix("d.gz: ") || error.message.contains("\n") {
          Issue.record("mutation \(round): \(error.message); \(fuzz.replay)")
        }
      } catch {
        Issue.record("mutation \(round): \(error); \(fuzz.replay)")
      }
    }
  }
}
