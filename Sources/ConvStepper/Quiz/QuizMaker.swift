import ConvCore
import NumberText

// MARK: - QuizFocus

/// An output cell of the layer: the one the walk on screen reaches next.
public struct QuizFocus: Sendable, Hashable {
  /// The sample.
  public var sample: Int
  /// The filter.
  public var filter: Int
  /// The output cell.
  public var cell: QuizCell

  /// A focus.
  public init(sample: Int, filter: Int, cell: QuizCell) {
    self.sample = sample
    self.filter = filter
    self.cell = cell
  }

  /// The output cell after the walk's first step, when the walk starts in the forward pass:
  /// what the viewer's `Q` asks about before any step is taken (so `convscope quiz --key`
  /// answers the viewer's first set).
  public static func afterStart(of trace: LayerTrace) -> QuizFocus? {
    let s = trace.scenario
    guard s.startPhase == .forward,
      let timeline = try? Timeline(trace: trace, phase: .forward, scope: TimelineScope(sample: 0)),
      timeline.windowCount > 0
    else { return nil }
    return QuizFocus(timeline.window(min(s.startStep + 1, timeline.windowCount - 1)))
  }

  /// The output cell of a walk's window.
  public init(_ w: WindowRef) {
    self.init(sample: w.sample, filter: w.filter, cell: QuizCell(w.row, w.column))
  }
}

// MARK: - QuizMaker

/// Makes practice questions from a layer's trace: every number in a question is the layer's own,
/// every answer is computed by the same engine the viewer steps through.
///
/// Deterministic: the same trace, seed and kinds give the same questions, so a teacher can hand
/// out a seed. Difficulty grows through a set (``level(question:of:)``): the first third asks
/// about the layer as it is, later ones change stride, padding and dilation and pick windows at
/// the border.
public struct QuizMaker: Sendable {
  /// The layer.
  public let trace: LayerTrace
  /// The layers of the levels (see ``QuizLevels``).
  let levels: QuizLevels
  /// The seed of the set.
  public let seed: UInt64
  /// The kinds asked, in the order they take turns (those the layer has: `pool` needs pooling,
  /// `relu` a ReLU).
  public let kinds: [QuizKind]
  /// The output cell the walk on screen reaches next, if any: the set's first output-value
  /// question on the layer itself asks for it.
  public var focus: QuizFocus?

  /// A maker for `trace`; `kinds` nil asks every kind the layer has. Throws when none of the
  /// asked kinds fits the layer.
  public init(trace: LayerTrace, seed: UInt64, kinds: [QuizKind]? = nil) throws {
    self.trace = trace
    self.levels = QuizLevels(trace)
    self.seed = seed
    let available = QuizKind.allCases.filter { QuizMaker.fits($0, trace.scenario) }
    let asked = kinds ?? available
    let usable = asked.filter(available.contains)
    guard !usable.isEmpty else {
      throw ConvError.invalidParameter(
        name: "question kinds", value: asked.map(\.rawValue).joined(separator: ","),
        requirement: "one this layer has (pool needs pooling, relu a ReLU)")
    }
    var g = SeededGenerator(seed: seed)
    self.kinds = usable.shuffled(using: &g)
  }

  /// Whether `kind` can be asked of a layer (pooling, ReLU present).
  public static func fits(_ kind: QuizKind, _ s: Scenario) -> Bool {
    switch kind {
    case .pool: s.pool != nil
    case .relu: s.relu
    default: true
    }
  }

  /// The level (0, 1, 2) of question `k` (from 0) of `count`: thirds of the set.
  public static func level(question k: Int, of count: Int) -> Int {
    guard count > 0 else { return 0 }
    return min(2, max(0, k * 3 / count))
  }

  /// Question `k` (from 0) of a set of `count`.
  public func question(_ k: Int, of count: Int) -> QuizQuestion {
    let level = QuizMaker.level(question: k, of: count)
    // Each level asks about its own layer: a maker bound to it makes the question.
    var maker = QuizMaker(self, at: level)
    if asksFocus(k, of: count) { maker.focus = focus }
    return maker.make(k, level: level)
  }

  /// This maker with `trace` replaced by the layer of `level`.
  private init(_ base: QuizMaker, at level: Int) {
    trace = base.levels.traces[level]
    levels = base.levels
    seed = base.seed
    kinds = base.kinds
    focus = nil
  }

  /// Whether question `k` of `count` is the set's first output-value question on the layer
  /// itself (not a warm-up's), the one that asks about ``focus``.
  func asksFocus(_ k: Int, of count: Int) -> Bool {
    guard focus != nil else { return false }
    let first = (0..<count).first { j in
      kinds[j % kinds.count] == .outputValue
        && levels.traces[QuizMaker.level(question: j, of: count)] === levels.traces[2]
    }
    return first == k
  }

