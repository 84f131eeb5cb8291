import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvFormats

// MARK: - Roles

@Suite("Formats: shaping tensors as input, kernel, bias and gradient")
struct RoleTests {
  static func loaded(_ shape: [Int], source: String = "t.npy") throws -> LoadedTensor {
    let count = shape.reduce(1, *)
    return LoadedTensor(
      tensor: try Tensor(shape: shape, data: (0..<count).map(Float.init)), source: source,
      format: .npy, detail: "", storedShape: shape, isImage: false)
  }

  @Test("inputs: [H,W] and [C,H,W] gain leading 1s; other ranks and empty axes are refused")
  func inputs() throws {
    #expect(try Self.loaded([4, 5]).asInput().tensor.shape == [1, 1, 4, 5])
    #expect(try Self.loaded([3, 4, 5]).asInput().tensor.shape == [1, 3, 4, 5])
    #expect(try Self.loaded([2, 3, 4, 5]).asInput().tensor.shape == [2, 3, 4, 5])
    #expect(
      inputErrorMessage { _ = try Self.loaded([5]).asInput() }
        == "t.npy: an input must be [H, W], [C, H, W] or [N, C, H, W], but this has shape (5,)")
    #expect(
      inputErrorMessage { _ = try Self.loaded([3, 0]).asInput() }?.contains("(3, 0)") == true)
    #expect(inputErrorMessage { _ = try Self.loaded([]).asInput() }?.contains("shape ()") == true)
  }

  @Test("kernels: [KH,KW] and [F,KH,KW] are replicated across channels; [F,C,KH,KW] must match")
  func kernels() throws {
    let one = try Self.loaded([2, 2]).asKernel(inChannels: 1)
    #expect(one.tensor.shape == [1, 1, 2, 2] && one.notes.isEmpty)
    let rgb = try Self.loaded([2, 2]).asKernel(inChannels: 3)
    #expect(rgb.tensor.shape == [1, 3, 2, 2])
    #expect(rgb.tensor.data == [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3])
    #expect(rgb.notes == ["each filter replicated across the 3 input channels"])
    let filters = try Self.loaded([2, 1, 2]).asKernel(inChannels: 2)
    #expect(filters.tensor.shape == [2, 2, 1, 2])
    #expect(filters.tensor.data == [0, 1, 0, 1, 2, 3, 2, 3])
    let ambiguous = try Self.loaded([3, 3, 3]).asKernel(inChannels: 3)
    #expect(
      ambiguous.notes.first?.contains("save one filter over 3 channels as (1, 3, 3, 3)") == true)
    #expect(try Self.loaded([4, 3, 5, 5]).asKernel(inChannels: 3).tensor.shape == [4, 3, 5, 5])
    #expect(
      inputErrorMessage {
        _ = try Self.loaded([4, 3, 5, 5], source: "k.npy").asKernel(inChannels: 1)
      }
        == "k.npy: kernel (4, 3, 5, 5) has 3 channels but the input has 1; it must be "
        + "(4, 1, 5, 5) [F, C, KH, KW]")
    #expect(
      inputErrorMessage { _ = try Self.loaded([3]).asKernel(inChannels: 1) }?
        .contains("[KH, KW], [F, KH, KW] or [F, C, KH, KW]") == true)
  }

  @Test("biases: [F], [1,F] or one value for all; the wrong count names both sides")
  func biases() throws {
    #expect(try Self.loaded([3]).asBias(filters: 3).tensor.shape == [3])
    #expect(try Self.loaded([1, 3]).asBias(filters: 3).tensor.data == [0, 1, 2])
    let broadcast = try TensorFile.values("0.5", source: "--bias").asBias(filters: 4)
    #expect(broadcast.tensor.data == [0.5, 0.5, 0.5, 0.5])
    #expect(broadcast.notes == ["the one value is used for all 4 filters"])
    #expect(
      inputErrorMessage { _ = try TensorFile.values("1,2", source: "--bias").asBias(filters: 3) }
        == "--bias: biases have shape (2,) but the kernel has 3 filters: give 3 values (shape (3,))"
    )
    #expect(inputErrorMessage { _ = try Self.loaded([2, 3]).asBias(filters: 6) } != nil)
  }

  @Test("gradients: exactly the output shape, leading 1s optional")
  func gradients() throws {
    #expect(
      try Self.loaded([2, 3, 4]).asGradient(shape: [1, 2, 3, 4]).tensor.shape == [1, 2, 3, 4])
    #expect(
      try Self.loaded([1, 2, 3, 4]).asGradient(shape: [1, 2, 3, 4]).tensor.shape == [1, 2, 3, 4])
    #expect(
      inputErrorMessage {
        _ = try Self.loaded([2, 3, 5], source: "g.npy").asGradient(shape: [1, 2, 3, 4])
      }
        == "g.npy: the gradient has shape (2, 3, 5) but the layer's output is (1, 2, 3, 4)")
  }
}
