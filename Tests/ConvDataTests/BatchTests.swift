import ConvCore
import Testing

@testable import ConvData

// MARK: - Batches

@Suite("Data: batches and subsets")
struct BatchTests {
  /// Five images of 2×1×2 whose values name them: image i holds 10i, 10i+1, 10i+2, 10i+3.
  static func images() throws -> LabelledImages {
    let x = try Tensor(
      shape: [5, 2, 1, 2], data: (0..<5).flatMap { i in (0..<4).map { Float(10 * i + $0) } })
    return LabelledImages(x: x, labels: [0, 1, 2, 0, 1], classes: ["a", "b", "c"])
  }

  @Test("a batch is the images at the indices, in that order, with their labels")
  func batch() throws {
    let set = try Self.images()
    let (x, labels) = set.batch([3, 0, 3])
    #expect(x.shape == [3, 2, 1, 2])
    #expect(x.data == [30, 31, 32, 33, 0, 1, 2, 3, 30, 31, 32, 33])
    #expect(labels == [0, 0, 0])
    let empty = set.batch([Int]())
    #expect(empty.x.shape == [0, 2, 1, 2] && empty.labels.isEmpty)
    let range = set.batch(1..<4)
    #expect(range.labels == [1, 2, 0])
    #expect(range.x.data.first == 10 && range.x.data.last == 33)
  }

  @Test("count, image shape, class counts and subsets")
  func properties() throws {
    let set = try Self.images()
    #expect(set.count == 5)
    #expect(set.imageShape == [2, 1, 2])
    #expect(set.imageSize == 4)
    #expect(set.classCounts == [2, 2, 1])
    let subset = set.subset([4, 2])
    #expect(subset.labels == [1, 2] && subset.classes == set.classes)
    #expect(subset.x.data == [40, 41, 42, 43, 20, 21, 22, 23])
  }

  @Test("a split's summary line and the every-5th rule")
  func split() throws {
    let split = try Datasets.splitEveryFifth(Self.images(), name: "five", what: "the file")
    #expect(split.train.labels == [0, 1, 2, 0])
    #expect(split.test.labels == [1])
    #expect(split.summary == "five: 4 train + 1 test images, 2×1×2, 3 classes")
    #expect((0..<10).filter(Datasets.isTest) == [4, 9])
  }
}
