import ConvCore
import ConvLessons
import ConvStepper
import NumberText
import TermUI

// MARK: - TensorSource

/// Where the input or the kernel on screen came from.
public enum TensorSource: Sendable, Hashable {
  /// As the layer was opened (a lesson, the command line).
  case opened
  /// A preset loaded with `I` or `K`, by its name (`photo`, `sobel-x`).
  case preset(String)
  /// Seeded small integers from `R`.
  case random(seed: UInt64)
  /// Seeded small integers made to fit: a kernel for the channels of a new input.
  case fitted
}

// MARK: - CellEdit

/// One value set by hand in edit mode: which cell, and from what to what.
public struct CellEdit: Sendable, Hashable {
  /// The tensor.
  public var target: EditTarget
  /// The cell: `[n, c, row, col]` in x, `[f, c, p, q]` in w, `[f]` in b, `[n, f, row, col]` in dy.
  public var index: [Int]
  /// The cell's flat index in its tensor (``Model/editTensor(_:)``).
  public var flat: Int
  /// The value before.
  public var old: Float
  /// The value set.
  public var new: Float

  /// `x[0,0,1,1]`.
  public var name: String {
    "\(target.symbol)[\(index.map(String.init).joined(separator: ","))]"
  }

  /// `x[0,0,1,1]: 1 → −2.5` (with `->` and `-` without Unicode).
  public func text(unicode: Bool) -> String {
    let old = NumberFormat.short(self.old, ascii: !unicode)
    let new = NumberFormat.short(self.new, ascii: !unicode)
    return "\(name): \(old) \(unicode ? "→" : "->") \(new)"
  }

  /// The cell on the map of sample/filter `map` and channel `channel` of its tensor, if it is
  /// on that map (bias: the one row of filters).
  func cell(onMap map: Int, channel: Int) -> GridCell? {
    if target == .bias { return index.first.map { GridCell(row: 0, col: $0) } }
    guard index.count == 4, index[0] == map, index[1] == channel else { return nil }
    return GridCell(row: index[2], col: index[3])
  }
}

// MARK: - DataOrigin

/// Where the data on screen came from: the input's and the kernel's sources and the values set
/// by hand. While the layer is the one that was opened, its own title and text describe it;
/// once it differs, the title and text are made from this (see ``Model/described(_:origin:)``).
public struct DataOrigin: Sendable, Hashable {
  /// Where the input came from.
  public var input: TensorSource = .opened
  /// Where the kernel came from.
  public var kernel: TensorSource = .opened
  /// The values set by hand that still hold, in the order they were set: one per cell, with
  /// the cell's value before its first edit.
  public var edits: [CellEdit] = []

  /// As opened: nothing loaded, nothing edited.
  public init() {}

  /// With `edit` added; an earlier edit of its cell keeps its value before, and an edit back to
  /// that value removes it.
  func adding(_ edit: CellEdit) -> DataOrigin {
    var o = self
    var e = edit
    if let i = o.edits.firstIndex(where: { $0.target == edit.target && $0.flat == edit.flat }) {
      e.old = o.edits[i].old
      o.edits.remove(at: i)
    }
    if !(e.old == e.new || (e.old.isNaN && e.new.isNaN)) { o.edits.append(e) }
    return o
  }

  /// With the edits of `targets` dropped: those tensors were replaced.
  func replacing(_ targets: EditTarget...) -> DataOrigin {
    var o = self
    o.edits.removeAll { targets.contains($0.target) }
    return o
  }

  /// The edited cells of `target` on the map `map`, channel `channel`, moved by the `padding`
  /// drawn around the map: what a grid marks.
  func marked(
    _ target: EditTarget, map: Int, channel: Int, padding: Size2 = Size2(0)
  ) -> Set<GridCell> {
    Set(
      edits.lazy.filter { $0.target == target }
        .compactMap { $0.cell(onMap: map, channel: channel) }
        .map { GridCell(row: $0.row + padding.h, col: $0.col + padding.w) })
  }
}

extension EditTarget {
  /// The tensor's symbol: `x`, `w`, `b`, `dy`.
  public var symbol: String {
    switch self {
    case .input: return "x"
    case .kernel: return "w"
    case .bias: return "b"
    case .gradient: return "dy"
    }
  }
}

// MARK: - Words for the layer on screen

extension Model {
  /// The most edits the text names one by one.
  static let editsNamed = 3

