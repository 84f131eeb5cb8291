import ConvCore

// MARK: - NetFocus

/// A cell chosen in the selected layer's output (`c` on the net screen): its map (channel), row
/// and column. The screen highlights the cells of every earlier layer, and of the input, that it
/// depends on: its receptive field.
public struct NetFocus: Sendable, Equatable {
  /// The map (channel) of the cell.
  public internal(set) var map: Int
  /// The cell's row.
  public internal(set) var row: Int
  /// The cell's column.
  public internal(set) var column: Int

  /// The cell at (`row`, `column`) of map `map`.
  public init(map: Int, row: Int, column: Int) {
    self.map = map
    self.row = row
    self.column = column
  }
}

// MARK: - FieldRegion

/// The rows and columns of one activation map that a focused cell depends on (every channel
/// of them: a convolution mixes all its input channels).
public struct FieldRegion: Sendable, Equatable {
  /// The rows, inside the map.
  public var rows: ClosedRange<Int>
  /// The columns, inside the map.
  public var columns: ClosedRange<Int>

  /// A region of `rows` × `columns`.
  public init(rows: ClosedRange<Int>, columns: ClosedRange<Int>) {
    self.rows = rows
    self.columns = columns
  }

  /// Whether (`r`, `c`) is in the region.
  public func contains(_ r: Int, _ c: Int) -> Bool { rows.contains(r) && columns.contains(c) }

  /// `5×5`.
  public func size(times: Character) -> String { "\(rows.count)\(times)\(columns.count)" }
}

// MARK: - ReceptiveField

/// Receptive fields through a network's layers.
public enum ReceptiveField {
  /// The field of output cell (`row`, `column`) of layer `layer` in every activation before it:
  /// element `j` is the region of `values[j]` (0: the input, `j`: layer `j − 1`'s output), and
  /// the last is the cell itself. Each layer's window maps rows `r0…r1` of its output to the
  /// taps `r·s − p + i·d` (`i` < `k`) of its input that fall inside the map (the padding
  /// depends on nothing), spanning at most `r0·s − p … r1·s − p + d·(k − 1)`. `shapes` are the activations' shapes (``Network/shapes(input:)``). Nil for a
  /// layer whose output is not a map, or a cell outside it; an element is nil when the field
  /// holds only padding there. A linear or flatten layer before the cell (which no map can
  /// follow) makes the whole of every earlier map the field.
  public static func regions(
    of network: Network, shapes: [[Int]], layer: Int, row: Int, column: Int
  ) -> [FieldRegion?]? {
    guard network.layers.indices.contains(layer), shapes.count > layer + 1 else { return nil }
    let out = shapes[layer + 1]
    guard out.count == 4, (0..<out[2]).contains(row), (0..<out[3]).contains(column) else {
      return nil
    }
    var region: FieldRegion? = FieldRegion(rows: row...row, columns: column...column)
    var result: [FieldRegion?] = [region]
    for j in stride(from: layer, through: 0, by: -1) {
      region = region.flatMap { back($0, through: network.layers[j], input: shapes[j]) }
      result.insert(region, at: 0)
    }
    return result
  }

  /// The region of a layer's input that output region `region` depends on.
  static func back(_ region: FieldRegion, through layer: NetLayer, input: [Int]) -> FieldRegion? {
    guard input.count == 4 else { return nil }
    let (h, w) = (input[2], input[3])
    // The taps inside the map (with dilation, the window's ends may fall between them).
    func taps(_ span: ClosedRange<Int>, _ k: Int, _ s: Int, _ p: Int, _ d: Int, _ n: Int)
      -> ClosedRange<Int>?
    {
      var (low, high) = (Int.max, Int.min)
      for out in span {
        for i in 0..<k {
          let v = out * s - p + i * d
          if v >= 0, v < n { (low, high) = (min(low, v), max(high, v)) }
        }
      }
      return low <= high ? low...high : nil
    }
    func window(_ kernel: Size2, _ stride: Size2, _ padding: Size2, _ dilation: Size2)
      -> FieldRegion?
    {
      guard
        let rows = taps(region.rows, kernel.h, stride.h, padding.h, dilation.h, h),
        let cols = taps(region.columns, kernel.w, stride.w, padding.w, dilation.w, w)
      else { return nil }
      return FieldRegion(rows: rows, columns: cols)
    }
    switch layer.kind {
    case .conv2d(let c): return window(c.kernel, c.stride, c.padding, c.dilation)
    case .maxPool2d(let p): return window(p.kernel, p.stride, p.padding, 1)
    case .relu: return region
    case .flatten, .linear: return FieldRegion(rows: 0...(h - 1), columns: 0...(w - 1))
    }
  }

  /// The field's full size in the input (`k + Σ …`), padding included: the rows and columns
  /// a cell of layer `layer` spans, whatever its position.
  public static func span(of network: Network, layer: Int) -> (rows: Int, columns: Int) {
    var (rows, cols) = (1, 1)
    for j in stride(from: min(layer, network.layers.count - 1), through: 0, by: -1) {
      switch network.layers[j].kind {
      case .conv2d(let c):
        rows = (rows - 1) * c.stride.h + c.dilation.h * (c.kernel.h - 1) + 1
        cols = (cols - 1) * c.stride.w + c.dilation.w * (c.kernel.w - 1) + 1
      case .maxPool2d(let p):
        rows = (rows - 1) * p.stride.h + p.kernel.h
        cols = (cols - 1) * p.stride.w + p.kernel.w
      case .relu, .flatten, .linear: break
      }
    }
    return (rows, cols)
  }
}
