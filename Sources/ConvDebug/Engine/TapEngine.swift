import ConvCore

// MARK: - TapEngine

/// Runs a ``TapPlan`` forward and backward in `Double`, with the sum of absolute terms of every
/// cell (for the tolerance). Deliberately plain: tables of reads, then loops.
enum TapEngine {
  /// The reads of a plan, resolved once.
  struct Tables {
    let plan: TapPlan
    let output: Size2
    /// `rows[i·KH + p]`: the seen row read, or −1 outside.
    let rows: [Int]
    /// `cols[j·KW + q]`: the seen column read, or −1 outside.
    let cols: [Int]
    /// Flat `x` index of every seen cell `[N, C, Hs, Ws]`.
    let inputs: [Int]
    /// Flat `w` index of every tap `[F, C/G, KH, KW]`.
    let weights: [Int]
    /// The seen channel of every filter's weight channel `[F, C/G]`.
    let channelTable: [Int]
    /// Whether each window `[OH, OW]` is computed.
    let computed: [Bool]
    /// The constant of outside reads, if any.
    let constant: Double?

    init(_ plan: TapPlan) {
      self.plan = plan
      let o = plan.output
      output = Size2(max(0, o.h), max(0, o.w))
      let k = plan.kernel
      var rows: [Int] = []
      for i in 0..<output.h {
        for p in 0..<k.h {
          let r = i * plan.windowStep.h + p * plan.tapStep.h - plan.padBefore.h
          rows.append(plan.resolve(r, plan.seen.h) ?? -1)
        }
      }
      var cols: [Int] = []
      for j in 0..<output.w {
        for q in 0..<k.w {
          let c = j * plan.windowStep.w + q * plan.tapStep.w - plan.padBefore.w
          cols.append(plan.resolve(c, plan.seen.w) ?? -1)
        }
      }
      self.rows = rows
      self.cols = cols
      var inputs: [Int] = []
      inputs.reserveCapacity(plan.batch * plan.channels * plan.seen.h * plan.seen.w)
      for n in 0..<plan.batch {
        for c in 0..<plan.channels {
          for h in 0..<plan.seen.h {
            for w in 0..<plan.seen.w { inputs.append(plan.inputIndex(n, c, h, w)) }
          }
        }
      }
      self.inputs = inputs
      var weights: [Int] = []
      var channelTable: [Int] = []
      for f in 0..<plan.filters {
        for c in 0..<plan.groupChannels {
          channelTable.append(plan.channelOf(f, c))
          for p in 0..<k.h {
            for q in 0..<k.w { weights.append(plan.weightIndex(f, c, p, q)) }
          }
        }
      }
      self.weights = weights
      self.channelTable = channelTable
      var computed: [Bool] = []
      for i in 0..<output.h {
        for j in 0..<output.w { computed.append(plan.computes?(i, j) ?? true) }
      }
      self.computed = computed
      if case .constant(let v) = plan.outside { constant = v } else { constant = nil }
    }

    /// The most taps of one filter that read one seen cell (at least `KH·KW`): a copying
    /// padding reads a border cell more often than the kernel has taps.
    var readsPerCell: Int {
      func most(_ reads: [Int], _ k: Int) -> Int {
        var count: [Int: Int] = [:]
        for r in reads where r >= 0 { count[r, default: 0] += 1 }
        return max(k, count.values.max() ?? 0)
      }
      return most(rows, plan.kernel.h) * most(cols, plan.kernel.w)
    }

    /// Calls `body(xIndex, wIndex, xValueIfConstant)` for every tap of window `(n, f, i, j)`:
    /// `xIndex` is the flat input index read (nil for a constant read).
    @inline(__always)
    func forEachTap(n: Int, f: Int, i: Int, j: Int, _ body: (Int?, Int) -> Void) {
      let (C, CG, KH, KW) = (plan.channels, plan.groupChannels, plan.kernel.h, plan.kernel.w)
      let (Hs, Ws) = (plan.seen.h, plan.seen.w)
      for c in 0..<CG {
        let seenChannel = channelTable[f * CG + c]
        for p in 0..<KH {
          let r = rows[i * KH + p]
          for q in 0..<KW {
            let col = cols[j * KW + q]
            let wi = weights[((f * CG + c) * KH + p) * KW + q]
            if r >= 0 && col >= 0 {
              body(inputs[((n * C + seenChannel) * Hs + r) * Ws + col], wi)
            } else if constant != nil {
              body(nil, wi)
            }
          }
        }
      }
    }
  }

  /// `y` of the plan for inputs `x`, weights `w`, biases `b` (flat, channels first).
  static func forward(_ plan: TapPlan, x: [Double], w: [Double], b: [Double]) -> ExpectedTensor {
    let t = Tables(plan)
    let (F, OH, OW) = (plan.filters, t.output.h, t.output.w)
    var y = [Double](repeating: 0, count: plan.batch * F * OH * OW)
    var mag = y
    let constant = t.constant ?? 0
    var o = 0
    for n in 0..<plan.batch {
      for f in 0..<F {
        for i in 0..<OH {
          for j in 0..<OW {
            defer { o += 1 }
            guard t.computed[i * OW + j] else { continue }
            var s = plan.biasScale * b[f]
            var m = abs(s)
            t.forEachTap(n: n, f: f, i: i, j: j) { xi, wi in
              let v = w[wi] * (xi.map { x[$0] } ?? constant)
              s += v
              m += abs(v)
            }
            y[o] = s
            mag[o] = m
          }
        }
      }
    }
    return ExpectedTensor(
      shape: [plan.batch, F, OH, OW], values: y, magnitude: mag,
      terms: plan.groupChannels * plan.kernel.h * plan.kernel.w + 1)
  }

  /// The gradients of the plan's output with respect to the real `x`, `w` and `b`, for an
  /// output gradient `dy` shaped like the plan's output. nil when the shapes disagree.
  static func backward(
    _ plan: TapPlan, x: [Double], w: [Double], dy: [Double], inputShape: [Int],
    weightShape: [Int]
  ) -> (dx: ExpectedTensor, dw: ExpectedTensor, db: ExpectedTensor)? {
    let t = Tables(plan)
    let (F, OH, OW) = (plan.filters, t.output.h, t.output.w)
    guard dy.count == plan.batch * F * OH * OW else { return nil }
    var dx = [Double](repeating: 0, count: inputShape.reduce(1, *))
    var dxMag = dx
    var dw = [Double](repeating: 0, count: w.count)
    var dwMag = dw
    var db = [Double](repeating: 0, count: F)
    var dbMag = db
    let constant = t.constant ?? 0
    var o = 0
    for n in 0..<plan.batch {
      for f in 0..<F {
        for i in 0..<OH {
          for j in 0..<OW {
            defer { o += 1 }
            guard t.computed[i * OW + j] else { continue }
            let g = dy[o]
            db[f] += g
            dbMag[f] += abs(g)
            t.forEachTap(n: n, f: f, i: i, j: j) { xi, wi in
              let xv = xi.map { x[$0] } ?? constant
              dw[wi] += g * xv
              dwMag[wi] += abs(g * xv)
              if let xi {
                dx[xi] += g * w[wi]
                dxMag[xi] += abs(g * w[wi])
              }
            }
          }
        }
      }
    }
    let windows = plan.batch * OH * OW
    return (
      ExpectedTensor(shape: inputShape, values: dx, magnitude: dxMag, terms: F * t.readsPerCell),
      ExpectedTensor(shape: weightShape, values: dw, magnitude: dwMag, terms: windows),
      ExpectedTensor(shape: [F], values: db, magnitude: dbMag, terms: windows)
    )
  }
}
