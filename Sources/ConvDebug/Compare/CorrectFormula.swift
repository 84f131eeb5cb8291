import ConvCore
import ConvStepper

// MARK: - The correct formula of a cell

extension Comparison {
  /// How the correct value of cell `flat` (channels first) of `tensor` is made, with numbers:
  /// - `y`: the forward window's formula, as the step panel shows it
  ///   (`y[0,0,1,2] = b + Σ x·w = 0.1 + (1×−1) + … = 2.5`);
  /// - `dx`: `dx[n,c,h,w] = Σ dy·w = (dy×w) + … = total` over the windows that read the cell;
  /// - `dw`: `dw[f,c,p,q] = Σ dy·x = (dy×x) + … = total` over every window of filter `f`
  ///   (taps on the padding, which add 0, left out);
  /// - `db`: `db[f] = Σ dy = … = total`.
  ///
  /// After `maxTerms` terms the rest is summarised as `+ … (k more)`; the total is always the
  /// correct value. nil for an index out of range.
  public func correctFormula(
    _ tensor: CheckedTensor, flat: Int, ascii: Bool = false, maxTerms: Int = 12
  ) -> String? {
    guard let e = reference.expected[tensor], flat >= 0, flat < e.values.count else { return nil }
    let g = trace.geometry
    let cfg = g.config
    let f = { (v: Double) in ValueFormat.short(Float(v), ascii: ascii) }
    let symbols = ArithmeticSymbols(ascii: ascii)
    let (times, dot, sigma) = (symbols.times, symbols.dot, symbols.sigma + " ")
    let index = TensorComparison.unflatten(flat, shape: e.shape)
    let label = "\(tensor)[" + index.map(String.init).joined(separator: ",") + "]"
    var terms: [String] = []
    var count = 0
    func add(_ text: @autoclosure () -> String) {
      count += 1
      if terms.count < maxTerms { terms.append(text()) }
    }
    let (OH, OW) = (g.output.h, g.output.w)
    let r = reference
    switch tensor {
    case .y:
      guard let timeline = try? Timeline(trace: trace, phase: .forward) else { return nil }
      return timeline.detail(atWindow: flat).arithmetic(ascii: ascii).text
    case .dx:
      let (n, c, h, w) = (index[0], index[1], index[2], index[3])
      for fi in 0..<cfg.filters {
        for p in 0..<cfg.kernel.h {
          let ri = h + cfg.padding.h - p * cfg.dilation.h
          guard ri >= 0, ri % cfg.stride.h == 0, ri / cfg.stride.h < OH else { continue }
          for q in 0..<cfg.kernel.w {
            let rj = w + cfg.padding.w - q * cfg.dilation.w
            guard rj >= 0, rj % cfg.stride.w == 0, rj / cfg.stride.w < OW else { continue }
            let dy = r.dy[
              ((n * cfg.filters + fi) * OH + ri / cfg.stride.h) * OW + rj / cfg.stride.w]
            let wv = r.w[((fi * cfg.inChannels + c) * cfg.kernel.h + p) * cfg.kernel.w + q]
            add("(\(f(dy))\(times)\(f(wv)))")
          }
        }
      }
      return line(label, "\(sigma)dy\(dot)w", terms, count, f(e.values[flat]), ascii: ascii)
    case .dw:
      let (fi, c, p, q) = (index[0], index[1], index[2], index[3])
      for n in 0..<g.batch {
        for i in 0..<OH {
          let h = g.inputRow(outputRow: i, kernelRow: p)
          for j in 0..<OW {
            let w = g.inputColumn(outputColumn: j, kernelColumn: q)
            let dy = r.dy[((n * cfg.filters + fi) * OH + i) * OW + j]
            // Taps on the padding read 0 and add nothing: left out.
            guard h >= 0, h < g.input.h, w >= 0, w < g.input.w else { continue }
            let xv = r.x[((n * cfg.inChannels + c) * g.input.h + h) * g.input.w + w]
            add("(\(f(dy))\(times)\(f(xv)))")
          }
        }
      }
      return line(label, "\(sigma)dy\(dot)x", terms, count, f(e.values[flat]), ascii: ascii)
    case .db:
      for n in 0..<g.batch {
        for k in 0..<(OH * OW) { add(f(r.dy[(n * cfg.filters + index[0]) * OH * OW + k])) }
      }
      return line(label, "\(sigma)dy", terms, count, f(e.values[flat]), ascii: ascii)
    }
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
