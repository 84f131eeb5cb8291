import ConvCore

// MARK: - output_padding forgotten

extension TransposedBugs {
  /// **output_padding forgotten.** The output `output_padding` rows and columns smaller; when
  /// the user's `y` has the full shape, the missing cells filled with zeros or with the bias
  /// (whichever the bottom-right cell of their first map holds). The gradients (db too) read
  /// `dy` only where that output is, as for a loss on the smaller output.
  static func outputPaddingForgotten(_ c: TransposedBugContext) -> VariantResult? {
    let op = c.layer.spec.outputPadding
    guard op.h > 0 || op.w > 0 else { return nil }
    let full = c.layer.outputShape
    var s = c.layer.scatter
    (s.oh, s.ow) = (full[2] - op.h, full[3] - op.w)
    var result = VariantResult([:])
    if c.wanted.contains(.y) {
      let small = s.forward(x: c.x, w: c.w, b: c.b)
      if let theirs = c.user.channelsFirst(.y, expected: full) {
        // Bottom-right cell of map (0, 0): outside the smaller output.
        let u = Double(theirs.data[full[2] * full[3] - 1])
        let bias = abs(u - c.b[0]) < abs(u)
        result.tensors[.y] = padded(small, to: full, fill: bias ? c.b : nil)
        result.detail =
          "the missing rows and columns of your y hold " + (bias ? "the bias" : "zeros")
      } else {
        result.tensors[.y] = small
        result.detail = "y is \(ConvError.format(s.outputShape)), not \(ConvError.format(full))"
      }
    }
    if !c.wanted.isDisjoint(with: [.dx, .dw, .db]) {
      let dy = cropped(c.dy, from: full, to: s.outputShape)
      let g = s.backward(x: c.x, w: c.w, dy: dy, weightShape: c.layer.w.shape)
      result.tensors[.dx] = g.dx
      result.tensors[.dw] = g.dw
      result.tensors[.db] = g.db
    }
    return result
  }

  /// `t` (`[N, F, oh, ow]`) in the top-left corner of `shape`, the other cells `fill[f]` (or 0).
  static func padded(_ t: ExpectedTensor, to shape: [Int], fill: [Double]?) -> ExpectedTensor {
    let (n, f, oh, ow) = (shape[0], shape[1], shape[2], shape[3])
    let (sh, sw) = (t.shape[2], t.shape[3])
    var values = [Double](repeating: 0, count: n * f * oh * ow)
    var magnitude = values
    for plane in 0..<(n * f) {
      let b = fill?[plane % f] ?? 0
      for i in 0..<oh {
        for j in 0..<ow {
          let k = (plane * oh + i) * ow + j
          if i < sh && j < sw {
            values[k] = t.values[(plane * sh + i) * sw + j]
            magnitude[k] = t.magnitude[(plane * sh + i) * sw + j]
          } else {
            values[k] = b
            magnitude[k] = abs(b)
          }
        }
      }
    }
    return ExpectedTensor(shape: shape, values: values, magnitude: magnitude, terms: t.terms)
  }

  /// The top-left `to[2]×to[3]` corner of every map of `v` (`from`-shaped).
  static func cropped(_ v: [Double], from: [Int], to: [Int]) -> [Double] {
    let (oh, ow, sh, sw) = (from[2], from[3], to[2], to[3])
    var r: [Double] = []
    r.reserveCapacity(from[0] * from[1] * sh * sw)
    for plane in 0..<(from[0] * from[1]) {
      for i in 0..<sh {
        let start = (plane * oh + i) * ow
        r += v[start..<(start + sw)]
      }
    }
    return r
  }
}
