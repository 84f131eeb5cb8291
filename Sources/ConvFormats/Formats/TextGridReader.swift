import ConvCore

// MARK: - TextGrid

/// Numbers read from a text grid.
struct TextGrid {
  /// `[rows, columns]` for one grid, `[grids, rows, columns]` for several.
  var tensor: Tensor
  /// E.g. `CSV (comma-separated), 3 grids of 4×4`.
  var detail: String
  /// Remarks for the status line.
  var notes: [String]
}

// MARK: - TextGridReader

/// Reads CSV and whitespace-separated text grids.
///
/// One row per line; values separated by commas, semicolons, tabs or spaces (the first data row
/// decides: a comma, else a semicolon, else whitespace); `#` starts a comment; a trailing
/// separator is allowed and a field may be wrapped in double quotes. Blank lines or a line of
/// three or more dashes (`---`) separate grids, which must all have the same size: several grids
/// make a 3-D `[G, H, W]` tensor (channels or filters). `nan`, `inf`, `-inf` and `infinity` are
/// accepted in any case (and reported).
enum TextGridReader {
  /// How the values of a row are separated.
  enum Separator: Equatable {
    case comma
    case semicolon
    case whitespace

    var name: String {
      switch self {
      case .comma: return "comma-separated"
      case .semicolon: return "semicolon-separated"
      case .whitespace: return "whitespace-separated"
      }
    }
  }

  /// Parses a text grid; errors name the line and column.
  static func read(_ bytes: [UInt8], source: String, elementLimit: Int) throws -> TextGrid {
    var parser = GridParser(source: source, elementLimit: elementLimit)
    var lineStart = 0
    var lineNumber = 1
    // A UTF-8 byte-order mark, as spreadsheet programs write.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { lineStart = 3 }
    while lineStart <= bytes.count {
      var lineEnd = lineStart
      while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
      try parser.line(bytes[lineStart..<lineEnd], number: lineNumber)
      lineStart = lineEnd + 1
      lineNumber += 1
    }
    return try parser.finish()
  }

  /// Parses a list of numbers such as `0.1,0.2,-1` or `0.1 0.2` (a command-line value).
  static func values(_ text: String, source: String) throws -> [Float] {
    var parser = GridParser(source: source, elementLimit: Tensor.maxElementCount, inline: true)
    try parser.line(ArraySlice(text.utf8), number: 1)
    return try parser.finish().tensor.data
  }
}

// MARK: - GridParser

/// The state of a text-grid parse: the grids so far and the rows of the current one.
struct GridParser {
  let source: String
  let elementLimit: Int
  /// Parsing a command-line value rather than a file: messages say "value" not "line 1".
  let inline: Bool

  var separator: TextGridReader.Separator?
  var values: [Float] = []
  var columns = 0
  var rows = 0
  var grids = 0
  /// Rows in the current grid, and where it started.
  var currentRows = 0
  var currentStart = 0
  var firstGridRows: Int?
  var overflowed = 0

  init(source: String, elementLimit: Int, inline: Bool = false) {
    self.source = source
    self.elementLimit = elementLimit
    self.inline = inline
  }

  func fail(_ line: Int, _ column: Int?, _ message: String) -> InputError {
    let place =
      inline
      ? (column.map { "character \($0): " } ?? "")
      : "line \(line)\(column.map { ", column \($0)" } ?? ""): "
    return InputError(source: source, place + message)
  }

  static func isSpace(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C
  }

  mutating func line(_ raw: ArraySlice<UInt8>, number: Int) throws {
    // Drop a comment, then surrounding whitespace (including a Windows \r).
    var end = raw.firstIndex(of: UInt8(ascii: "#")) ?? raw.endIndex
    var start = raw.startIndex
    while start < end, GridParser.isSpace(raw[start]) { start += 1 }
    while end > start, GridParser.isSpace(raw[end - 1]) { end -= 1 }
    let text = raw[start..<end]
    if text.isEmpty {
      try endGrid(number)
      return
    }
    if text.count >= 3, text.allSatisfy({ $0 == UInt8(ascii: "-") }) {
      try endGrid(number)
      return
    }
    if separator == nil {
      separator =
        text.contains(UInt8(ascii: ","))
        ? .comma
        : text.contains(UInt8(ascii: ";")) ? .semicolon : .whitespace
    }
    let fields = split(text)
    if currentRows == 0 { currentStart = number }
    if rows == 0 {
      columns = fields.count
    } else if fields.count != columns {
      throw fail(
        number, nil,
        "\(fields.count) value\(fields.count == 1 ? "" : "s") but the rows above have \(columns) "
          + "(ragged rows)")
    }
    for field in fields {
      let column = field.startIndex - raw.startIndex + 1
      guard values.count < elementLimit else {
        throw InputError(
          source: source, "more than the limit of \(elementLimit) values; refused")
      }
      values.append(try parseNumber(field, line: number, column: column))
    }
    rows += 1
    currentRows += 1
  }

