import ConvCore
import ConvFormats
import ConvStepper
import Foundation
import TestSupport
import Testing

@testable import ConvLessons

// MARK: - A layer's tensors are capped from their files' headers

@Suite("Lessons: files for a layer are capped at a layer's size before they are decoded")
struct LayerLimitTests {
  static let bomb = FormatFixtures.root.appendingPathComponent(
    "Tests/Fixtures/images/bombs/16384x16384_header.png"
  ).path

  @Test("the cap is the size of a walk's largest tensor")
  func sameLimit() {
    #expect(LoadOptions.layerTensorLimit == Scenario.maxOutputCells)
  }

  @Test("a 16384×16384 PNG as a kernel, a gradient or an unreduced input: one line")
  func refused() {
    let over = "PNG image of 16384×16384 pixels is 268435456 values, over the limit of 16777216"
    let cases: [(String, () throws -> Void)] = [
      ("for a kernel", { _ = try TensorArguments.kernel(Self.bomb, inChannels: 1) }),
      ("for biases", { _ = try TensorArguments.bias(Self.bomb, filters: 1) }),
      ("for a gradient", { _ = try TensorArguments.gradient(Self.bomb, shape: [1, 1, 2, 2]) }),
      (
        "for an input",
        { _ = try TensorArguments.input(Self.bomb, options: LoadOptions(maxSize: 0)) }
      ),
    ]
    for (role, body) in cases {
      #expect(
        inputErrorMessage(body) == "\(Self.bomb): \(over) values \(role); refused before reading")
    }
  }
}
