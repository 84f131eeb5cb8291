import ConvCore
import Foundation

// MARK: - NetFile

/// A network described in a small text file a person writes by hand (`nets/*.net`).
///
/// One layer a line (`\n`, `\r\n` or `\r` ends it), first to last; `#` starts a comment; blank
/// lines are skipped; words are separated by spaces or tabs. A size is `n` (square) or `HxW` (`3x3`, `3x2`, `3×2`).
///
/// ```
/// # digits.net: 1×8×8 digits, 10 classes
/// input 1x8x8                  # the image shape C×H×W (optional; checks the shapes)
/// conv 8 3x3 pad 1             # F filters, kernel; then any of: stride S, pad P,
///                              #   dilation D, groups G, padding-mode zeros|reflect|replicate|circular
/// relu
/// maxpool 2                    # kernel; then any of: stride S (default: the kernel), pad P
/// flatten                      # N×C×H×W → N×(C·H·W), row-major
/// linear 10                    # output features (the inputs come from the shape before it)
/// ```
///
/// Options take PyTorch's defaults when left out (stride 1, pad 0, dilation 1, groups 1,
/// zeros). The last layer's outputs are the class scores (logits) that softmax cross-entropy
/// reads. Every error is one line naming the line, and a shape error says the shape there.
public struct NetFile: Sendable, Equatable {
  /// The layers, without weights.
  public var spec: NetSpec
  /// The line of each layer, from 1.
  public var lines: [Int]
  /// Each layer's text as written (without its comment).
  public var texts: [String]
  /// The `input C×H×W` line's shape, when the file has one.
  public var input: [Int]?

  /// The largest `.net` file read (1 MiB).
  public static let maxFileSize = 1 << 20

  /// Reads and parses the file at `path`.
  public static func load(path: String) throws -> NetFile {
    try parse(
      FileReading.contents(of: path, limit: maxFileSize, kind: "network file"), source: path)
  }

  /// Parses the bytes of a `.net` file (UTF-8 text); `source` names it in errors.
  public static func parse(_ data: Data, source: String) throws -> NetFile {
    guard let text = String(data: data, encoding: .utf8) else {
      throw InputError(source: source, "not UTF-8 text")
    }
    return try parse(text, source: source)
  }

  /// Parses `text`; `source` names it in errors. With an `input` line, the shapes are checked.
  public static func parse(_ text: String, source: String) throws -> NetFile {
    var file = NetFile(spec: NetSpec(layers: []), lines: [], texts: [], input: nil)
    for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      .enumerated()
    {
      let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
      let words = line.split(whereSeparator: \.isWhitespace)
        .map(String.init)
      guard let first = words.first else { continue }
      let at = "\(source):\(index + 1)"
      do {
        if first == "input" {
          try file.readInput(words)
        } else {
          file.spec.layers.append(try NetLineParser(words: words).layer())
          file.lines.append(index + 1)
          file.texts.append(words.joined(separator: " "))
        }
      } catch let error as NetLineError {
        throw InputError(source: at, "\(words.joined(separator: " ")): \(error.reason)")
      }
    }
    guard !file.spec.layers.isEmpty else {
      throw InputError(
        source: source, "no layers (one a line: conv, relu, maxpool, flatten, linear)")
    }
    if let input = file.input { _ = try file.shapes(input: [1] + input, source: source) }
    return file
  }

  mutating func readInput(_ words: [String]) throws {
    guard spec.layers.isEmpty, input == nil else {
      throw NetLineError("the input line comes once, before the first layer")
    }
    let dims = words.count == 2 ? words[1].split(whereSeparator: { $0 == "x" || $0 == "×" }) : []
    let values = dims.compactMap { Int($0) }
    guard dims.count == 3 || dims.count == 2, values.count == dims.count,
      values.allSatisfy({ $0 >= 1 && $0 <= 65_536 })
    else {
      throw NetLineError(
        "expected the image shape C×H×W (or H×W for one channel), e.g. input 1x8x8")
    }
    input = values.count == 2 ? [1] + values : values
  }

  /// Every layer's output shape for a batch of shape `input` `[N, C, H, W]` (the first element
  /// is `input`), or one line naming the layer's line, its text and the shape it is given.
  public func shapes(input: [Int], source: String) throws -> [[Int]] {
    do {
      return try spec.shapes(input: input)
    } catch {
      let k = error.layer
      let after = k == 0 ? "the input" : "line \(lines[k - 1]) (\(texts[k - 1]))"
      throw InputError(
        source: "\(source):\(lines[k])",
        "\(texts[k]): the shape here, after \(after), is \(Self.describe(error.input)); "
          + error.reason)
    }
  }

