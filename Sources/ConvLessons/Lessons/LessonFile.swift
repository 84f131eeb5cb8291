import ConvCore
import ConvFormats
import ConvStepper
import Foundation

// MARK: - LessonFile

/// The lesson format: a human-writable text file that holds a whole configuration.
///
/// ```
/// # A comment.
/// title: What padding does
/// text: Zeros around the input let the window sit on the border.
/// padding: 1
/// kernel: sobel-x
/// grad: ones
/// phase: forward
/// step: 1
/// input (1, 1, 5, 5):
///   0 1 2 1 0
///   1 2 3 2 1
///   …
/// ```
///
/// Keys are the command-line flags without their dashes: `base` (`first-lesson` or `article`),
/// `title`, `text`, `input-size`, `channels`, `filters`, `kernel-size`, `stride`, `padding`,
/// `dilation` (each `n` or `h,w`), `groups`, `padding-mode` (`zeros`, `reflect`, `replicate` or
/// `circular`), `batch`, `seed`, `lr` (or `alpha`), `relu` (yes/no),
/// `pool` (`k` or `k,s`), `grad` (`ones`, `output`, `random` or a file), `phase`, `step`
/// (1-based), `practice` (a count and optional question kinds: what `Q` and `quiz` ask), `view`
/// (`unfold`: the viewer opens with the convolution as matrices, im2col; `maps`; for a
/// transposed layer `stamps`, `zero-insertion` or `adjoint`), `transposed` (yes/no: PyTorch's
/// `ConvTranspose2d`, its kernel `[C, F/groups, KH, KW]`), `output-padding` (`n` or `h,w`),
/// `max-size`, `grey`, `center` (how images are read), and `input`, `kernel`, `bias` (a file — relative to the lesson — a preset or
/// values). `input`, `kernel`, `bias` and `grad` may instead be blocks: `NAME (shape):` followed
/// by indented numbers in row-major order (the shape may be left out for a 2-D grid).
public enum LessonFile {
  /// The keys a lesson may set.
  public static let keys = [
    "base", "title", "text", "input-size", "channels", "filters", "kernel-size", "stride",
    "padding", "dilation", "groups", "padding-mode", "batch", "seed", "lr", "alpha", "relu", "pool",
    "grad", "phase",
    "step", "input", "kernel", "bias", "max-size", "grey", "center", "practice", "view",
    "transposed", "output-padding",
  ]

  /// Reads a lesson file.
  public static func load(path: String) throws -> ScenarioRequest {
    let data = try FileReading.contents(of: path)
    guard let text = String(data: data, encoding: .utf8) else {
      throw InputError(source: path, "not UTF-8 text")
    }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    return try parse(text, source: path, folder: folder)
  }

  /// Parses lesson text; `source` names it in errors, relative file references resolve in
  /// `folder`.
  public static func parse(_ text: String, source: String, folder: String? = nil) throws
    -> ScenarioRequest
  {
    var r = ScenarioRequest()
    // Lines end in \n, \r\n (a file made on Windows) or \r. In Swift "\r\n" is one Character,
    // so splitting on "\n" alone read a CRLF file as one line; a UTF-8 byte order mark is dropped.
    let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    let lines = Self.lines(body)
    var seen = Set<String>()
    var i = 0
    func fail(_ line: Int, _ message: String) -> InputError {
      InputError(source: "\(source):\(line + 1)", message)
    }
    while i < lines.count {
      let raw = lines[i]
      let line = trimmed(raw)
      if line.isEmpty || line.hasPrefix("#") {
        i += 1
        continue
      }
      if raw.first == " " || raw.first == "\t" {
        throw fail(i, "indented line outside a block (a block starts with `NAME (shape):`)")
      }
      // A block: `input (1, 1, 5, 5):` or `kernel:` with nothing after the colon.
      if let block = try blockHeader(line, at: i, fail: fail) {
        let tensor: Tensor
        (tensor, i) = try readBlock(block, lines: lines, from: i + 1, fail: fail)
        try set(block.name, .values(tensor), into: &r, seen: &seen, line: block.line, fail: fail)
        continue
      }
      guard let colon = line.firstIndex(of: ":") else {
        throw fail(i, "expected `key: value` (keys: \(keys.joined(separator: ", ")))")
      }
      let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      guard keys.contains(key) else {
        throw fail(i, "unknown key \"\(key)\" (keys: \(keys.joined(separator: ", ")))")
      }
      guard seen.insert(key == "alpha" ? "lr" : key).inserted else {
        throw fail(i, "\"\(key)\" is set twice")
      }
      try apply(key, value, to: &r, folder: folder, fail: { fail(i, $0) })
      i += 1
    }
    r.lesson = source
    return r
  }

