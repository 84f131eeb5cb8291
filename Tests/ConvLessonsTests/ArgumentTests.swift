import ConvCore
import ConvFormats
import TestSupport
import Testing

@testable import ConvLessons

// MARK: - Tensor arguments

@Suite("Lessons: --input, --kernel, --bias and --gradient arguments")
struct ArgumentTests {
  @Test("arguments: files win over presets, presets over nothing, values for --bias")
  func arguments() throws {
    let kernel = try TensorArguments.kernel("sobel-y", inChannels: 3, seed: 0)
    #expect(kernel.tensor.shape == [1, 3, 3, 3] && kernel.source == "preset sobel-y")
    #expect(
      inputErrorMessage { _ = try TensorArguments.kernel("sobelx", inChannels: 1) }
        == "sobelx: no such file, and no kernel preset of that name (did you mean sobel-x?); "
        + "`convscope presets` lists them")
    #expect(
      inputErrorMessage { _ = try TensorArguments.input("missing/file.png") }
        == "missing/file.png: no such file")
    let input = try TensorArguments.input("digit:3")
    #expect(input.tensor.shape == [1, 1, 8, 8])
    let bias = try TensorArguments.bias("0.1, -0.2,3e-1", filters: 3)
    #expect(bias.tensor.data == [0.1, -0.2, 0.3])
    let grid = FormatFixtures.path("text/comma.csv")
    #expect(try TensorArguments.kernel(grid, inChannels: 1).tensor.shape == [1, 1, 3, 4])
    #expect(try TensorArguments.input(grid).tensor.shape == [1, 1, 3, 4])
    let ones = try TensorArguments.gradient("ones", shape: [1, 2, 2, 2])
    #expect(ones.tensor.data == Array(repeating: 1, count: 8))
    let random = try TensorArguments.gradient("random", shape: [1, 1, 3, 3], seed: 5)
    #expect(random.tensor.data.allSatisfy { $0 >= -1 && $0 < 1 })
    let output = Tensor(shape: [1, 1, 2, 2], repeating: 3)
    #expect(
      try TensorArguments.gradient("output", shape: [1, 1, 2, 2], output: output).tensor == output)
    #expect(
      inputErrorMessage { _ = try TensorArguments.gradient("output", shape: [1, 1, 2, 2]) } != nil)
    #expect(GradientArgument("Random") == .random && GradientArgument("dy.npy") == .file("dy.npy"))
  }
}
