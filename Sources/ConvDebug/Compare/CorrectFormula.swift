import ConvCore
import ConvStepper
import NumberText

// MARK: - The correct formula of a cell

extension Comparison {
  /// How the correct value of cell `flat` (channels first) of `tensor` is made, with numbers:
  /// - `y`: the forward window's formula, as the step panel shows it
  ///   (`y[0,0,1,2] = b + Σ x·w = 0.1 + (1×−1) + … = 2.5`);
  /// - `dx`: `dx[n,c,h,w] = Σ dy·w = (dy×w) + … = total` over the windows that read the cell;
  /// - `dw`: `dw[f,c,p,q] = Σ dy·x = (dy×x) + … = total` over every window of filter `f`
  ///   (taps on a zero padding, which add 0, left out);
  /// - `db`: `db[f] = Σ dy = … = total`.
  ///
  /// After `maxTerms` terms the rest is summarised as `+ … (k more)`; the total is always the
  /// correct value. nil for an index out of range.
  public func correctFormula(
    _ tensor: CheckedTensor, flat: Int, ascii: Bool = false, maxTerms: Int = 12
  ) -> String? {
    guard let e = reference.expected[tensor], flat >= 0, flat < e.values.count else { return nil }
    let f = { (v: Double) in NumberFormat.short(Float(v), ascii: ascii) }
    let symbols = ArithmeticSymbols(ascii: ascii)
    let (times, dot, sigma) = (symbols.times, symbols.dot, symbols.sigma + " ")
    let index = TensorComparison.unflatten(flat, shape: e.shape)
    let label = "\(tensor)[" + index.map(String.init).joined(separator: ",") + "]"
    /// The formula from its products (or single terms), the first `maxTerms` written out.
    func formula(_ symbolic: String, _ pairs: [(Double, Double)]) -> String {
      let terms = pairs.prefix(maxTerms).map { "(\(f($0.0))\(times)\(f($0.1)))" }
      return line(label, symbolic, terms, pairs.count, f(e.values[flat]), ascii: ascii)
    }
    switch tensor {
    case .y:
      guard let timeline = try? Timeline(trace: trace, phase: .forward) else { return nil }
      return timeline.detail(atWindow: flat).arithmetic(ascii: ascii).text
    case .dx:
      return formula("\(sigma)dy\(dot)w", dxProducts(index))
    case .dw:
      return formula("\(sigma)dy\(dot)x", dwProducts(index))
    case .db:
      let g = trace.geometry
      let plane = g.output.h * g.output.w
      let first = index[0] * plane
      var dy: [Double] = []
      for n in 0..<g.batch {
        let start = n * g.config.filters * plane + first
        dy += reference.dy[start..<(start + plane)]
      }
      let terms = dy.prefix(maxTerms).map(f)
      return line(label, "\(sigma)dy", Array(terms), dy.count, f(e.values[flat]), ascii: ascii)
    }
  }

  /// The `(dy, w)` pairs that make `dx[n, c, h, w]`: every window that reads the cell (the
  /// filters of its group; through a copying padding cell too).
  func dxProducts(_ index: [Int]) -> [(Double, Double)] {
    let g = trace.geometry
    let cfg = g.config
    let (OH, OW) = (g.output.h, g.output.w)
    let (n, c, h, w) = (index[0], index[1], index[2], index[3])
    let (filters, wc) = g.filters(readingChannel: c)
    let (rows, cols) = (g.readers(ofRow: h), g.readers(ofColumn: w))
    var pairs: [(Double, Double)] = []
    for fi in filters {
      for (i, p) in rows {
        for (j, q) in cols {
          let dy = reference.dy[((n * cfg.filters + fi) * OH + i) * OW + j]
          let wv = reference.w[
            ((fi * cfg.groupChannels + wc) * cfg.kernel.h + p) * cfg.kernel.w + q]
          pairs.append((dy, wv))
        }
      }
    }
    return pairs
  }

  /// The `(dy, x)` pairs that make `dw[f, c, p, q]`: every window of filter `f`, reading its
  /// group's channel `c`, taps on a zero padding (which add 0) left out.
  func dwProducts(_ index: [Int]) -> [(Double, Double)] {
    let g = trace.geometry
    let cfg = g.config
    let (OH, OW) = (g.output.h, g.output.w)
    let (fi, c, p, q) = (index[0], index[1], index[2], index[3])
    let channel = cfg.inputChannel(filter: fi, weightChannel: c)
    var pairs: [(Double, Double)] = []
    for n in 0..<g.batch {
      for i in 0..<OH {
        let h = g.sourceRow(g.inputRow(outputRow: i, kernelRow: p))
        for j in 0..<OW {
          let w = g.sourceColumn(g.inputColumn(outputColumn: j, kernelColumn: q))
          let dy = reference.dy[((n * cfg.filters + fi) * OH + i) * OW + j]
          guard let h, let w else { continue }
          let xv = reference.x[((n * cfg.inChannels + channel) * g.input.h + h) * g.input.w + w]
          pairs.append((dy, xv))
        }
      }
    }
    return pairs
  }

  private func line(
    _ label: String, _ symbolic: String, _ terms: [String], _ count: Int, _ total: String,
    ascii: Bool
  ) -> String {
    var body = terms.isEmpty ? "0" : terms.joined(separator: " + ")
    if count > terms.count {
      body += " + \(ArithmeticSymbols(ascii: ascii).ellipsis) (\(count - terms.count) more)"
    }
    return "\(label) = \(symbolic) = \(body) = \(total)"
  }
}