  /// The numbers of the block that starts on line `start` (the line after its header), as a
  /// tensor of the block's shape, and the index of the first line after the block.
  static func readBlock(
    _ block: (name: String, shape: [Int]?, line: Int), lines: [String], from start: Int,
    fail: (Int, String) -> InputError
  ) throws -> (Tensor, next: Int) {
    var numbers: [Float] = []
    var rows = 0
    var columns: Int?
    var i = start
    while i < lines.count,
      lines[i].first == " " || lines[i].first == "\t"
        || trimmed(lines[i]).isEmpty
    {
      let row = trimmed(lines[i])
      if !row.isEmpty && !row.hasPrefix("#") {
        let before = numbers.count
        try readRow(row, into: &numbers) { f in
          fail(i, "\"\(f)\" is not a number (in the \(block.name) block)")
        }
        let count = numbers.count - before
        if block.shape == nil {
          if let c = columns, c != count {
            throw fail(i, "row of \(count) values; earlier rows have \(c)")
          }
          columns = count
        }
        rows += 1
        if numbers.count > Tensor.maxElementCount {
          throw fail(i, "the \(block.name) block is larger than the element limit")
        }
      }
      i += 1
    }
    let shape = block.shape ?? [rows, columns ?? 0]
    do {
      return (try Tensor(shape: shape, data: numbers, name: "the \(block.name) block"), i)
    } catch let e as ConvError {
      throw fail(block.line, "\(e)")
    }
  }

