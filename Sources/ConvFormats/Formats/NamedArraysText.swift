import ConvCore

// MARK: - NamedArraysText

/// Text with one named array a line, `NAME D0 D1 … : V0 V1 …` (the shape, then the values in
/// row-major order): what the programs `convscope code` writes print for `y`, `dx`, `dw` and
/// `db` (`python3 layer.py > out.txt`). Blank lines and lines starting with `#` are skipped.
///
/// The lines are indexed first (names and where each starts); an array is parsed when asked
/// for, after its declared shape passed the element limit.
struct NamedArraysText {
  /// One array's line.
  struct Line {
    var name: String
    var shape: [Int]
    /// The values' bytes (after the colon).
    var values: Range<Int>
    /// The line number, from 1.
    var number: Int
  }

  let bytes: [UInt8]
  let source: String
  /// The arrays in file order.
  let lines: [Line]

  /// The index of `bytes` when every non-blank, non-comment line has the form
  /// `NAME D0 … : …`; nil when any other line is present (then the bytes are some other text).
  init?(_ bytes: [UInt8], source: String) {
    self.bytes = bytes
    self.source = source
    var lines: [Line] = []
    var start = 0
    var number = 0
    while start < bytes.count {
      number += 1
      var end = start
      while end < bytes.count, bytes[end] != 0x0A { end += 1 }
      defer { start = end + 1 }
      guard let line = NamedArraysText.head(bytes, start..<end, number: number) else {
        let text = bytes[start..<end].drop { GridParser.isSpace($0) || $0 == 0x0D }
        if text.isEmpty || text.first == UInt8(ascii: "#") { continue }
        return nil
      }
      lines.append(line)
    }
    guard !lines.isEmpty else { return nil }
    self.lines = lines
  }

  /// The name and shape of a line `NAME D0 … : values`, or nil when it has another form.
  static func head(_ b: [UInt8], _ range: Range<Int>, number: Int) -> Line? {
    guard let colon = b[range].firstIndex(of: UInt8(ascii: ":")) else { return nil }
    let words = b[range.lowerBound..<colon].split(whereSeparator: { GridParser.isSpace($0) })
    guard let first = words.first, let lead = first.first,
      lead == UInt8(ascii: "_") || (0x41...0x5A).contains(lead) || (0x61...0x7A).contains(lead),
      first.allSatisfy({ $0 == UInt8(ascii: "_") || isAlphanumeric($0) })
    else { return nil }
    var shape: [Int] = []
    for word in words.dropFirst() {
      guard word.count <= 18, word.allSatisfy({ (0x30...0x39).contains($0) }),
        let d = Int(String(decoding: word, as: UTF8.self))
      else { return nil }
      shape.append(d)
    }
    return Line(
      name: String(decoding: first, as: UTF8.self), shape: shape,
      values: (colon + 1)..<range.upperBound, number: number)
  }

  static func isAlphanumeric(_ c: UInt8) -> Bool {
    (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
  }

  /// The array of `line`, its shape checked against `elementLimit` before its values are read.
  func array(_ line: Line, elementLimit: Int) throws -> Tensor {
    let label = "\(source):\(line.name)"
    let shapeText = ConvError.format(line.shape)
    let count = try SizeGuard.reserve(
      dims: line.shape, limit: elementLimit, source: label, what: "shape \(shapeText)")
    // Room for what the line can hold (a value and a space take two bytes), not for what its
    // shape claims: a short line is refused below, after reading what is there.
    let room = min(count, (line.values.count + 1) / 2)
    SizeGuard.allocating(room)
    var values: [Float] = []
    values.reserveCapacity(room)
    try bytes.withUnsafeBufferPointer { b in
      var i = line.values.lowerBound
      let end = line.values.upperBound
      while i < end {
        while i < end, GridParser.isSpace(b[i]) { i += 1 }
        guard i < end else { break }
        let start = i
        while i < end, !GridParser.isSpace(b[i]) { i += 1 }
        guard values.count < count else {
          throw InputError(
            source: label,
            "line \(line.number): more than the \(count) values of shape \(shapeText)")
        }
        values.append(try Self.number(b, start..<i, label: label, line: line.number))
      }
    }
    guard values.count == count else {
      throw InputError(
        source: label,
        "line \(line.number): \(values.count) values, but shape \(shapeText) needs \(count)")
    }
    do {
      return try Tensor(shape: line.shape, data: values, name: label)
    } catch {
      throw InputError(source: label, "\(error)")
    }
  }

  /// The number in `b[field]` (decimal, `nan`, `inf` or `infinity`).
  static func number(
    _ b: UnsafeBufferPointer<UInt8>, _ field: Range<Int>, label: String, line: Int
  ) throws -> Float {
    if let d = DecimalScanner.double(b, field.lowerBound, field.upperBound) { return Float(d) }
    let text = String(decoding: b[field], as: UTF8.self)
    guard GridParser.isDecimal(b[field]), let d = Double(text) else {
      throw InputError(
        source: label, "line \(line): '\(Printable.escape(text.prefix(24)))' is not a number")
    }
    return Float(d)
  }
}
