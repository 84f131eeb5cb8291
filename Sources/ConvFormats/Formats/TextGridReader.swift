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
  /// The largest text file read as a grid or named arrays (256 MiB); larger ones are refused
  /// from their size before reading.
  static let maxFileSize = 256 << 20

  /// Refuses text of more than ``maxFileSize`` bytes (a file whose name did not say text, so
  /// its size could not be checked before reading).
  static func checkSize(_ count: Int, source: String) throws {
    guard count <= maxFileSize else {
      throw InputError(
        source: source,
        "text file of \(count) bytes, over the \(FileReading.sizeText(maxFileSize)) limit for a "
          + "text file; refused")
    }
  }

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

  /// Parses a text grid; errors name the line and column. One pass over the bytes, no copy per
  /// row or value: the work is linear in the size of the file.
  static func read(_ bytes: [UInt8], source: String, elementLimit: Int) throws -> TextGrid {
    var parser = GridParser(source: source, elementLimit: elementLimit)
    try bytes.withUnsafeBufferPointer { b in
      var lineStart = 0
      var lineNumber = 1
      // A UTF-8 byte-order mark, as spreadsheet programs write.
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { lineStart = 3 }
      while lineStart <= b.count {
        var lineEnd = lineStart
        while lineEnd < b.count, b[lineEnd] != 0x0A { lineEnd += 1 }
        try parser.line(b, lineStart..<lineEnd, number: lineNumber)
        lineStart = lineEnd + 1
        lineNumber += 1
      }
    }
    return try parser.finish()
  }

  /// Parses a list of numbers such as `0.1,0.2,-1` or `0.1 0.2` (a command-line value).
  static func values(_ text: String, source: String) throws -> [Float] {
    var parser = GridParser(source: source, elementLimit: Tensor.maxElementCount, inline: true)
    try Array(text.utf8).withUnsafeBufferPointer { b in
      try parser.line(b, 0..<b.count, number: 1)
    }
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

  /// One line, `raw` a range of `b` (without its `\n`).
  mutating func line(_ b: UnsafeBufferPointer<UInt8>, _ raw: Range<Int>, number: Int) throws {
    // Drop a comment, then surrounding whitespace (including a Windows \r).
    var end = raw.lowerBound
    while end < raw.upperBound, b[end] != UInt8(ascii: "#") { end += 1 }
    var start = raw.lowerBound
    while start < end, GridParser.isSpace(b[start]) { start += 1 }
    while end > start, GridParser.isSpace(b[end - 1]) { end -= 1 }
    let text = UnsafeBufferPointer(rebasing: b[start..<end])
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
    if currentRows == 0 { currentStart = number }
    // Count the fields first: a ragged row is refused before any of its values is read.
    let separator = self.separator
    var count = 0
    GridParser.forEachField(b, start..<end, separator: separator) { _ in count += 1 }
    if rows == 0 {
      columns = count
    } else if count != columns {
      throw fail(
        number, nil,
        "\(count) value\(count == 1 ? "" : "s") but the rows above have \(columns) "
          + "(ragged rows)")
    }
    try GridParser.forEachField(b, start..<end, separator: separator) { field in
      let column = field.lowerBound - raw.lowerBound + 1
      guard values.count < elementLimit else {
        throw InputError(
          source: source, "more than the limit of \(elementLimit) values; refused")
      }
      values.append(try parseNumber(b, field, line: number, column: column))
    }
    rows += 1
    currentRows += 1
  }

  /// Calls `body` with each field of the row `text` (a range of `b`, trimmed, not empty), in
  /// order: each field trimmed of whitespace (an empty one keeps its position for the error
  /// message), a trailing empty field (after a trailing separator) dropped.
  static func forEachField(
    _ b: UnsafeBufferPointer<UInt8>, _ text: Range<Int>, separator: TextGridReader.Separator?,
    _ body: (Range<Int>) throws -> Void
  ) rethrows {
    switch separator {
    case .comma, .semicolon:
      let sep = separator == .comma ? UInt8(ascii: ",") : UInt8(ascii: ";")
      var fieldStart = text.lowerBound
      var fields = 0
      var i = text.lowerBound
      while i <= text.upperBound {
        guard i == text.upperBound || b[i] == sep else {
          i += 1
          continue
        }
        var s = fieldStart
        var e = i
        while s < e, GridParser.isSpace(b[s]) { s += 1 }
        while e > s, GridParser.isSpace(b[e - 1]) { e -= 1 }
        // The last field, when empty, is a trailing separator's (unless it is the only one).
        if i < text.upperBound || s < e || fields == 0 { try body(s..<e) }
        fields += 1
        fieldStart = i + 1
        i += 1
      }
    case .whitespace, .none:
      var i = text.lowerBound
      while i < text.upperBound {
        while i < text.upperBound, GridParser.isSpace(b[i]) { i += 1 }
        guard i < text.upperBound else { break }
        let s = i
        while i < text.upperBound, !GridParser.isSpace(b[i]) { i += 1 }
        try body(s..<i)
      }
    }
  }

  /// One number, checked for decimal syntax first (Swift would also accept hex floats).
  mutating func parseNumber(
    _ b: UnsafeBufferPointer<UInt8>, _ field: Range<Int>, line: Int, column: Int
  ) throws -> Float {
    var f = field
    if f.count >= 2, b[f.lowerBound] == UInt8(ascii: "\""),
      b[f.upperBound - 1] == UInt8(ascii: "\"")
    {
      f = (f.lowerBound + 1)..<(f.upperBound - 1)
    }
    guard !f.isEmpty else {
      throw fail(line, column, "empty value (two separators in a row?)")
    }
    if let d = DecimalScanner.double(b, f.lowerBound, f.upperBound) {
      let v = Float(d)
      if v.isInfinite, d.isFinite { overflowed += 1 }
      return v
    }
    // `nan`, `inf` and `infinity`, or not a number: rare, so a String is fine here.
    let slice = b[f]
    let text = String(decoding: slice, as: UTF8.self)
    guard GridParser.isDecimal(slice), let d = Double(text) else {
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
  static func isDecimal<C: Collection<UInt8>>(_ f: C) -> Bool where C.Index == Int {
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
