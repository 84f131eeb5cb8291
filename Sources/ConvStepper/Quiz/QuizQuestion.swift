import ConvCore
import NumberText

// MARK: - QuizKind

/// The kinds of practice question, each generated from the layer and checked against it.
public enum QuizKind: String, Sendable, Hashable, CaseIterable, Codable {
  /// The output size for a geometry (the layer's, or one with another stride, padding, dilation).
  case outputSize = "output-size"
  /// The value of one output cell, from its window, the kernel and the bias.
  case outputValue = "output-value"
  /// Which input cells one output cell reads.
  case window
  /// Which output cells one input cell influences.
  case influence
  /// What one backward step adds to a dx, dw or db value.
  case gradient
  /// A weight after the SGD update.
  case update
  /// Which cell of a max-pool window receives the gradient.
  case pool
  /// Which gradients pass a ReLU.
  case relu

  /// A few words for summaries: "output size", "which cells pass ReLU".
  public var title: String {
    switch self {
    case .outputSize: "output size"
    case .outputValue: "an output value"
    case .window: "the cells a window reads"
    case .influence: "the outputs an input cell reaches"
    case .gradient: "a backward step's contribution"
    case .update: "a weight after SGD"
    case .pool: "where max-pool sends the gradient"
    case .relu: "which gradients pass ReLU"
    }
  }
}

// MARK: - QuizCell

/// A cell of a grid, by row and column (from 0), written `i,j`.
public struct QuizCell: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The row.
  public var row: Int
  /// The column.
  public var column: Int

  /// The cell at `row`, `column`.
  public init(_ row: Int, _ column: Int) {
    self.row = row
    self.column = column
  }

  /// `i,j`.
  public var description: String { "\(row),\(column)" }

  /// Row-major order.
  public static func < (a: QuizCell, b: QuizCell) -> Bool {
    (a.row, a.column) < (b.row, b.column)
  }
}

// MARK: - QuizAnswer

/// The answer a question expects, and how a typed answer is read and checked.
public enum QuizAnswer: Sendable, Hashable {
  /// A size `OH×OW`, typed `7x7`, `7×7`, `7,7` or `7` (square).
  case size(Size2)
  /// A number, right within `tolerance` (what the shown precision of the numbers implies).
  case number(Float, tolerance: Float)
  /// A set of cells, typed `i,j` pairs separated by spaces (`none` for no cell).
  case cells(Set<QuizCell>)

  /// The answer written as a student would type it.
  public var text: String {
    switch self {
    case .size(let s): "\(s.h)x\(s.w)"
    case .number(let v, _): NumberFormat.short(v, ascii: true, maxDecimals: 4)
    case .cells(let cells):
      cells.isEmpty ? "none" : cells.sorted().map(\.description).joined(separator: " ")
    }
  }

  /// What `typed` comes to: right, wrong (with what was missed or added), or unreadable.
  public func check(_ typed: String) -> QuizVerdict {
    let text = QuizAnswer.trimmed(typed)
    switch self {
    case .size(let expected):
      guard let given = QuizAnswer.readSize(text) else {
        return .unreadable("a size is two whole numbers, e.g. 7x7 (or one for a square)")
      }
      return given == expected ? .right : .wrong(nil)
    case .number(let expected, let tolerance):
      guard let given = Float(text), given.isFinite else {
        return .unreadable("an answer here is one number, e.g. -1.25")
      }
      return abs(given - expected) <= tolerance ? .right : .wrong(nil)
    case .cells(let expected):
      guard let given = QuizAnswer.readCells(text) else {
        return .unreadable("cells are i,j pairs separated by spaces, e.g. 0,1 2,3 (or none)")
      }
      if given == expected { return .right }
      let missed = expected.subtracting(given).sorted().map(\.description)
      let extra = given.subtracting(expected).sorted().map(\.description)
      var notes: [String] = []
      if !missed.isEmpty { notes.append("missed " + missed.joined(separator: " ")) }
      if !extra.isEmpty { notes.append("not these: " + extra.joined(separator: " ")) }
      return .wrong(notes.joined(separator: "; "))
    }
  }