  /// Question `k` at `level`, on ``trace``.
  private func make(_ k: Int, level: Int) -> QuizQuestion {
    var g = SeededGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(k + 1))
    let kind = kinds[k % kinds.count]
    var q: QuizQuestion
    switch kind {
    case .outputSize: q = outputSize(level: level, &g)
    case .outputValue: q = outputValue(level: level, &g)
    case .window: q = window(level: level, &g)
    case .influence: q = influence(level: level, &g)
    case .gradient: q = gradient(level: level, &g)
    case .update: q = update(level: level, &g)
    case .pool: q = pool(level: level, &g)
    case .relu: q = relu(level: level, &g)
    }
    q.level = level
    let note = levels.notes[level]
    // Geometry questions say their own geometry; the others say which layer they are on.
    if !note.isEmpty, kind != .outputSize { q.lines.insert(note, at: 0) }
    return q
  }

  // MARK: Shared pieces

  /// A number as questions show it (at most 2 decimals).
  static func show(_ v: Float) -> String {
    NumberFormat.short(v, ascii: true, maxDecimals: 2)
  }

  /// The value a student reads from ``show(_:)``.
  static func shown(_ v: Float) -> Float {
    Float(show(v)) ?? v
  }

  /// The tolerance of an answer computed from shown numbers: half a unit of the second decimal,
  /// plus how far the shown numbers move the exact result.
  static func tolerance(exact: Float, fromShown: Float) -> Float {
    0.005 + abs(exact - fromShown) + 1e-4 * abs(exact)
  }

  /// An output cell: ``focus`` when set, else a random sample, filter and position; at level 0
  /// away from the border when the output allows it.
  func outputCell(level: Int, _ g: inout SeededGenerator) -> (n: Int, f: Int, cell: QuizCell) {
    if let focus { return (focus.sample, focus.filter, focus.cell) }
    let geo = trace.geometry
    let n = Int.random(in: 0..<geo.batch, using: &g)
    let f = Int.random(in: 0..<geo.config.filters, using: &g)
    func pick(_ length: Int) -> Int {
      if level == 0, length > 2 { return Int.random(in: 1..<(length - 1), using: &g) }
      if level == 2, length > 1, Bool.random(using: &g) {
        return Bool.random(using: &g) ? 0 : length - 1
      }
      return Int.random(in: 0..<length, using: &g)
    }
    return (n, f, QuizCell(pick(geo.output.h), pick(geo.output.w)))
  }

  /// The input cells output `cell` reads, with the kernel tap of each (zero padding left out; a
  /// copying padding cell as the cell it copies).
  func reads(_ cell: QuizCell) -> [(input: QuizCell, tap: QuizCell)] {
    let geo = trace.geometry
    var out: [(QuizCell, QuizCell)] = []
    for p in 0..<geo.config.kernel.h {
      for q in 0..<geo.config.kernel.w {
        if let r = geo.sourceRow(geo.inputRow(outputRow: cell.row, kernelRow: p)),
          let c = geo.sourceColumn(geo.inputColumn(outputColumn: cell.column, kernelColumn: q))
        {
          out.append((QuizCell(r, c), QuizCell(p, q)))
        }
      }
    }
    return out
  }

  /// What a padding cell holds, in words: "padding 0", "reflect padding: the mirrored cell".
  var paddingWords: String {
    switch trace.geometry.config.paddingMode {
    case .zeros: return "padding 0"
    case .reflect: return "reflect padding: the cell mirrored about the edge"
    case .replicate: return "replicate padding: the edge cell"
    case .circular: return "circular padding: the cell from the other side"
    }
  }

  /// A grid of shown numbers, a line per row, each line indented.
  static func grid(rows: Int, columns: Int, _ value: (Int, Int) -> Float) -> [String] {
    let texts = (0..<rows).map { r in (0..<columns).map { c in show(value(r, c)) } }
    let width = texts.joined().map(\.count).max() ?? 1
    return texts.map { row in
      "    "
        + row.map { String(repeating: " ", count: width - $0.count) + $0 }
        .joined(separator: "  ")
    }
  }

  /// The lines showing the window of output `cell` in the input channel filter `f`'s weight
  /// channel `c` reads, of sample `n` (padding as what it holds), and the kernel `w[f,c,:,:]`.
  func windowAndKernel(n: Int, f: Int, c: Int, cell: QuizCell) -> [String] {
    let s = trace.scenario
    let geo = trace.geometry
    let k = geo.config.kernel
    let channel = geo.config.inputChannel(filter: f, weightChannel: c)
    let rows = (0..<k.h).map { geo.inputRow(outputRow: cell.row, kernelRow: $0) }
    let cols = (0..<k.w).map { geo.inputColumn(outputColumn: cell.column, kernelColumn: $0) }
    func x(_ p: Int, _ q: Int) -> Float {
      guard let r = geo.sourceRow(rows[p]), let col = geo.sourceColumn(cols[q]) else { return 0 }
      return s.input[n: n, c: channel, h: r, w: col]
    }
    let rowText = rows.map(String.init).joined(separator: ",")
    let colText = cols.map(String.init).joined(separator: ",")
    return [
      "  the window of x[\(n),\(channel),:,:] (rows \(rowText), columns \(colText); outside = "
        + "\(paddingWords)):"
    ]
      + QuizMaker.grid(rows: k.h, columns: k.w, x)
      + ["  the kernel w[\(f),\(c),:,:]:"]
      + QuizMaker.grid(rows: k.h, columns: k.w) { s.weight[n: f, c: c, h: $0, w: $1] }
  }
}
