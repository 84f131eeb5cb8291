import ConvCore
import ConvStepper

// MARK: - CodeLanguage

/// The languages `convscope code` writes.
public enum CodeLanguage: String, Sendable, CaseIterable {
  /// Plain NumPy: the convolution written out with np.pad, window slices and np.einsum.
  case numpy
  /// PyTorch: `torch.nn.functional.conv2d` with autograd.
  case pytorch
}

// MARK: - CodeExport

/// A short, runnable Python program that reproduces a layer: the same parameters and tensors,
/// the forward pass, the backward pass for the same output gradient, and lines that print `y`,
/// `dx`, `dw` and `db` in a fixed form:
///
///     y 1 1 7 7 : 0.0 1.5 -2.0 …
///
/// (name, shape, a colon, every value row-major as Python's `repr` of a float64). It never
/// imports convscope. Tensors of at most ``inlineLimit`` values are written inline; larger ones
/// go to `.npy` files (``files``) that the program loads from ``dataDirectory``. Everything is
/// computed in float64 from the float32 values.
public struct CodeExport: Sendable {
  /// Tensors with more values than this are loaded from `.npy` files.
  public static let inlineLimit = 400

  /// The program.
  public var source: String
  /// The `.npy` files the program loads: file name (inside ``dataDirectory``) → tensor.
  public var files: [(name: String, tensor: Tensor)]
  /// Where the program looks for its `.npy` files; nil: beside the program, in the folder
  /// named after it (`convscope_layer-2.py` reads `convscope_layer-2_data/`), wherever it is
  /// run from.
  public var dataDirectory: String?

  /// The folder a program named `script` (`convscope_layer.py`) reads when its data lives beside
  /// it (`dataDirectory` nil): `convscope_layer_data`.
  public static func dataFolder(besideScript script: String) -> String {
    let name = script.hasSuffix(".py") ? String(script.dropLast(3)) : script
    return name + "_data"
  }

  /// The program for `trace`'s layer in `language`; `command` is quoted in its first comment.
  public init(
    trace: LayerTrace, language: CodeLanguage, dataDirectory: String?, command: String = ""
  ) {
    var writer = Writer(language: language, dataDirectory: dataDirectory)
    writer.program(trace, command: command)
    source = writer.lines.joined(separator: "\n") + "\n"
    files = writer.files
    self.dataDirectory = dataDirectory
  }
}

// MARK: - Writer

extension CodeExport {
  /// Builds the program line by line.
  struct Writer {
    let language: CodeLanguage
    let dataDirectory: String?
    var lines: [String] = []
    var files: [(name: String, tensor: Tensor)] = []

    init(language: CodeLanguage, dataDirectory: String?) {
      self.language = language
      self.dataDirectory = dataDirectory
    }

