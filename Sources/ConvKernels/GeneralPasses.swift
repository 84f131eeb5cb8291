// MARK: - GeneralPasses

/// Groups and copying padding modes on the fast path, as plain passes the matrix-product plans
/// already compute.
///
/// A shape that is not ``ConvShape/isPlain`` is cut into one plain piece per group: the group's
/// `C/G` input channels (for a copying padding mode, a padded copy of them, each padding cell
/// holding the value it copies, and no padding left to add), its `F/G` filters' weights and
/// biases (contiguous in `w` and `b`), and its `F/G` output planes. `dx` of a padded copy is
/// folded back: a padding cell's gradient goes to the input cell it copied.
enum GeneralPasses {
  /// The plain shape of one group's piece of `s`.
  static func piece(_ s: ConvShape) -> ConvShape {
    var p = s
    p.groups = 1
    p.channels = s.groupChannels
    p.filters = s.groupFilters
    if s.paddingMode != .zeros {
      p.height += 2 * s.ph
      p.width += 2 * s.pw
      p.ph = 0
      p.pw = 0
      p.paddingMode = .zeros
    }
    return p
  }

  /// Calls `body(pieceIndex, wholeIndex)` for every cell of `p`'s input `[N, C/G, H′, W′]` that
  /// holds a value of `x[N, C, H, W]` (group `g`'s channels): the cell itself, or the one a
  /// copying padding cell copies; zero padding is skipped.
  @inline(__always)
  static func forEachSource(
    _ s: ConvShape, _ p: ConvShape, group g: Int, _ body: (_ piece: Int, _ whole: Int) -> Void
  ) {
    let (plane, padded) = (s.height * s.width, p.height * p.width)
    let rows = (0..<p.height).map {
      s.paddingMode.source($0 - (p.height - s.height) / 2, length: s.height)
    }
    let cols = (0..<p.width).map {
      s.paddingMode.source($0 - (p.width - s.width) / 2, length: s.width)
    }
    for n in 0..<s.batch {
      for c in 0..<p.channels {
        let whole = (n * s.channels + g * p.channels + c) * plane
        let piece = (n * p.channels + c) * padded
        for r in 0..<p.height {
          guard let sr = rows[r] else { continue }
          for col in 0..<p.width {
            guard let sc = cols[col] else { continue }
            body(piece + r * p.width + col, whole + sr * s.width + sc)
          }
        }
      }
    }
  }

  /// Group `g`'s input channels of `x` as `p`'s input `[N, C/G, H′, W′]`: copied as they are, or
  /// padded by the copying mode of `s`, written into `out` (`p.inputCount` floats). Only cells
  /// that hold a value are written, the same ones for every group, so one buffer zeroed once
  /// serves every group of a pass.
  static func gatherInput(
    _ x: UnsafePointer<Float>, _ s: ConvShape, _ p: ConvShape, group g: Int,
    into out: inout [Float]
  ) {
    out.withUnsafeMutableBufferPointer { o in
      forEachSource(s, p, group: g) { piece, whole in o[piece] = x[whole] }
    }
  }

  /// Adds `p`'s input gradient of group `g` (`[N, C/G, H′, W′]`) into `dx[N, C, H, W]`, each
  /// padding cell's value to the input cell it copied.
  static func scatterInputGradient(
    _ piece: [Float], into dx: UnsafeMutablePointer<Float>, _ s: ConvShape, _ p: ConvShape,
    group g: Int
  ) {
    piece.withUnsafeBufferPointer { d in
      forEachSource(s, p, group: g) { pi, whole in dx[whole] += d[pi] }
    }
  }

  /// Copies group `g`'s planes between a whole `[N, F, OH, OW]` tensor and a piece
  /// `[N, F/G, OH, OW]` (`toPiece` picks the direction).
  static func copyPlanes(
    whole: UnsafeMutablePointer<Float>, piece: UnsafeMutablePointer<Float>, _ s: ConvShape,
    group g: Int, toPiece: Bool
  ) {
    let fg = s.groupFilters
    let count = fg * s.oh * s.ow
    for n in 0..<s.batch {
      let w = whole + (n * s.filters + g * fg) * s.oh * s.ow
      let pc = piece + n * count
      if toPiece { pc.update(from: w, count: count) } else { w.update(from: pc, count: count) }
    }
  }

  /// ``FastConv/forward(shape:x:weight:bias:y:strategy:threads:kernels:)`` for a shape that is
  /// not plain, one group at a time.
  static func forward(
    shape s: ConvShape, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, strategy: FastConv.Strategy,
    threads: Int, kernels: FastKernelSet?
  ) {
    let p = piece(s)
    var yg = [Float](repeating: 0, count: s.groups == 1 ? 0 : p.outputCount)
    var xg = [Float](repeating: 0, count: p.inputCount)
    for g in 0..<s.groups {
      gatherInput(x, s, p, group: g, into: &xg)
      xg.withUnsafeBufferPointer { xb in
        yg.withUnsafeMutableBufferPointer { yb in
          let out = s.groups == 1 ? UnsafeMutableBufferPointer(start: y, count: p.outputCount) : yb
          FastConv.forward(
            shape: p, x: xb,
            weight: UnsafeBufferPointer(start: weight + g * p.weightCount, count: p.weightCount),
            bias: UnsafeBufferPointer(start: bias + g * p.filters, count: p.filters), y: out,
            strategy: strategy, threads: threads, kernels: kernels)
          if s.groups > 1, let base = yb.baseAddress {
            copyPlanes(whole: y, piece: base, s, group: g, toPiece: false)
          }
        }
      }
    }
  }

  /// ``FastConv/backward(shape:x:weight:dy:dx:dw:db:strategy:threads:kernels:)`` for a shape
  /// that is not plain, one group at a time; `dx`, `dw` and `db` are zero on entry.
  static func backward(
    shape s: ConvShape, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, dw: UnsafeMutablePointer<Float>,
    db: UnsafeMutablePointer<Float>, strategy: FastConv.Strategy, threads: Int,
    kernels: FastKernelSet?
  ) {
    let p = piece(s)
    var dyg = [Float](repeating: 0, count: s.groups == 1 ? 0 : p.outputCount)
    var xg = [Float](repeating: 0, count: p.inputCount)
    var dxg = [Float](repeating: 0, count: p.inputCount)
    for g in 0..<s.groups {
      gatherInput(x, s, p, group: g, into: &xg)
      if g > 0 { dxg.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }  // zero on entry
      dyg.withUnsafeMutableBufferPointer { dyb in
        if s.groups > 1, let base = dyb.baseAddress {
          copyPlanes(
            whole: UnsafeMutablePointer(mutating: dy), piece: base, s, group: g, toPiece: true)
        }
        let dyPiece =
          s.groups == 1
          ? UnsafeBufferPointer(start: dy, count: p.outputCount) : UnsafeBufferPointer(dyb)
        xg.withUnsafeBufferPointer { xb in
          dxg.withUnsafeMutableBufferPointer { dxb in
            FastConv.backward(
              shape: p, x: xb,
              weight: UnsafeBufferPointer(start: weight + g * p.weightCount, count: p.weightCount),
              dy: dyPiece, dx: dxb,
              dw: UnsafeMutableBufferPointer(start: dw + g * p.weightCount, count: p.weightCount),
              db: UnsafeMutableBufferPointer(start: db + g * p.filters, count: p.filters),
              strategy: strategy, threads: threads, kernels: kernels)
          }
        }
      }
      scatterInputGradient(dxg, into: dx, s, p, group: g)
    }
  }
}