  /// `scenario` in words that describe it, and `origin` as it holds for it. While its data is
  /// the opened layer's, the opened title and text (and an origin as opened); otherwise a title
  /// naming what is on screen (`photo (1×64×64) · kernel sobel-x`) and a text saying what
  /// changed since the layer was opened. Edits whose cell no longer holds the value set are
  /// dropped (the tensor was replaced since).
  func described(_ scenario: Scenario, origin: DataOrigin) -> (Scenario, DataOrigin) {
    var s = scenario
    // The same data, or only another padding mode (`o`, the padding-modes lesson's key): the
    // words of the configuration as opened still describe it.
    var modeOnly = s
    modeOnly.config.paddingMode = original.config.paddingMode
    guard !Model.sameData(modeOnly, original) else {
      s.title = original.title
      s.text = original.text
      return (s, DataOrigin())
    }
    var o = origin
    o.edits = o.edits.filter { Model.holds($0, in: s) }
    s.title = Model.title(s, o)
    s.text = Model.changes(o, since: original) + " r goes back to it."
    return (s, o)
  }

  /// Whether two scenarios walk the same layer on the same data (their words and start aside).
  static func sameData(_ a: Scenario, _ b: Scenario) -> Bool {
    a.config == b.config && a.relu == b.relu && a.pool == b.pool
      && a.learningRate == b.learningRate && a.gradient == b.gradient && a.bias == b.bias
      && a.weight == b.weight && a.input == b.input
  }

  /// Whether the cell of `edit` still holds the value set.
  static func holds(_ edit: CellEdit, in s: Scenario) -> Bool {
    let data: [Float]
    switch edit.target {
    case .input: data = s.input.data
    case .kernel: data = s.weight.data
    case .bias: data = s.bias.data
    case .gradient:
      guard case .tensor(let g) = s.gradient else { return false }
      data = g.data
    }
    guard data.indices.contains(edit.flat) else { return false }
    let v = data[edit.flat]
    return v == edit.new || (v.isNaN && edit.new.isNaN)
  }

  /// What is on screen: `photo (1×64×64), edited · kernel sobel-x · b edited`.
  static func title(_ s: Scenario, _ o: DataOrigin) -> String {
    let edited = Set(o.edits.map(\.target))
    let mark = { (t: EditTarget) in edited.contains(t) ? ", edited" : "" }
    let input: String
    switch o.input {
    case .opened, .fitted: input = ScenarioWords.input("input", shape: s.input.shape)
    case .preset(let name): input = ScenarioWords.input(name, shape: s.input.shape)
    case .random: input = ScenarioWords.input("random input", shape: s.input.shape)
    }
    let kernel: String
    switch o.kernel {
    case .opened: kernel = ScenarioWords.kernel(size: s.config.kernel)
    case .preset(let name): kernel = ScenarioWords.kernel(name)
    case .random, .fitted: kernel = "random " + ScenarioWords.kernel(size: s.config.kernel)
    }
    var parts = [input + mark(.input), kernel + mark(.kernel)]
    if edited.contains(.bias) { parts.append("b edited") }
    if edited.contains(.gradient) { parts.append("dy edited") }
    return ScenarioWords.title(parts)
  }

  /// What changed since `original` was opened: `Changed from “…”: kernel preset sobel-x.`
  static func changes(_ o: DataOrigin, since original: Scenario) -> String {
    var items: [String] = []
    switch (o.input, o.kernel) {
    case (.random(let a), .random(let b)) where a == b:
      items.append("random input and kernel (seed \(a))")
    default:
      switch o.input {
      case .preset(let name): items.append("input preset \(name)")
      case .random(let seed): items.append("random input (seed \(seed))")
      case .opened, .fitted: break
      }
      switch o.kernel {
      case .preset(let name): items.append("kernel preset \(name)")
      case .random(let seed): items.append("random kernel (seed \(seed))")
      case .fitted: items.append("a random kernel to fit the input's channels")
      case .opened: break
      }
    }
    let named = o.edits.suffix(editsNamed)
    items += named.map { $0.text(unicode: true) }
    if o.edits.count > named.count {
      items.append("\(o.edits.count - named.count) more value(s) set by hand")
    }
    let from = original.title.isEmpty ? "the layer as opened" : "“\(original.title)”"
    let what = items.isEmpty ? "" : ": " + items.joined(separator: "; ")
    return "Changed from \(from)\(what)."
  }
}