    mutating func add(_ block: String) {
      lines += block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// A Python float literal for a float32 value.
    static func literal(_ v: Float) -> String {
      if v.isNaN { return "float('nan')" }
      if v.isInfinite { return v > 0 ? "float('inf')" : "-float('inf')" }
      return "\(v)"
    }

    static func tuple(_ s: Size2) -> String { "(\(s.h), \(s.w))" }

    static func shape(_ shape: [Int]) -> String {
      shape.map(String.init).joined(separator: ", ")
    }

    /// `name = …` for a tensor: inline or loaded from `name.npy`.
    mutating func tensor(_ name: String, _ t: Tensor, grad: Bool = false) {
      let torch = language == .pytorch
      if t.count <= CodeExport.inlineLimit {
        let values = t.data.map(Writer.literal)
        var body: [String] = []
        var row: [String] = []
        for v in values {
          row.append(v)
          if row.count == 10 {
            body.append("    " + row.joined(separator: ", ") + ",")
            row = []
          }
        }
        if !row.isEmpty { body.append("    " + row.joined(separator: ", ") + ",") }
        let open = torch ? "torch.tensor([" : "np.array(["
        let close =
          torch
          ? "], dtype=torch.float32).reshape(\(Writer.shape(t.shape))).double()"
          : "], dtype=np.float32).reshape(\(Writer.shape(t.shape))).astype(np.float64)"
        lines.append("\(name) = \(open)")
        lines += body
        lines.append(close + (grad && torch ? ".requires_grad_()" : ""))
      } else {
        files.append((name: "\(name).npy", tensor: t))
        let load = "np.load(os.path.join(DATA, \"\(name).npy\"))"
        lines.append(
          torch
            ? "\(name) = torch.from_numpy(\(load)).double()" + (grad ? ".requires_grad_()" : "")
            : "\(name) = \(load).astype(np.float64)")
      }
    }

    /// The whole program.
    mutating func program(_ trace: LayerTrace, command: String) {
      let s = trace.scenario
      let g = trace.geometry
      let cfg = g.config
      add(
        """
        # \(command.isEmpty ? "convscope code --lang \(language.rawValue)" : Writer.oneLine(command))
        # \(CheckReport.layerLine(g))
        # Cross-correlation as in PyTorch's Conv2d; computed in float64 from the float32 values.
        # Prints y, dx, dw, db as: name, shape, ":", the values row-major.
        """)
      let needsFiles = [s.input, s.weight, s.bias, trace.blockGradient].contains {
        $0.count > CodeExport.inlineLimit
      }
      if needsFiles { lines.append("import os") }
      lines.append("import numpy as np")
      if language == .pytorch {
        lines.append("import torch")
        lines.append("import torch.nn.functional as F")
      }
      lines.append("")
      if needsFiles, let dataDirectory {
        lines.append(
          "DATA = \(Writer.pythonString(dataDirectory))  # the .npy files convscope wrote")
      } else if needsFiles {
        lines.append("# The .npy files convscope wrote: beside this file, in NAME_data/.")
        lines.append("DATA = os.path.splitext(os.path.abspath(__file__))[0] + \"_data\"")
      }
      tensor("x", s.input, grad: true)
      tensor("w", s.weight, grad: true)
      tensor("b", s.bias, grad: true)
      lines.append(
        "stride, padding, dilation = \(Writer.tuple(cfg.stride)), \(Writer.tuple(cfg.padding)), "
          + "\(Writer.tuple(cfg.dilation))")
      if !cfg.isPlain {
        lines.append(
          "groups, padding_mode = \(cfg.groups), \(Writer.pythonString(cfg.paddingMode.rawValue))"
            + "  # w is [F, C/groups, KH, KW]")
      }
      lines.append("")
      switch language {
      case .numpy: numpyProgram(trace)
      case .pytorch: torchProgram(trace)
      }
    }

    /// `text` on one line (for a comment).
    static func oneLine(_ text: String) -> String {
      text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }

    /// A Python string literal.
    static func pythonString(_ s: String) -> String {
      var r = "\""
      for ch in s {
        switch ch {
        case "\\": r += "\\\\"
        case "\"": r += "\\\""
        case "\n": r += "\\n"
        case "\r": r += "\\r"
        default: r.append(ch)
        }
      }
      return r + "\""
    }

    /// The output gradient of the block, as code (after `z`, the block's output, exists).
    mutating func gradient(_ trace: LayerTrace) {
      let torch = language == .pytorch
      switch trace.scenario.gradient {
      case .ones:
        lines.append("# the output gradient: all ones (L = sum of the outputs)")
        lines.append(torch ? "dz = torch.ones_like(z)" : "dz = np.ones_like(z)")
      case .output:
        lines.append(
          "# the output gradient: the output itself (L = ½ Σ z², the article's dOut = out)")
        lines.append(torch ? "dz = z.detach().clone()" : "dz = z.copy()")
      case .random, .tensor:
        lines.append("# the output gradient, as convscope resolved it")
        tensor("dz", trace.blockGradient)
      }
    }

    /// The NumPy program's convolution: forward with `np.pad`, window slices and `np.einsum`,
    /// and the backward pass for the same `dy`.
    static let numpyConvFunctions =
      """
      def conv2d_forward(x, w, b, stride, padding, dilation):
          N, C, H, W = x.shape
          F_, _, KH, KW = w.shape
          (sh, sw), (ph, pw), (dh, dw_) = stride, padding, dilation
          OH = (H + 2 * ph - dh * (KH - 1) - 1) // sh + 1
          OW = (W + 2 * pw - dw_ * (KW - 1) - 1) // sw + 1
          xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
          y = np.zeros((N, F_, OH, OW)) + b[None, :, None, None]
          for p in range(KH):
              for q in range(KW):
                  # tap (p, q) of every window: xp[n, c, i*sh + p*dh, j*sw + q*dw]
                  window = xp[:, :, p * dh:p * dh + sh * (OH - 1) + 1:sh,
                              q * dw_:q * dw_ + sw * (OW - 1) + 1:sw]
                  y += np.einsum("ncij,fc->nfij", window, w[:, :, p, q])
          return y


      def conv2d_backward(x, w, dy, stride, padding, dilation):
          N, C, H, W = x.shape
          F_, _, KH, KW = w.shape
          (sh, sw), (ph, pw), (dh, dw_) = stride, padding, dilation
          OH, OW = dy.shape[2], dy.shape[3]
          xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
          dxp = np.zeros(xp.shape)
          dw = np.zeros(w.shape)
          for p in range(KH):
              for q in range(KW):
                  rows = slice(p * dh, p * dh + sh * (OH - 1) + 1, sh)
                  cols = slice(q * dw_, q * dw_ + sw * (OW - 1) + 1, sw)
                  dw[:, :, p, q] = np.einsum("nfij,ncij->fc", dy, xp[:, :, rows, cols])
                  dxp[:, :, rows, cols] += np.einsum("nfij,fc->ncij", dy, w[:, :, p, q])
          db = dy.sum(axis=(0, 2, 3))
          return dxp[:, :, ph:ph + H, pw:pw + W], dw, db  # crop the padding off dx

      """

    /// The NumPy program's convolution for a layer with groups or a copying padding mode:
    /// the padding made by `np.pad` in the layer's mode, each group's filters on its channels,
    /// and a backward pass that folds the padded gradient back onto the cells the padding
    /// copies.
    static let numpyGroupedConvFunctions =
      """
      # PyTorch's padding_mode as np.pad's mode
      NP_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


      def pad_index(H, W, ph, pw, padding_mode):
          # for every padded cell, the flat input cell it holds (-1: a zero)
          idx = np.arange(H * W).reshape(H, W)
          if padding_mode == "zeros":
              return np.pad(idx, ((ph, ph), (pw, pw)), constant_values=-1)
          return np.pad(idx, ((ph, ph), (pw, pw)), mode=NP_MODE[padding_mode])


      def conv2d_forward(x, w, b, stride, padding, dilation, groups, padding_mode):
          N, C, H, W = x.shape
          F_, CG, KH, KW = w.shape  # CG = C // groups channels per filter
          FG = F_ // groups  # filters per group
          (sh, sw), (ph, pw), (dh, dw_) = stride, padding, dilation
          OH = (H + 2 * ph - dh * (KH - 1) - 1) // sh + 1
          OW = (W + 2 * pw - dw_ * (KW - 1) - 1) // sw + 1
          xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), mode=NP_MODE[padding_mode])
          y = np.zeros((N, F_, OH, OW)) + b[None, :, None, None]
          for g in range(groups):
              fs, cs = slice(g * FG, (g + 1) * FG), slice(g * CG, (g + 1) * CG)
              for p in range(KH):
                  for q in range(KW):
                      # tap (p, q) of every window of group g's filters, on group g's channels
                      window = xp[:, cs, p * dh:p * dh + sh * (OH - 1) + 1:sh,
                                  q * dw_:q * dw_ + sw * (OW - 1) + 1:sw]
                      y[:, fs] += np.einsum("ncij,fc->nfij", window, w[fs, :, p, q])
          return y


      def conv2d_backward(x, w, dy, stride, padding, dilation, groups, padding_mode):
          N, C, H, W = x.shape
          F_, CG, KH, KW = w.shape
          FG = F_ // groups
          (sh, sw), (ph, pw), (dh, dw_) = stride, padding, dilation
          OH, OW = dy.shape[2], dy.shape[3]
          xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), mode=NP_MODE[padding_mode])
          dxp = np.zeros(xp.shape)
          dw = np.zeros(w.shape)
          for g in range(groups):
              fs, cs = slice(g * FG, (g + 1) * FG), slice(g * CG, (g + 1) * CG)
              for p in range(KH):
                  for q in range(KW):
                      rows = slice(p * dh, p * dh + sh * (OH - 1) + 1, sh)
                      cols = slice(q * dw_, q * dw_ + sw * (OW - 1) + 1, sw)
                      dw[fs, :, p, q] = np.einsum("nfij,ncij->fc", dy[:, fs], xp[:, cs, rows, cols])
                      dxp[:, cs, rows, cols] += np.einsum("nfij,fc->ncij", dy[:, fs], w[fs, :, p, q])
          db = dy.sum(axis=(0, 2, 3))
          # fold the padded gradient back: a padding cell's gradient goes to the cell it copies
          # (zero padding: the border is dropped, as a crop does)
          src = pad_index(H, W, ph, pw, padding_mode)
          dx = np.zeros((N, C, H * W))
          keep = src >= 0
          np.add.at(dx, (slice(None), slice(None), src[keep]), dxp[:, :, keep])
          return dx.reshape(N, C, H, W), dw, db

      """

    /// The NumPy program's max pooling, forward (with the winning cells) and backward.
    static let numpyPoolFunctions =
      """

      def maxpool_forward(z, k, s, p):
          N, C, H, W = z.shape
          OH = (H + 2 * p[0] - k[0]) // s[0] + 1
          OW = (W + 2 * p[1] - k[1]) // s[1] + 1
          zp = np.pad(z, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])), constant_values=-np.inf)
          out = np.zeros((N, C, OH, OW))
          winner = np.zeros((N, C, OH, OW, 2), dtype=int)
          for i in range(OH):
              for j in range(OW):
                  win = zp[:, :, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]].reshape(N, C, -1)
                  a = win.argmax(axis=2)  # the first maximum wins
                  out[:, :, i, j] = win.max(axis=2)
                  winner[:, :, i, j, 0] = i * s[0] + a // k[1] - p[0]
                  winner[:, :, i, j, 1] = j * s[1] + a % k[1] - p[1]
          return out, winner


      def maxpool_backward(dout, winner, shape):
          dz = np.zeros(shape)
          N, C, OH, OW = dout.shape
          for n in range(N):
              for c in range(C):
                  for i in range(OH):
                      for j in range(OW):
                          r, t = winner[n, c, i, j]
                          dz[n, c, r, t] += dout[n, c, i, j]
          return dz

      """

    mutating func numpyProgram(_ trace: LayerTrace) {
      let s = trace.scenario
      let plain = trace.geometry.config.isPlain
      add(plain ? Self.numpyConvFunctions : Self.numpyGroupedConvFunctions)
      let extra = plain ? "" : ", groups, padding_mode"
      if let pool = s.pool {
        add(Self.numpyPoolFunctions)
        lines.append(
          "pool_kernel, pool_stride, pool_padding = \(Writer.tuple(pool.kernel)), "
            + "\(Writer.tuple(pool.stride)), \(Writer.tuple(pool.padding))")
      }
      lines.append("")
      lines.append("y = conv2d_forward(x, w, b, stride, padding, dilation\(extra))")
      lines.append("z = y")
      if s.relu { lines.append("z = np.maximum(z, 0)  # ReLU") }
      if s.pool != nil {
        lines.append("pool_in = z")
        lines.append("z, winner = maxpool_forward(pool_in, pool_kernel, pool_stride, pool_padding)")
      }
      gradient(trace)
      lines.append("dy = dz")
      if s.pool != nil { lines.append("dy = maxpool_backward(dy, winner, pool_in.shape)") }
      if s.relu { lines.append("dy = dy * (y > 0)  # ReLU passes the gradient where y > 0") }
      lines.append("dx, dw, db = conv2d_backward(x, w, dy, stride, padding, dilation\(extra))")
      show()
    }

    mutating func torchProgram(_ trace: LayerTrace) {
      let s = trace.scenario
      let cfg = trace.geometry.config
      // The tensors whose .grad are dw and db.
      var (w, b) = ("w", "b")
      if cfg.isPlain {
        lines.append("y = F.conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation)")
      } else {
        // nn.Conv2d: F.conv2d has no padding_mode (only zeros).
        lines.append(
          "conv = torch.nn.Conv2d(\(cfg.inChannels), \(cfg.filters), "
            + "\(Writer.tuple(cfg.kernel)), stride=stride, padding=padding, dilation=dilation,")
        lines.append(
          "                       groups=groups, padding_mode=padding_mode, dtype=torch.float64)")
        lines.append("with torch.no_grad():")
        lines.append("    conv.weight.copy_(w)")
        lines.append("    conv.bias.copy_(b)")
        lines.append("y = conv(x)")
        (w, b) = ("conv.weight", "conv.bias")
      }
      lines.append("z = y")
      if s.relu { lines.append("z = F.relu(z)") }
      if let pool = s.pool {
        lines.append(
          "z = F.max_pool2d(z, \(Writer.tuple(pool.kernel)), stride=\(Writer.tuple(pool.stride)), "
            + "padding=\(Writer.tuple(pool.padding)))")
      }
      gradient(trace)
      lines.append("z.backward(dz)")
      lines.append(
        "y, dx, dw, db = y.detach().numpy(), x.grad.numpy(), \(w).grad.numpy(), \(b).grad.numpy()")
      show()
    }

    mutating func show() {
      add(
        """


        # One line per tensor: name, shape, ':', the values row-major. `convscope check` reads
        # them: python3 layer.py > out.txt, then check --check-all out.txt (same layer flags).
        def show(name, a):
            a = np.asarray(a, dtype=np.float64)
            print(name, *a.shape, ":", " ".join(repr(float(v)) for v in a.ravel()))


        show("y", y)
        show("dx", dx)
        show("dw", dw)
        show("db", db)
        """)
    }
  }
}