  /// The fields of a row, with a trailing empty field (after a trailing separator) dropped.
  func split(_ text: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
    switch separator {
    case .comma, .semicolon:
      let sep = separator == .comma ? UInt8(ascii: ",") : UInt8(ascii: ";")
      var fields: [ArraySlice<UInt8>] = []
      var fieldStart = text.startIndex
      for i in text.indices where text[i] == sep {
        fields.append(text[fieldStart..<i])
        fieldStart = i + 1
      }
      let last = text[fieldStart..<text.endIndex]
      if !last.allSatisfy(GridParser.isSpace) || fields.isEmpty { fields.append(last) }
      return fields.map { field in
        var s = field.startIndex
        var e = field.endIndex
        while s < e, GridParser.isSpace(field[s]) { s += 1 }
        while e > s, GridParser.isSpace(field[e - 1]) { e -= 1 }
        // An empty field keeps its position for the error message.
        return s == e ? field[s..<s] : field[s..<e]
      }
    case .whitespace, .none:
      return text.split(whereSeparator: GridParser.isSpace)
    }
  }

  /// One number, checked for decimal syntax first (Swift would also accept hex floats).
  mutating func parseNumber(_ field: ArraySlice<UInt8>, line: Int, column: Int) throws -> Float {
    var f = field
    if f.count >= 2, f.first == UInt8(ascii: "\""), f.last == UInt8(ascii: "\"") {
      f = f.dropFirst().dropLast()
    }
    guard !f.isEmpty else {
      throw fail(line, column, "empty value (two separators in a row?)")
    }
    let text = String(decoding: f, as: UTF8.self)
    guard GridParser.isDecimal(f), let d = Double(text) else {
      let shown = Printable.escape(text.count > 24 ? String(text.prefix(24)) + "…" : text)
      var message = "'\(shown)' is not a number"
      if !inline, rows == 0, text.contains(where: \.isLetter) {
        message += " (a header row? comment it out with #)"
      }
      throw fail(line, column, message)
    }
    let v = Float(d)
    if v.isInfinite, d.isFinite { overflowed += 1 }
    return v
  }

  /// `[+-]? (digits [. digits] | . digits) ([eE] [+-]? digits)?` or `[+-]? nan|inf|infinity`.
  static func isDecimal(_ f: ArraySlice<UInt8>) -> Bool {
    var i = f.startIndex
    if i < f.endIndex, f[i] == UInt8(ascii: "+") || f[i] == UInt8(ascii: "-") { i += 1 }
    let word = String(decoding: f[i...], as: UTF8.self).lowercased()
    if word == "nan" || word == "inf" || word == "infinity" { return true }
    func digits() -> Int {
      let s = i
      while i < f.endIndex, (0x30...0x39).contains(f[i]) { i += 1 }
      return i - s
    }
    var mantissa = digits()
    if i < f.endIndex, f[i] == UInt8(ascii: ".") {
      i += 1
      mantissa += digits()
    }
    guard mantissa > 0 else { return false }
    if i < f.endIndex, f[i] == UInt8(ascii: "e") || f[i] == UInt8(ascii: "E") {
      i += 1
      if i < f.endIndex, f[i] == UInt8(ascii: "+") || f[i] == UInt8(ascii: "-") { i += 1 }
      guard digits() > 0 else { return false }
    }
    return i == f.endIndex
  }

  mutating func endGrid(_ line: Int) throws {
    guard currentRows > 0 else { return }
    grids += 1
    if let first = firstGridRows {
      guard currentRows == first else {
        throw fail(
          currentStart, nil,
          "grid \(grids) has \(currentRows)×\(columns) values but grid 1 has "
            + "\(first)×\(columns); every grid must have the same size")
      }
    } else {
      firstGridRows = currentRows
    }
    currentRows = 0
  }

  mutating func finish() throws -> TextGrid {
    try endGrid(0)
    guard grids > 0 else {
      throw InputError(source: source, "no numbers found (the file is empty or all comments)")
    }
    let gridRows = firstGridRows ?? 0
    SizeGuard.allocating(values.count)
    let shape = grids == 1 ? [gridRows, columns] : [grids, gridRows, columns]
    let tensor: Tensor
    do {
      tensor = try Tensor(shape: shape, data: values, name: source)
    } catch {
      throw InputError(source: source, "\(error)")
    }
    var notes: [String] = []
    if overflowed > 0 {
      notes.append("\(overflowed) values are too large for float32 (now ±Inf)")
    }
    let sizes = grids == 1 ? "\(gridRows)×\(columns)" : "\(grids) grids of \(gridRows)×\(columns)"
    return TextGrid(
      tensor: tensor, detail: "text, \((separator ?? .whitespace).name), \(sizes)", notes: notes)
  }
}