  /// `text` without spaces, tabs and line ends around it.
  static func trimmed(_ text: String) -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0.isNewline }
    return String(text.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
  }

  /// `7x7`, `7×7`, `7,7`, `7 7` or `7`.
  static func readSize(_ text: String) -> Size2? {
    let fields = text.split(whereSeparator: { "x×X, *".contains($0) })
    let parts = fields.compactMap { Int($0) }.filter { $0 >= 0 }
    guard (1...2).contains(parts.count), parts.count == fields.count else { return nil }
    return Size2(parts[0], parts.count == 2 ? parts[1] : parts[0])
  }

  /// `i,j` pairs separated by spaces or `;`, brackets allowed; `none`, `-` or nothing: no cell.
  static func readCells(_ text: String) -> Set<QuizCell>? {
    let cleaned = text.lowercased().filter { !"()[]".contains($0) }
    if ["", "none", "-"].contains(trimmed(cleaned)) { return [] }
    var cells: Set<QuizCell> = []
    for pair in cleaned.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "\t" }) {
      let numbers = pair.split(separator: ",").map { Int($0) }
      guard numbers.count == 2, let i = numbers[0], let j = numbers[1], i >= 0, j >= 0 else {
        return nil
      }
      cells.insert(QuizCell(i, j))
    }
    return cells
  }
}

// MARK: - QuizVerdict

/// What a typed answer came to.
public enum QuizVerdict: Sendable, Hashable {
  /// Right.
  case right
  /// Wrong; for cells, what was missed and what was added.
  case wrong(String?)
  /// Not an answer of the right form (counted wrong); says what the form is.
  case unreadable(String)

  /// Whether it was right.
  public var isRight: Bool { self == .right }
}

// MARK: - QuizQuestion

/// One question: what is asked (lines of text, with the numbers a student needs), the answer,
/// and the worked answer shown after.
public struct QuizQuestion: Sendable, Hashable {
  /// Its kind.
  public var kind: QuizKind
  /// How hard (0, 1, 2): larger strides, padding and dilation, border windows.
  public var level: Int
  /// The question, a line each.
  public var lines: [String]
  /// The expected answer.
  public var answer: QuizAnswer
  /// The worked answer: the arithmetic, a line each.
  public var worked: [String]
  /// For a cell question, the grid the cells are chosen on.
  public var grid: QuizGrid?

  /// A question.
  public init(
    kind: QuizKind, level: Int, lines: [String], answer: QuizAnswer, worked: [String],
    grid: QuizGrid? = nil
  ) {
    self.kind = kind
    self.level = level
    self.lines = lines
    self.answer = answer
    self.worked = worked
    self.grid = grid
  }
}

// MARK: - QuizGrid

/// The part of a plane a cell question's cells are chosen on: rows `origin.row ..<
/// origin.row + size.h`, columns likewise.
public struct QuizGrid: Sendable, Hashable {
  /// The plane, e.g. `x[0,0,:,:]`.
  public var name: String
  /// The top-left cell shown.
  public var origin: QuizCell
  /// Rows and columns shown.
  public var size: Size2

  /// A grid.
  public init(name: String, origin: QuizCell = QuizCell(0, 0), size: Size2) {
    self.name = name
    self.origin = origin
    self.size = size
  }

  /// Whether `cell` lies on the grid.
  public func contains(_ cell: QuizCell) -> Bool {
    cell.row >= origin.row && cell.row < origin.row + size.h && cell.column >= origin.column
      && cell.column < origin.column + size.w
  }
}

// MARK: - PracticePlan

/// The practice a lesson ends with: which kinds of question, and how many.
public struct PracticePlan: Sendable, Hashable {
  /// The kinds asked (nil: every kind the layer has).
  public var kinds: [QuizKind]?
  /// How many questions.
  public var count: Int

  /// A plan of `count` questions of `kinds`.
  public init(kinds: [QuizKind]?, count: Int) {
    self.kinds = kinds
    self.count = count
  }

  /// The lesson line's value: `5` or `5 window, output-value`.
  public var text: String {
    "\(count)" + (kinds.map { " " + $0.map(\.rawValue).joined(separator: ", ") } ?? "")
  }

  /// Reads `5` or `5 window, output-value` (the count, then kinds); nil when it does not read.
  public init?(text: String) {
    let trimmed = QuizAnswer.trimmed(text)
    let count = Int(trimmed.prefix { $0.isNumber })
    guard let count, (1...200).contains(count) else { return nil }
    let rest = trimmed.drop { $0.isNumber }
    let names = rest.split(whereSeparator: { $0 == "," || $0 == " " })
    if names.isEmpty {
      self.init(kinds: nil, count: count)
      return
    }
    var kinds: [QuizKind] = []
    for name in names {
      guard let kind = QuizKind(rawValue: String(name)) else { return nil }
      kinds.append(kind)
    }
    self.init(kinds: kinds, count: count)
  }
}
