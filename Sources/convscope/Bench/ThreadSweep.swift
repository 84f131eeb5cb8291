import ConvCore
import ConvKernels
import NumberText

// MARK: - ThreadSweep

/// Forward + backward of layers of growing size on one thread and on every core: where the
/// second core starts to pay is the automatic threshold (``FastConv/parallelThresholdMACs``).
enum ThreadSweep {
  /// One row: the layer, its forward multiply–adds, and the median seconds per thread count.
  struct Row {
    let title: String
    let macs: Int
    let single: Double
    let all: Double
  }

  /// The ladder of layers: the article's shape with a growing batch, then 3×3 layers.
  static let layers: [BenchLayer] = {
    var result: [BenchLayer] = []
    for batch in [1, 2, 5, 10, 20, 40] {
      result.append(
        BenchLayer(
          name: "article-n\(batch)", title: "N=\(batch) C=1 32×32 F=16 5×5",
          config: Conv2DConfig(inChannels: 1, filters: 16, kernel: 5, padding: 2), batch: batch,
          size: 32))
    }
    for (batch, size) in [(1, 16), (1, 32), (2, 32), (1, 64), (4, 64), (8, 64)] {
      result.append(
        BenchLayer(
          name: "c16-\(batch)x\(size)", title: "N=\(batch) C=16 \(size)×\(size) F=32 3×3",
          config: Conv2DConfig(inChannels: 16, filters: 32, kernel: 3, padding: 1), batch: batch,
          size: size))
    }
    return result
  }()

  /// Times every layer of the ladder with 1 thread and with `cores` threads.
  static func run(cores: Int, warmup: Int, runs: Int) throws -> [Row] {
    var rows: [Row] = []
    for layer in layers {
      let g = try layer.geometry()
      var medians: [Double] = []
      for threads in [1, cores] {
        FastConv.threadCount = threads
        let t = try LayerBench.run(layer, warmup: warmup, runs: runs)
        medians.append(t.passes.last?.median ?? .nan)
      }
      rows.append(
        Row(title: layer.title, macs: g.forwardMACs, single: medians[0], all: medians[1]))
    }
    FastConv.threadCount = 0
    return rows
  }

  /// The rows as a table.
  static func table(_ rows: [Row], cores: Int) -> String {
    var lines = ["forward+backward median ms, 1 thread vs \(cores):"]
    for r in rows {
      let speedup = r.single / r.all
      lines.append(
        r.title.padding(28) + "MACs " + String(r.macs).padding(11)
          + NumberFormat.decimals(r.single * 1000, 3)
          .padding(9) + NumberFormat.decimals(r.all * 1000, 3).padding(9) + "×"
          + NumberFormat.decimals(speedup, 2))
    }
    lines.append("automatic threshold now: \(FastConv.parallelThresholdMACs) MACs")
    return lines.joined(separator: "\n")
  }
}

extension String {
  /// The string padded with spaces to `width` (at least one space after it).
  fileprivate func padding(_ width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }
}
