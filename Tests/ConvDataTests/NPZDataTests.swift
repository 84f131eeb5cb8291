import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvData
@testable import ConvFormats

// MARK: - .npz data sets

/// `Tests/Fixtures/data` (written by `scripts/make_data_fixtures.py` with NumPy's `np.savez`
/// and `np.savez_compressed`) and its manifest: what each good file should load to, and words
/// each broken file's error must contain.
enum DataFixtures {
  static let directory = FormatFixtures.root.appendingPathComponent("Tests/Fixtures/data")

  static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

  struct Good: Decodable, Sendable, CustomTestStringConvertible {
    var file: String
    var train: Int
    var test: Int
    var classes: Int
    var imageShape: [Int]
    var trainLabels: [Int]
    var testLabels: [Int]
    var firstImage: [Float]
    var testDescription: String { file }

    enum CodingKeys: String, CodingKey {
      case file, train, test, classes
      case imageShape = "image_shape"
      case trainLabels = "train_labels"
      case testLabels = "test_labels"
      case firstImage = "first_image"
    }
  }

  struct Broken: Decodable, Sendable, CustomTestStringConvertible {
    var file: String
    var contains: [String]
    var testDescription: String { file }
  }

  struct Manifest: Decodable {
    var good: [Good]
    var errors: [Broken]
  }

  static let manifest: Manifest? = {
    guard let data = FileManager.default.contents(atPath: path("manifest.json")) else {
      return nil
    }
    return try? JSONDecoder().decode(Manifest.self, from: data)
  }()
}

@Suite("Data: .npz data sets")
struct NPZDataTests {
  @Test("the manifest is there (run scripts/make_data_fixtures.py)")
  func manifestPresent() throws {
    let manifest = try #require(DataFixtures.manifest)
    #expect(manifest.good.count >= 4)
    #expect(manifest.errors.count >= 10)
  }

  @Test(
    "each data set NumPy wrote loads to its split, classes, labels and first image",
    arguments: DataFixtures.manifest?.good ?? [])
  func good(_ expected: DataFixtures.Good) throws {
    let path = DataFixtures.path(expected.file)
    let split = try Datasets.load(path)
    #expect(split.name == path)
    #expect(split.train.count == expected.train)
    #expect(split.test.count == expected.test)
    #expect(split.classes == (0..<expected.classes).map(String.init))
    #expect(split.imageShape == expected.imageShape)
    #expect(split.train.labels == expected.trainLabels)
    #expect(split.test.labels == expected.testLabels)
    #expect(Array(split.train.x.data.prefix(expected.firstImage.count)) == expected.firstImage)
    #expect(split.train.x.shape == [expected.train] + expected.imageShape)
    #expect(split.test.x.shape == [expected.test] + expected.imageShape)
  }

  @Test("uint8 images are divided by 255 and say so; a test set of its own is named so")
  func notes() throws {
    let bytes = try Datasets.load(DataFixtures.path("uint8_nhw.npz"))
    #expect(bytes.notes == ["x: uint8 values divided by 255 (0…1)"])
    #expect(bytes.split.hasPrefix("fixed: the test set is every 5th image"))
    #expect(bytes.train.x.data.allSatisfy { (0...1).contains($0) })
    let own = try Datasets.load(DataFixtures.path("own_test.npz"))
    #expect(own.split == "the file's own test set (x_test, y_test): 6 train, 3 test")
    #expect(own.notes.isEmpty)
    let keras = try Datasets.load(DataFixtures.path("keras.npz"))
    #expect(keras.notes.count == 2)
  }

  @Test(
    "each broken data set is one line naming the file and saying what is wrong",
    arguments: DataFixtures.manifest?.errors ?? [])
  func broken(_ expected: DataFixtures.Broken) {
    let path = DataFixtures.path(expected.file)
    do {
      let split = try Datasets.load(path)
      Issue.record("\(expected.file) loaded: \(split.summary)")
    } catch let error as InputError {
      #expect(!error.message.contains("\n"))
      #expect(error.message.hasPrefix(DataFixtures.directory.path), "\(error.message)")
      for words in expected.contains {
        #expect(error.message.contains(words), "\(error.message) lacks \(words)")
      }
    } catch {
      Issue.record("\(expected.file): \(type(of: error)) \(error)")
    }
  }

  @Test("a missing path, an empty argument and a file that is not .npz are one line each")
  func arguments() {
    #expect(Datasets.argumentHelp.hasPrefix("digits") && Datasets.argumentHelp.contains(".npz"))
    for (argument, words) in [
      ("/nonexistent/data.npz", "no such file or folder"),
      ("", "empty"),
      (DataFixtures.path("manifest.json"), "not a data set"),
    ] {
      #expect {
        try Datasets.load(argument)
      } throws: { error in
        guard let error = error as? InputError else { return false }
        return error.message.contains(words) && !error.message.contains("\n")
      }
    }
  }

  @Test("mutated .npz data sets load or fail with one line naming the file, never trap")
  func fuzz() throws {
    let fuzz = FuzzRun(name: "NPZDataTests/fuzz", defaultIterations: 300)
    var rng = SeededGenerator(seed: fuzz.seed)
    let files = try ["nchw.npz", "uint8_nhw.npz", "own_test.npz", "keras.npz"].map { name in
      (
        name: name,
        bytes: Array(try Data(contentsOf: URL(fileURLWithPath: DataFixtures.path(name))))
      )
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-npz-fuzz-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("data.npz").path
    var (loaded, refused) = (0, 0)
    for round in 0..<fuzz.iterations {
      let file = files[round % files.count]
      let bytes = Mutator.mutate(file.bytes, tokens: [], &rng)
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      do {
        let split = try Datasets.load(path)
        #expect(split.train.count > 0 && split.test.count > 0)
        loaded += 1
      } catch let error as InputError {
        refused += 1
        if !error.message.hasPrefix(path) || error.message.contains("\n") {
          Issue.record("\(file.name) mutation \(round): \(error.message); \(fuzz.replay)")
        }
      } catch {
        Issue.record("\(file.name) mutation \(round): \(error); \(fuzz.replay)")
      }
    }
    #expect(loaded + refused == fuzz.iterations)
  }
}