  /// Appends the numbers of one block row (separated by spaces, tabs or commas) to `numbers`;
  /// `notANumber` makes the error for a field that is not one. An ASCII row is read byte by
  /// byte with ``DecimalScanner`` (no String per value); other rows, and the rare spellings the
  /// scanner leaves alone (`nan`, `inf`, `−1`, hex), go through ``parseNumber(_:)``.
  static func readRow(
    _ row: String, into numbers: inout [Float], notANumber: (Substring) -> InputError
  ) throws {
    var row = row
    let done: Bool? = try row.withUTF8 { b in
      guard !b.contains(where: { $0 >= 0x80 }) else { return nil }
      var i = 0
      while i < b.count {
        while i < b.count, isBlockSeparator(b[i]) { i += 1 }
        guard i < b.count else { break }
        let start = i
        while i < b.count, !isBlockSeparator(b[i]) { i += 1 }
        if let d = DecimalScanner.double(b, start, i), let v = DecimalScanner.float(exactlyFrom: d)
        {
          numbers.append(v)
          continue
        }
        let field = Substring(String(decoding: b[start..<i], as: UTF8.self))
        guard let v = parseNumber(String(field)) else { throw notANumber(field) }
        numbers.append(v)
      }
      return true
    }
    guard done == nil else { return }
    for f in row.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }) {
      guard let v = parseNumber(String(f)) else { throw notANumber(f) }
      numbers.append(v)
    }
  }

  /// The lines of `text`, split where `Character.isNewline` splits (`\n`, `\r\n`, `\r`, VT,
  /// FF, U+0085, U+2028, U+2029, each a grapheme break of its own), but on the UTF-8 bytes:
  /// linear and fast for a long block.
  static func lines(_ text: String) -> [String] {
    var text = text
    return text.withUTF8 { b in
      var lines: [String] = []
      var start = 0
      var i = 0
      func cut(_ length: Int) {
        lines.append(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
        i += length
        start = i
      }
      while i < b.count {
        switch b[i] {
        case 0x0A, 0x0B, 0x0C: cut(1)
        case 0x0D: cut(i + 1 < b.count && b[i + 1] == 0x0A ? 2 : 1)
        case 0xC2 where i + 1 < b.count && b[i + 1] == 0x85: cut(2)
        case 0xE2
        where i + 2 < b.count && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9):
          cut(3)
        default: i += 1
        }
      }
      cut(0)
      return lines
    }
  }

  /// `line` without leading and trailing spaces and tabs, as `trimmingCharacters(in:
  /// .whitespaces)` gives it; an ASCII line (every block row) without Foundation's UTF-16 walk.
  static func trimmed(_ line: String) -> String {
    let utf8 = line.utf8
    guard utf8.allSatisfy({ $0 < 0x80 }) else { return line.trimmingCharacters(in: .whitespaces) }
    let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
    guard let first = utf8.firstIndex(where: { !blank($0) }),
      let last = utf8.lastIndex(where: { !blank($0) })
    else { return "" }
    return String(line[first...last])
  }

  /// A space, tab or comma (ASCII), which separate the numbers of a block row.
  static func isBlockSeparator(_ b: UInt8) -> Bool {
    b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: ",")
  }

  // MARK: Keys

  static func apply(
    _ key: String, _ value: String, to r: inout ScenarioRequest, folder: String?,
    fail: (String) -> InputError
  ) throws {
    func int() throws -> Int {
      guard let v = Int(value) else { throw fail("\(key): \"\(value)\" is not a whole number") }
      return v
    }
    func pair() throws -> Size2 {
      guard let v = Size2(text: value) else {
        throw fail("\(key): \"\(value)\" is not n or h,w")
      }
      return v
    }
    func path(_ v: String) throws -> String { try resolve(v, in: folder, key: key, fail: fail) }
    switch key {
    case "base":
      guard let b = ScenarioRequest.Base(rawValue: value) else {
        throw fail("base: \"\(value)\" is not first-lesson or article")
      }
      r.base = b
    case "title": r.title = value
    case "practice": r.practice = try practice(value, fail: fail)
    case "text": r.text = value
    case "input-size": r.inputSize = try pair()
    case "channels": r.channels = try int()
    case "filters": r.filters = try int()
    case "kernel-size": r.kernelSize = try pair()
    case "stride": r.stride = try pair()
    case "padding": r.padding = try pair()
    case "dilation": r.dilation = try pair()
    case "groups": r.groups = try int()
    case "padding-mode": r.paddingMode = try paddingMode(value, fail: fail)
    case "batch": r.batch = try int()
    case "seed":
      r.seed = try UInt64(value) ?? { throw fail("seed: \"\(value)\" is not a whole number ≥ 0") }()
    case "lr", "alpha":
      r.learningRate =
        try Float(value).flatMap { $0.isFinite ? $0 : nil }
        ?? { throw fail("\(key): \"\(value)\" is not a finite number") }()
    case "relu": r.relu = try yesNo(key, value, fail: fail)
    case "pool": r.pool = try pool(value, fail: fail)
    case "grad": r.gradient = .argument(try path(value))
    case "phase": r.phase = try phase(value, fail: fail)
    case "step": r.step = try int()
    case "view": try view(value, into: &r, fail: fail)
    case "transposed": r.transposed = try yesNo(key, value, fail: fail)
    case "output-padding": r.outputPadding = try pair()
    case "max-size":
      let v = try int()
      guard v >= 0 else { throw fail("max-size: \(v) must be ≥ 0 (0 keeps images whole)") }
      r.load.maxSize = v
    case "grey": r.load.grey = try yesNo(key, value, fail: fail)
    case "center": r.load.center = try yesNo(key, value, fail: fail)
    case "input": r.input = .argument(try path(value))
    case "kernel": r.kernel = .argument(try path(value))
    case "bias": r.bias = .argument(try path(value))
    default: throw fail("unknown key \"\(key)\"")
    }
  }

  /// A `view:` value: a transposed layer's view, else `unfold` or `maps`.
  static func view(_ value: String, into r: inout ScenarioRequest, fail: (String) -> InputError)
    throws
  {
    if let v = TransposedView(rawValue: value) {
      r.transposedView = v
    } else {
      r.unfold = try unfold(value, fail: fail)
    }
  }

  /// A `view:` value: `unfold` (true) or `maps`.
  static func unfold(_ value: String, fail: (String) -> InputError) throws -> Bool {
    guard value == "unfold" || value == "maps" else {
      throw fail(
        "view: \"\(value)\" is not unfold or maps (or stamps, zero-insertion, adjoint for a "
          + "transposed layer)")
    }
    return value == "unfold"
  }

  /// A `padding-mode:` value.
  static func paddingMode(_ value: String, fail: (String) -> InputError) throws -> PaddingMode {
    guard let m = PaddingMode(rawValue: value) else {
      throw fail("padding-mode: \"\(value)\" is not zeros, reflect, replicate or circular")
    }
    return m
  }

  /// ``resolve(_:in:)``, a refusal as the lesson line's error (`input: "…" leads outside …`).
  static func resolve(
    _ v: String, in folder: String?, key: String, fail: (String) -> InputError
  ) throws -> String {
    do {
      return try resolve(v, in: folder)
    } catch {
      throw fail("\(key): \(error.reason)")
    }
  }

  /// Why a lesson may not read the file it names (see ``resolve(_:in:)``).
  struct OutsideLesson: Error {
    let reason: String
  }

  /// A file a lesson names, in the lesson's folder; anything else (a preset, values, a keyword)
  /// as given.
  ///
  /// A lesson is a file someone may have downloaded: it reads only files in its own folder and
  /// below, so `input: ../../../../etc/passwd`, `input: /etc/passwd`, a link in the folder that
  /// leads out of it, or a file of that name in the working folder (not beside the lesson) are
  /// refused without being opened; the user can still name any file on the command line
  /// (`--input`). A built-in lesson (no folder) reads no files at all. `FILE.npz:name` is
  /// checked by its file.
  static func resolve(_ v: String, in folder: String?) throws(OutsideLesson) -> String {
    let fm = FileManager.default
    let file = archiveFile(of: v, in: folder) ?? v
    let looksLikePath =
      file.contains("/") || file.hasPrefix("~")
      || folder.map { fm.fileExists(atPath: $0 + "/" + file) } ?? false
    guard looksLikePath else {
      // A preset or values, unless a file of that name in the working folder would be read.
      if fm.fileExists(atPath: v) || fm.fileExists(atPath: file) {
        throw OutsideLesson(
          reason: "\"\(v)\" is not in the lesson's folder; a lesson reads only files beside it "
            + "(name others on the command line, e.g. --input)")
      }
      return v
    }
    guard let folder else {
      throw OutsideLesson(reason: "\"\(v)\": a built-in lesson reads no files")
    }
    guard !file.hasPrefix("/"), !file.hasPrefix("~") else {
      throw OutsideLesson(
        reason: "\"\(v)\" is an absolute path; a lesson reads only files in its own folder "
          + "(name others on the command line, e.g. --input)")
    }
    let root = URL(fileURLWithPath: folder).resolvingSymlinksInPath().standardizedFileURL.path
    let target = URL(fileURLWithPath: folder + "/" + file).resolvingSymlinksInPath()
      .standardizedFileURL.path
    guard target.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
      throw OutsideLesson(
        reason: "\"\(v)\" leads outside the lesson's folder; a lesson reads only files in its "
          + "own folder (name others on the command line, e.g. --input)")
    }
    return folder + "/" + v
  }

  /// The file part of `FILE.npz:name` when that file is in `folder`; nil otherwise.
  static func archiveFile(of v: String, in folder: String?) -> String? {
    guard let colon = v.lastIndex(of: ":"), let folder else { return nil }
    let file = String(v[..<colon])
    guard file.lowercased().hasSuffix(".npz"),
      FileManager.default.fileExists(atPath: folder + "/" + file)
    else { return nil }
    return file
  }

  /// `5` or `5 window, output-size`: the practice a lesson ends with.
  static func practice(_ value: String, fail: (String) -> InputError) throws -> PracticePlan {
    guard let plan = PracticePlan(text: value) else {
      throw fail(
        "practice: \"\(value)\" is not a count (1…200) and optional kinds ("
          + QuizKind.allCases.map(\.rawValue).joined(separator: ", ") + ")")
    }
    return plan
  }

  /// `yes`/`true`/`on`/`1` or `no`/`false`/`off`/`0`.
  static func yesNo(_ key: String, _ value: String, fail: (String) -> InputError) throws -> Bool {
    switch value.lowercased() {
    case "yes", "true", "on", "1": return true
    case "no", "false", "off", "0": return false
    default: throw fail("\(key): \"\(value)\" is not yes or no")
    }
  }

  /// `k` or `k,s`: max pooling with a k×k window and stride s (k when not given).
  static func pool(_ value: String, fail: (String) -> InputError) throws -> MaxPool2DConfig {
    let parts = value.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard (1...2).contains(parts.count), let k = parts[0], parts.allSatisfy({ $0 != nil }) else {
      throw fail("pool: \"\(value)\" is not k or k,s")
    }
    return MaxPool2DConfig(kernel: Size2(k), stride: Size2(parts.count == 2 ? parts[1] ?? k : k))
  }

  /// A phase by its name (`forward`, `relu`, …, `update`).
  static func phase(_ value: String, fail: (String) -> InputError) throws -> Phase {
    guard let p = Phase(rawValue: value) else {
      throw fail(
        "phase: \"\(value)\" is not one of \(Phase.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
    return p
  }

  static func set(
    _ name: String, _ spec: TensorSpec, into r: inout ScenarioRequest, seen: inout Set<String>,
    line: Int, fail: (Int, String) -> InputError
  ) throws {
    guard seen.insert(name).inserted else { throw fail(line, "\"\(name)\" is set twice") }
    switch name {
    case "input": r.input = spec
    case "kernel": r.kernel = spec
    case "bias": r.bias = spec
    case "grad": r.gradient = spec
    default: throw fail(line, "\"\(name)\" cannot be a block (blocks: input, kernel, bias, grad)")
    }
  }

  /// `name (d0, d1, …):` or `name:` with nothing after the colon.
  static func blockHeader(_ line: String, at i: Int, fail: (Int, String) -> InputError) throws
    -> (name: String, shape: [Int]?, line: Int)?
  {
    guard line.hasSuffix(":") else { return nil }
    let head = line.dropLast().trimmingCharacters(in: .whitespaces)
    if let open = head.firstIndex(of: "("), head.hasSuffix(")") {
      let name = head[..<open].trimmingCharacters(in: .whitespaces).lowercased()
      let dims = head[head.index(after: open)..<head.index(before: head.endIndex)]
        .split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
      guard !dims.isEmpty, dims.allSatisfy({ ($0 ?? -1) >= 1 }) else {
        throw fail(i, "\(name): the shape \(head[open...]) is not a list of sizes ≥ 1")
      }
      return (name, dims.compactMap { $0 }, i)
    }
    let name = head.lowercased()
    guard ["input", "kernel", "bias", "grad"].contains(name) else { return nil }
    return (name, nil, i)
  }

  static func parseNumber(_ s: String) -> Float? {
    switch s.lowercased() {
    case "nan": return .nan
    case "inf", "+inf", "infinity": return .infinity
    case "-inf", "-infinity", "−inf": return -.infinity
    default: return Float(s.replacingOccurrences(of: "−", with: "-"))
    }
  }

  // MARK: Writing

  /// The lesson text of a scenario, with every tensor written out so that reading it back gives
  /// the same values bit for bit.
  public static func write(_ s: Scenario) -> String {
    var out = "# convscope lesson — edit freely; `convscope --lesson FILE` opens it.\n"
    out += "# Keys are the command-line flags without dashes; blocks hold values row-major.\n"
    if !s.title.isEmpty { out += "title: \(oneLine(s.title))\n" }
    if !s.text.isEmpty { out += "text: \(oneLine(s.text))\n" }
    let c = s.config
    out += "stride: \(c.stride)\npadding: \(c.padding)\ndilation: \(c.dilation)\n"
    if c.groups != 1 { out += "groups: \(c.groups)\n" }
    if c.paddingMode != .zeros { out += "padding-mode: \(c.paddingMode.rawValue)\n" }
    if s.relu { out += "relu: yes\n" }
    if let p = s.pool {
      out += "pool: \(p.kernel.h)" + (p.stride == p.kernel ? "" : ",\(p.stride.h)") + "\n"
    }
    out += "lr: \(number(s.learningRate))\n"
    switch s.gradient {
    case .ones: out += "grad: ones\n"
    case .output: out += "grad: output\n"
    case .random(let seed): out += "grad: random\nseed: \(seed)\n"
    case .tensor: break
    }
    out += "phase: \(s.startPhase.rawValue)\nstep: \(s.startStep + 1)\n"
    if s.startUnfolded { out += "view: unfold\n" }
    if let plan = s.practice { out += "practice: \(plan.text)\n" }
    out += block("input", s.input)
    out += block("kernel", s.weight)
    out += block("bias", s.bias)
    if case .tensor(let t) = s.gradient { out += block("grad", t) }
    return out
  }

  static func oneLine(_ s: String) -> String {
    s.replacingOccurrences(of: "\n", with: " ")
  }

  static func block(_ name: String, _ t: Tensor) -> String {
    var out = "\(name) (" + t.shape.map(String.init).joined(separator: ", ") + "):\n"
    let width = max(1, t.shape.last ?? 1)
    var row: [String] = []
    for v in t.data {
      row.append(number(v))
      if row.count == width {
        out += "  " + row.joined(separator: " ") + "\n"
        row.removeAll(keepingCapacity: true)
      }
    }
    if !row.isEmpty { out += "  " + row.joined(separator: " ") + "\n" }
    return out
  }

  /// The shortest text that reads back as the same `Float`.
  static func number(_ v: Float) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    if v == 0 { return v.sign == .minus ? "-0" : "0" }
    if v == v.rounded(), abs(v) < 1e7 { return String(Int(v)) }
    return "\(v)"
  }
}
