import ConvCore
import ConvFormats
import Foundation
import Testing

// MARK: - Shared vectors

@Suite("Shared conv-vectors")
struct VectorTests {
  /// Tolerance for a case: exact cases within 1e-6, `conv_float_normal` within its README's
  /// float32 tolerance (1e-4).
  static func tolerance(_ c: ConvCase) -> (rtol: Float, atol: Float) {
    c.exactInFloat32 ? (0, 1e-6) : (1e-4, 1e-4)
  }

  @Test("the fixture folder holds every case", arguments: Fixtures.expectedCaseNames)
  func fixturePresent(name: String) throws {
    _ = try Fixtures.loadCase(name)
  }

  @Test(
    "every backend reproduces every expected tensor",
    arguments: Fixtures.expectedCaseNames, ConvBackend.allCases)
  func matches(name: String, backend: ConvBackend) throws {
    let c = try Fixtures.loadCase(name)
    let result = try CaseRunner.run(c, backend: backend)
    let tol = Self.tolerance(c)
    var compared = 0
    for key in ConvCase.outputKeys {
      guard let expected = c.tensors[key] else { continue }
      let actual = try #require(result.tensors[key], "\(name): \(key) not computed")
      #expect(actual.shape == expected.shape, "\(name) \(key) shape")
      #expect(
        allClose(actual, expected, rtol: tol.rtol, atol: tol.atol),
        "\(name) \(key) (\(backend)): max |Δ| = \(actual.maxAbsDifference(to: expected))")
      compared += 1
    }
    #expect(compared >= 2, "\(name) should compare y and at least one gradient")
  }

  @Test("exact cases are bit-identical with the step engine's order")
  func exactCasesBitIdentical() throws {
    for name in Fixtures.expectedCaseNames where name.hasPrefix("conv") {
      let c = try Fixtures.loadCase(name)
      guard c.exactInFloat32 else { continue }
      let result = try CaseRunner.run(c, backend: .direct)
      for key in ["y", "dx", "dw", "db"] {
        #expect(result.tensors[key] == c.tensors[key], "\(name) \(key)")
      }
    }
  }

  @Test("the seed layer: weights and biases after one SGD step")
  func seedLayerSGD() throws {
    let c = try Fixtures.loadCase("conv_seed_b2")
    let seed = try #require(c.seedLayer)
    let filters = try #require(seed.filtersAfterSGD)
    let biases = try #require(seed.biasesAfterSGD)
    for backend in ConvBackend.allCases {
      let result = try CaseRunner.run(c, backend: backend)
      let w = try #require(result.tensors["filters_after_sgd"])
      let b = try #require(result.tensors["biases_after_sgd"])
      #expect(allClose(w, try Tensor(shape: w.shape, data: filters), rtol: 1e-6, atol: 1e-6))
      #expect(allClose(b, try Tensor(shape: b.shape, data: biases), rtol: 1e-6, atol: 1e-6))
    }
  }

  @Test("the seed layer through the article's API: NHWC output, dX, one SGD step")
  func seedLayerArticleAPI() throws {
    let c = try Fixtures.loadCase("conv_seed_b2")
    let seed = try #require(c.seedLayer)
    let x = try c.tensor("x")
    let (batch, size) = (x.shape[0], x.shape[2])
    var layer = try ArticleConvLayer(
      inputSize: size, filterSize: 5, numFilters: 16, stride: 1, padding: 2, alpha: seed.alpha)
    try layer.setParameters(filters: c.tensor("w"), biases: c.tensor("b"))

    let out = try layer.forward(try x.reshaped([batch, size, size]))
    #expect(out.shape == [batch, size, size, 16])
    let y = try c.tensor("y")
    #expect(Layout.nhwcToNCHW(out) == y)
    let dOut = Layout.nchwToNHWC(try c.tensor("dy"))
    let dX = try layer.backward(dOut)
    #expect(dX.shape == [batch, size, size])
    #expect(try dX.reshaped(x.shape) == c.tensor("dx"))
    let filters = try Tensor(shape: [16, 5, 5], data: try #require(seed.filtersAfterSGD))
    #expect(allClose(layer.filters, filters, atol: 1e-6))
    let biases = try Tensor(shape: [16], data: try #require(seed.biasesAfterSGD))
    #expect(allClose(layer.biases, biases, atol: 1e-6))
  }
}

// MARK: - The copy stays the copy

@Suite("Fixture copy")
struct FixtureCopyTests {
  static let sharedExists = FileManager.default.fileExists(atPath: Fixtures.sharedVectors.path)

  @Test(
    "Tests/Fixtures/conv-vectors equals ../shared/conv-vectors",
    .enabled(if: sharedExists, "../shared/conv-vectors is not on this machine"))
  func copyIsIdentical() throws {
    let fm = FileManager.default
    let shared = try fm.contentsOfDirectory(atPath: Fixtures.sharedVectors.path).sorted()
    let local = try fm.contentsOfDirectory(atPath: Fixtures.vectors.path).sorted()
    #expect(local == shared, "the two folders list different files")
    for name in shared {
      let a = fm.contents(atPath: Fixtures.sharedVectors.appendingPathComponent(name).path)
      let b = fm.contents(atPath: Fixtures.vectors.appendingPathComponent(name).path)
      #expect(a != nil && a == b, "\(name) differs from ../shared/conv-vectors/\(name)")
    }
  }

  @Test("the README of the vectors is copied too")
  func readmeCopied() {
    #expect(
      FileManager.default.fileExists(
        atPath: Fixtures.vectors.appendingPathComponent("README.md").path))
  }
}
