import ConvCore

// MARK: - The program of a transposed layer

extension CodeExport {
  /// The program for a transposed layer (`ConvTranspose2d`) in `language`: the NumPy version
  /// writes the scatter out in plain loops (every input cell stamps its kernel, scaled, onto
  /// the output), the PyTorch version uses `torch.nn.ConvTranspose2d` with autograd. Both print
  /// `y`, `dx`, `dw`, `db` as the conv2d programs do, so `check --check-all` reads them.
  public init(
    transposed layer: TransposedLayer, language: CodeLanguage, dataDirectory: String?,
    command: String = ""
  ) {
    var writer = Writer(language: language, dataDirectory: dataDirectory)
    writer.transposedProgram(layer, command: command)
    source = writer.lines.joined(separator: "\n") + "\n"
    files = writer.files
    self.dataDirectory = dataDirectory
  }
}

extension CodeExport.Writer {
  /// The whole program of a transposed layer.
  mutating func transposedProgram(_ layer: TransposedLayer, command: String) {
    let s = layer.spec
    let language = self.language
    add(
      """
      # \(command.isEmpty ? "convscope code --lang \(language.rawValue)" : Self.oneLine(command))
      # \(layer.line)
      # PyTorch's ConvTranspose2d; computed in float64 from the float32 values.
      # Prints y, dx, dw, db as: name, shape, ":", the values row-major.
      """)
    let needsFiles = [layer.x, layer.w, layer.b, layer.dy].contains {
      $0.count > CodeExport.inlineLimit
    }
    if needsFiles { lines.append("import os") }
    lines.append("import numpy as np")
    if language == .pytorch { lines.append("import torch") }
    lines.append("")
    if needsFiles, let dataDirectory {
      lines.append(
        "DATA = \(Self.pythonString(dataDirectory))  # the .npy files convscope wrote")
    } else if needsFiles {
      lines.append("# The .npy files convscope wrote: beside this file, in NAME_data/.")
      lines.append("DATA = os.path.splitext(os.path.abspath(__file__))[0] + \"_data\"")
    }
    tensor("x", layer.x, grad: true)
    tensor("w", layer.w)
    tensor("b", layer.b)
    lines.append(
      "stride, padding, output_padding, dilation = \(Self.tuple(s.stride)), "
        + "\(Self.tuple(s.padding)), \(Self.tuple(s.outputPadding)), \(Self.tuple(s.dilation))")
    lines.append("groups = \(s.groups)  # w is [C, F/groups, KH, KW]")
    lines.append("")
    switch language {
    case .numpy: transposedNumpy(layer)
    case .pytorch: transposedTorch(layer)
    }
    show()
  }

  /// The output gradient, as code (after `y` exists).
  mutating func transposedGradient(_ layer: TransposedLayer) {
    if layer.dy.data.allSatisfy({ $0 == 1 }) {
      lines.append("# the output gradient: all ones (L = sum of the outputs)")
      lines.append(language == .pytorch ? "dy = torch.ones_like(y)" : "dy = np.ones_like(y)")
    } else {
      lines.append("# the output gradient, from the case")
      tensor("dy", layer.dy)
    }
  }

  /// The NumPy program: the scatter written out in loops.
  mutating func transposedNumpy(_ layer: TransposedLayer) {
    add(Self.numpyTransposedFunctions)
    lines.append(
      "y = conv_transpose2d_forward(x, w, b, stride, padding, output_padding, dilation, groups)")
    transposedGradient(layer)
    lines.append(
      "dx, dw, db = conv_transpose2d_backward(x, w, dy, stride, padding, dilation, groups)")
  }

  /// The PyTorch program: `nn.ConvTranspose2d` with autograd.
  mutating func transposedTorch(_ layer: TransposedLayer) {
    let (c, f) = (layer.x.shape[1], layer.outputShape[1])
    let kernel = Size2(layer.w.shape[2], layer.w.shape[3])
    lines.append(
      "conv = torch.nn.ConvTranspose2d(\(c), \(f), \(Self.tuple(kernel)), stride=stride, "
        + "padding=padding, output_padding=output_padding,")
    lines.append(
      "                                groups=groups, dilation=dilation, bias=True, "
        + "dtype=torch.float64)")
    lines.append("with torch.no_grad():")
    lines.append("    conv.weight.copy_(w)")
    lines.append("    conv.bias.copy_(b)")
    lines.append("y = conv(x)")
    transposedGradient(layer)
    lines.append("y.backward(dy)")
    lines.append(
      "y, dx, dw, db = y.detach().numpy(), x.grad.numpy(), conv.weight.grad.numpy(), "
        + "conv.bias.grad.numpy()")
  }

  /// The NumPy program's transposed convolution: every input cell stamps its kernel, scaled by
  /// its value, onto the output (the overlaps add up); the backward pass reads the same
  /// pairs the other way.
  static let numpyTransposedFunctions =
    """
    def conv_transpose2d_forward(x, w, b, stride, padding, output_padding, dilation, groups):
        N, C, H, W = x.shape
        _, FG, KH, KW = w.shape  # w is [C, F/groups, KH, KW]
        CG, F_ = C // groups, FG * groups
        (sh, sw), (ph, pw), (oph, opw), (dh, dw_) = stride, padding, output_padding, dilation
        OH = (H - 1) * sh - 2 * ph + dh * (KH - 1) + oph + 1
        OW = (W - 1) * sw - 2 * pw + dw_ * (KW - 1) + opw + 1
        y = np.zeros((N, F_, OH, OW)) + b[None, :, None, None]
        for c in range(C):
            fs = slice(c // CG * FG, (c // CG + 1) * FG)  # the outputs of channel c's group
            for i in range(H):
                for j in range(W):
                    # stamp kernel w[c], scaled by x[:, c, i, j], with its corner at
                    # (i*sh - ph, j*sw - pw); taps outside the output are dropped
                    for p in range(KH):
                        oi = i * sh - ph + p * dh
                        if not 0 <= oi < OH:
                            continue
                        for q in range(KW):
                            oj = j * sw - pw + q * dw_
                            if 0 <= oj < OW:
                                y[:, fs, oi, oj] += np.outer(x[:, c, i, j], w[c, :, p, q])
        return y


    def conv_transpose2d_backward(x, w, dy, stride, padding, dilation, groups):
        N, C, H, W = x.shape
        _, FG, KH, KW = w.shape
        CG = C // groups
        (sh, sw), (ph, pw), (dh, dw_) = stride, padding, dilation
        OH, OW = dy.shape[2], dy.shape[3]
        dx = np.zeros(x.shape)
        dw = np.zeros(w.shape)
        for c in range(C):
            fs = slice(c // CG * FG, (c // CG + 1) * FG)
            for i in range(H):
                for j in range(W):
                    for p in range(KH):
                        oi = i * sh - ph + p * dh
                        if not 0 <= oi < OH:
                            continue
                        for q in range(KW):
                            oj = j * sw - pw + q * dw_
                            if 0 <= oj < OW:
                                g = dy[:, fs, oi, oj]  # [N, F/groups]: where the tap landed
                                dx[:, c, i, j] += g @ w[c, :, p, q]
                                dw[c, :, p, q] += x[:, c, i, j] @ g
        db = dy.sum(axis=(0, 2, 3))
        return dx, dw, db

    """
}