  /// A shape as a person reads it: `8×4×4 (C×H×W)` for a map, `128 features` when flat (the
  /// batch left out).
  public static func describe(_ shape: [Int]) -> String {
    switch shape.count {
    case 4: return "\(shape[1])×\(shape[2])×\(shape[3]) (C×H×W)"
    case 2: return "\(shape[1]) features"
    default: return ConvError.format(shape)
    }
  }
}

// MARK: - One line

/// Why a line is not a layer, without the line's number (the caller adds it).
struct NetLineError: Error {
  var reason: String
  init(_ reason: String) { self.reason = reason }
}

/// Reads one layer line's words.
struct NetLineParser {
  let words: [String]

  static let layerNames = "conv, relu, maxpool, flatten or linear"

  func layer() throws -> NetSpec.Layer {
    switch words[0] {
    case "conv": return .conv2d(try conv())
    case "relu", "flatten":
      guard words.count == 1 else { throw NetLineError("\(words[0]) takes nothing after it") }
      return words[0] == "relu" ? .relu : .flatten
    case "maxpool":
      guard words.count >= 2, let k = size(words[1]) else {
        throw NetLineError("expected the pool kernel, e.g. maxpool 2")
      }
      let options = try self.options(from: 2, allowed: ["stride", "pad"])
      return .maxPool2d(
        MaxPool2DConfig(
          kernel: k, stride: options["stride"]?.size ?? k,
          padding: options["pad"]?.size ?? 0))
    case "linear":
      guard words.count == 2, let n = Int(words[1]), n >= 1, n <= 1 << 20 else {
        throw NetLineError("expected the number of outputs, e.g. linear 10")
      }
      return .linear(outputs: n)
    default:
      throw NetLineError("unknown layer \"\(words[0])\" (expected \(Self.layerNames))")
    }
  }

  func conv() throws -> ConvLayerSpec {
    guard words.count >= 3, let f = Int(words[1]), f >= 1, f <= 65_536, let k = size(words[2])
    else {
      throw NetLineError("expected the filter count and the kernel, e.g. conv 8 3x3 pad 1")
    }
    let o = try options(
      from: 3, allowed: ["stride", "pad", "dilation", "groups", "padding-mode"])
    var spec = ConvLayerSpec(filters: f, kernel: k)
    spec.stride = o["stride"]?.size ?? 1
    spec.padding = o["pad"]?.size ?? 0
    spec.dilation = o["dilation"]?.size ?? 1
    if let g = o["groups"] {
      guard let n = Int(g.text), n >= 1, n <= 65_536 else {
        throw NetLineError("groups \(g.text): expected a whole number from 1")
      }
      spec.groups = n
    }
    if let m = o["padding-mode"] {
      guard let mode = PaddingMode(rawValue: m.text) else {
        throw NetLineError(
          "padding-mode \(m.text): expected zeros, reflect, replicate or circular")
      }
      spec.paddingMode = mode
    }
    return spec
  }

  /// A size `n` or `HxW`, each from 0 to 65536.
  func size(_ text: String) -> Size2? {
    guard let s = Size2(text: text), (0...65_536).contains(s.h), (0...65_536).contains(s.w)
    else { return nil }
    return s
  }

  struct Option {
    var text: String
    var size: Size2?
  }

  /// `name value` pairs from word `start` on, each name in `allowed` and given once.
  func options(from start: Int, allowed: [String]) throws -> [String: Option] {
    var result: [String: Option] = [:]
    var i = start
    while i < words.count {
      let name = words[i]
      guard allowed.contains(name) else {
        throw NetLineError(
          "unknown option \"\(name)\" (expected \(allowed.joined(separator: ", ")))")
      }
      guard i + 1 < words.count else { throw NetLineError("\(name) needs a value") }
      guard result[name] == nil else { throw NetLineError("\(name) is given twice") }
      let value = words[i + 1]
      let s = size(value)
      if s == nil, name != "padding-mode", name != "groups" {
        throw NetLineError("\(name) \(value): expected a size, n or HxW")
      }
      result[name] = Option(text: value, size: s)
      i += 2
    }
    return result
  }
}
