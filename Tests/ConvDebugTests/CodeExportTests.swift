import ConvCore
import ConvStepper
import Testing

@testable import ConvDebug

// MARK: - Code export

@Suite("CodeExport: the Python programs")
struct CodeExportTests {
  @Test("NumPy: no convscope, the layer's parameters, inline tensors, the fixed print form")
  func numpy() throws {
    let s = try Layers.random(stride: Size2(2, 1), padding: Size2(1, 0), dilation: 2)
    let e = CodeExport(trace: try LayerTrace(s), language: .numpy, dataDirectory: "/tmp/x")
    #expect(!e.source.contains("convscope import") && !e.source.contains("import convscope"))
    #expect(!e.source.contains("torch"))
    #expect(e.source.contains("stride, padding, dilation = (2, 1), (1, 0), (2, 2)"))
    #expect(e.source.contains("x = np.array(["))
    #expect(
      e.source.contains("].reshape(2, 2, 5, 6)") || e.source.contains(").reshape(2, 2, 5, 6)"))
    #expect(e.source.contains("show(\"db\", db)"))
    #expect(e.files.isEmpty)
    #expect(!e.source.contains("DATA ="))
  }

  @Test("PyTorch: conv2d with autograd, ReLU and pooling as configured")
  func pytorch() throws {
    var s = try Layers.random(gradient: .output)
    s.relu = true
    s.pool = MaxPool2DConfig(kernel: 2)
    let e = CodeExport(trace: try LayerTrace(s), language: .pytorch, dataDirectory: "")
    #expect(e.source.contains("F.conv2d(x, w, b, stride=stride, padding=padding"))
    #expect(e.source.contains("z = F.relu(z)"))
    #expect(e.source.contains("F.max_pool2d(z, (2, 2), stride=(2, 2), padding=(0, 0))"))
    #expect(e.source.contains("dz = z.detach().clone()"))
    #expect(e.source.contains(".requires_grad_()"))
  }

  @Test("groups and a padding mode: written to both programs, the plain functions kept plain")
  func groupsAndPaddingMode() throws {
    let s = try Layers.random(channels: 4, filters: 2, groups: 2, paddingMode: .reflect)
    let trace = try LayerTrace(s)
    let numpy = CodeExport(trace: trace, language: .numpy, dataDirectory: "")
    #expect(numpy.source.contains("groups, padding_mode = 2, \"reflect\""))
    #expect(numpy.source.contains("np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), mode=NP_MODE"))
    #expect(numpy.source.contains("np.add.at(dx"))
    #expect(numpy.source.contains("conv2d_backward(x, w, dy, stride, padding, dilation, groups"))
    let torch = CodeExport(trace: trace, language: .pytorch, dataDirectory: "")
    #expect(torch.source.contains("torch.nn.Conv2d(4, 2, (3, 3), stride=stride"))
    #expect(torch.source.contains("groups=groups, padding_mode=padding_mode"))
    #expect(torch.source.contains("conv.weight.grad.numpy(), conv.bias.grad.numpy()"))
    let plain = CodeExport(
      trace: try LayerTrace(try Layers.random()), language: .numpy, dataDirectory: "")
    #expect(!plain.source.contains("groups"))
    #expect(!plain.source.contains("padding_mode"))
  }

  @Test("tensors over the inline limit become .npy files loaded from the data directory")
  func files() throws {
    let s = try Layers.random(batch: 1, channels: 1, filters: 1, input: Size2(21))
    let e = CodeExport(trace: try LayerTrace(s), language: .numpy, dataDirectory: "/data dir")
    #expect(e.files.map(\.name) == ["x.npy", "dz.npy"])
    #expect(e.files.first?.tensor == s.input)
    #expect(e.source.contains("DATA = \"/data dir\""))
    #expect(e.source.contains("x = np.load(os.path.join(DATA, \"x.npy\")).astype(np.float64)"))
    #expect(e.source.contains("import os"))
  }

  @Test("non-finite values are Python expressions")
  func literals() {
    #expect(CodeExport.Writer.literal(.nan) == "float('nan')")
    #expect(CodeExport.Writer.literal(-.infinity) == "-float('inf')")
    #expect(CodeExport.Writer.literal(0.5) == "0.5")
    #expect(CodeExport.Writer.pythonString("a\"b\\c") == "\"a\\\"b\\\\c\"")
  }
}
