import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvFormats

// MARK: - The case reader

/// Pins the case reader's checks: every bad field is named in one line, with the same words.
@Suite("Case reader")
struct CaseReaderTests {
  static func parse(_ json: String) throws -> ConvCase {
    try ConvCase.parse(Data(json.utf8), source: "c.json")
  }

  static let relu = #""op": "relu", "shapes": {"x": [1, 2]}, "x": [1, 2]"#
  static let conv =
    #""op": "conv2d", "shapes": {"x": [1,1,3,3], "w": [1,1,2,2], "b": [1]}, "x": [1,2,3,4,5,6,7,8,9], "w": [1,0,0,1], "b": [0.5]"#

  /// Bad files and the exact error each gives.
  static let badFiles: [(json: String, error: String)] = [
    ("[1, 2]", "c.json: expected a JSON object at the top level"),
    ("3", "c.json: expected a JSON object at the top level"),
    ("{}", "c.json: missing field \"op\""),
    (#"{"op": null}"#, "c.json: missing field \"op\""),
    (#"{"op": 3}"#, "c.json: field \"op\": expected a string"),
    (
      #"{"op": "conv3d"}"#,
      "c.json: field \"op\": unknown operation \"conv3d\" (expected conv2d, conv_transpose2d, maxpool2d, relu or network)"
    ),
    (#"{"op": "relu"}"#, "c.json: missing field \"shapes\""),
    (#"{"op": "relu", "shapes": [1]}"#, "c.json: field \"shapes\": expected an object"),
    (#"{"op": "relu", "shapes": {}}"#, "c.json: missing field \"x\""),
    (#"{"op": "relu", "shapes": {}, "x": [1]}"#, "c.json: missing field \"shapes.x\""),
    (#"{"op": "relu", "shapes": {"x": [1]}, "x": null}"#, "c.json: missing field \"x\""),
    (#"{"op": "relu", "shapes": {"x": null}, "x": [1]}"#, "c.json: missing field \"shapes.x\""),
    (
      #"{"op": "relu", "shapes": {"x": [1]}, "x": 1}"#,
      "c.json: field \"x\": expected a flat array of numbers"
    ),
    (
      #"{"op": "relu", "shapes": {"x": [2]}, "x": [1, true]}"#,
      "c.json: field \"x\": element 1 is not a number"
    ),
    (
      #"{"op": "relu", "shapes": {"x": [2]}, "x": [1, [2]]}"#,
      "c.json: field \"x\": element 1 is not a number"
    ),
    (
      #"{"op": "relu", "shapes": {"x": [1]}, "x": ["a"]}"#,
      "c.json: field \"x\": element 0 is not a number"
    ),
    (
      #"{"op": "relu", "shapes": {"x": 2}, "x": [1]}"#,
      "c.json: field \"shapes.x\": expected an array"
    ),
    (
      #"{"op": "relu", "shapes": {"x": [1.5]}, "x": [1]}"#,
      "c.json: field \"shapes.x\": element 0 is not an integer"
    ),
    (
      #"{"op": "relu", "shapes": {"x": [false]}, "x": [1]}"#,
      "c.json: field \"shapes.x\": element 0 is not an integer"
    ),
    (
      #"{"op": "relu", "shapes": {"x": [1e20]}, "x": [1]}"#,
      "c.json: field \"shapes.x\": element 0 is not an integer"
    ),
    (
      #"{"op": "relu", "shapes": {"x": [-1]}, "x": [1]}"#,
      "c.json: field \"shapes.x\": negative dimension"
    ),
    (
      #"{"op": "relu", "shapes": {"x": [2, 2]}, "x": [1, 2, 3]}"#,
      "c.json: field \"x\": 3 values but shapes.x (2, 2) needs 4"
    ),
    (
      #"{"op": "relu", "shapes": {"x": [1, 2], "dy": [1, 2]}, "x": [1, 2], "dy": "a"}"#,
      "c.json: field \"dy\": expected a flat array of numbers"
    ),
    ("{" + relu + #", "params": null}"#, "c.json: missing field \"params\""),
    ("{" + relu + #", "params": 1}"#, "c.json: field \"params\": expected an object"),
    ("{" + relu + #", "seed_layer": []}"#, "c.json: field \"seed_layer\": expected an object"),
    ("{" + conv + #", "seed_layer": {}}"#, "c.json: missing field \"seed_layer.alpha\""),
    (
      "{" + conv + #", "seed_layer": {"alpha": "x"}}"#,
      "c.json: field \"seed_layer.alpha\": expected a finite number"
    ),
    (
      "{" + conv + #", "seed_layer": {"alpha": true}}"#,
      "c.json: field \"seed_layer.alpha\": expected a finite number"
    ),
    (
      "{" + conv + #", "seed_layer": {"alpha": 0.1, "filters_after_sgd": [true]}}"#,
      "c.json: field \"seed_layer.filters_after_sgd\": element 0 is not a number"
    ),
    (
      "{" + conv + #", "params": {"stride": "2"}}"#,
      "c.json: field \"params.stride\": expected an array"
    ),
    (
      "{" + conv + #", "params": {"stride": [1, 2, 3]}}"#,
      "c.json: field \"params.stride\": expected [h, w]"
    ),
    (
      "{" + conv + #", "params": {"stride": [1, 1.5]}}"#,
      "c.json: field \"params.stride\": element 1 is not an integer"
    ),
    (
      "{" + conv + #", "params": {"stride": 1.5}}"#,
      "c.json: field \"params.stride\": expected an array"
    ),
    (
      "{" + conv + #", "params": {"padding": [1, 2000000000]}}"#,
      "c.json: field \"params.padding\": expected [h, w]"
    ),
    (
      "{" + conv + #", "params": {"stride": [0, 1]}}"#,
      "c.json: stride must be ≥ 1 (got 0,1)"
    ),
    (
      #"{"op": "conv2d", "shapes": {"x": [1, 1, 2, 2]}, "x": [1, 2, 3, 4]}"#,
      "c.json: missing field \"w\" (needed for conv2d)"
    ),
    (
      #"{"op": "conv2d", "shapes": {"x": [4]}, "x": [1, 2, 3, 4]}"#,
      "c.json: shapes.x must be [N, C, H, W]"
    ),
    (
      #"{"op": "maxpool2d", "shapes": {"x": [1, 1, 2, 2]}, "x": [1, 2, 3, 4]}"#,
      "c.json: missing field \"kernel\""
    ),
    (
      #"{"op": "maxpool2d", "params": {}, "shapes": {"x": [1, 1, 2, 2]}, "x": [1, 2, 3, 4]}"#,
      "c.json: missing field \"params.kernel\""
    ),
  ]

  @Test("a bad field gives one line naming it", arguments: 0..<badFiles.count)
  func badFile(index: Int) {
    let bad = Self.badFiles[index]
    #expect(throws: InputError(bad.error)) { try Self.parse(bad.json) }
  }

  @Test("invalid JSON is one line that says so")
  func invalidJSON() {
    for text in ["{not json", "", "[1, 2"] {
      do {
        _ = try Self.parse(text)
        Issue.record("no error for \(text)")
      } catch let error as InputError {
        #expect(error.message.hasPrefix("c.json: invalid JSON ("), "\(error.message)")
        #expect(!error.message.contains("\n"))
      } catch {
        Issue.record("\(error)")
      }
    }
  }

  @Test("a good file: tensors, parameters, name, the lenient fields")
  func goodFile() throws {
    let c = try Self.parse(
      "{" + Self.conv
        + #", "name": 7, "exact_in_float32": "yes", "unknown": {"a": 1}, "params": {"stride": 2, "padding": [0, 1], "dilation": null}, "seed_layer": {"alpha": 0.5, "biases_after_sgd": [1e39]}}"#
    )
    #expect(c.name == "c.json")
    #expect(c.op == .conv2d)
    #expect(c.exactInFloat32 == false)
    #expect(c.tensors["x"]?.shape == [1, 1, 3, 3])
    #expect(c.tensors["b"]?.data == [0.5])
    #expect(c.conv?.stride == Size2(2, 2) && c.conv?.padding == Size2(0, 1))
    #expect(c.conv?.dilation == Size2(1, 1))
    #expect(c.seedLayer?.alpha == 0.5 && c.seedLayer?.filtersAfterSGD == nil)
    #expect(c.seedLayer?.biasesAfterSGD?.first == .infinity)

    let named = try Self.parse(
      #"{"op": "relu", "shapes": {"x": [2]}, "name": "mine", "exact_in_float32": true, "x": [0.1, 1e39]}"#
    )
    #expect(named.name == "mine" && named.exactInFloat32)
    #expect(named.tensors["x"]?.data == [Float(0.1), .infinity])

    let pool = try Self.parse(
      #"{"op": "maxpool2d", "params": {"kernel": 2, "stride": [1, 2]}, "shapes": {"x": [1, 1, 2, 4]}, "x": [1, 2, 3, 4, 5, 6, 7, 8]}"#
    )
    #expect(pool.pool?.kernel == Size2(2, 2) && pool.pool?.stride == Size2(1, 2))
  }

  /// The grouped, padding-mode and transposed vectors (issue 15): conv2d read as a layer with
  /// its groups and padding mode, transposed as a general spec for `compute`.
  static let general: [(name: String, spec: GeneralConvSpec)] = [
    ("conv_groups2", GeneralConvSpec(padding: Size2(1), groups: 2)),
    ("conv_depthwise", GeneralConvSpec(stride: Size2(2), padding: Size2(1), groups: 3)),
    ("conv_pad_reflect", GeneralConvSpec(padding: Size2(2), paddingMode: .reflect)),
    (
      "conv_pad_replicate",
      GeneralConvSpec(stride: Size2(2), padding: Size2(1), paddingMode: .replicate)
    ),
    ("conv_pad_circular", GeneralConvSpec(padding: Size2(1), paddingMode: .circular)),
    ("convT_s1", GeneralConvSpec(transposed: true)),
    (
      "convT_s2_p1_op1",
      GeneralConvSpec(
        transposed: true, stride: Size2(2), padding: Size2(1), outputPadding: Size2(1))
    ),
    (
      "convT_d2_g2",
      GeneralConvSpec(transposed: true, stride: Size2(1, 2), dilation: Size2(2), groups: 2)
    ),
  ]

  /// Whether `c` was read as `spec` says: a transposed case as the general spec (no layer), a
  /// conv2d as a layer with the spec's stride, padding, dilation, groups and padding mode.
  static func readAs(_ c: ConvCase, _ spec: GeneralConvSpec) -> Bool {
    if spec.transposed { return c.conv == nil && c.general == spec }
    guard let conv = c.conv, c.general == nil else { return false }
    return conv.stride == spec.stride && conv.padding == spec.padding
      && conv.dilation == spec.dilation && conv.groups == spec.groups
      && conv.paddingMode == spec.paddingMode
  }

  @Test("grouped and padding-mode cases read as layers, transposed ones as a spec; all computed")
  func generalCases() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures/conv-vectors")
    for (name, spec) in Self.general {
      let c = try ConvCase.load(path: folder.appendingPathComponent("\(name).json").path)
      #expect(
        Self.readAs(c, spec),
        "\(name): \(String(describing: c.conv)) \(String(describing: c.general))")
      let result = try CaseRunner.run(c)
      for key in ["y", "dx", "dw", "db"] {
        let got = try #require(result.tensors[key], "\(name) \(key)")
        #expect(got == (try c.tensor(key)), "\(name) \(key)")
      }
    }
  }

  @Test("groups = 1 and zero padding are the plain conv2d", arguments: ["1", "1.0"])
  func plainParamsAccepted(groups: String) throws {
    let c = try Self.parse(
      "{" + Self.conv + #", "params": {"groups": "# + groups + #", "padding_mode": "zeros"}}"#)
    #expect(c.conv?.filters == 1)
    #expect(throws: InputError.self) {
      try Self.parse("{" + Self.conv + #", "params": {"groups": 1e300}}"#)
    }
  }
}

// MARK: - The JSON scanner

/// The case reader's own JSON scanner accepts what `JSONDecoder` accepted and refuses the rest
/// with "invalid JSON (… at line L, column C)".
@Suite("Case reader: JSON syntax")
struct CaseJSONSyntaxTests {
  static let relu = #""op": "relu", "shapes": {"x": [1, 2]}, "x": [1, 2]"#

  @Test("valid JSON in every form a case may use")
  func valid() throws {
    let texts = [
      "\u{FEFF}{" + Self.relu + "}",
      " \n\t{" + Self.relu + #", "name": "a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00"}"# + "\r\n",
      "{" + Self.relu + #", "extra": [[[]], {}, {"a": [true, false, null, -0.5e-3, 1E+2]}]}"#,
      #"{"op": "relu", "shapes": {"x": [2]}, "x": [-0, 1e39]}"#,
    ]
    for text in texts {
      let c = try ConvCase.parse(Data(text.utf8), source: "c.json")
      #expect(c.op == .relu, "\(text)")
    }
    let named = try ConvCase.parse(Data(texts[1].utf8), source: "c.json")
    #expect(named.name == "a\"b\\c/d\u{8}\u{c}\n\r\té😀")
    let big = try ConvCase.parse(Data(texts[3].utf8), source: "c.json")
    #expect(big.tensors["x"]?.data == [0, .infinity])
  }

  @Test(
    "invalid JSON says where",
    arguments: [
      ("{", "expected a key in double quotes, found the end of the file at line 1, column 2"),
      (#"{"op": 01}"#, "a number with a leading zero at line 1, column 9"),
      (#"{"op": [1,]}"#, "expected a value, found ']' at line 1, column 11"),
      (#"{"op": .5}"#, "expected a value, found '.' at line 1, column 8"),
      (#"{"op": 1.}"#, "expected a digit after '.', found '}' at line 1, column 10"),
      (#"{"op": NaN}"#, "expected a value, found 'N' at line 1, column 8"),
      ("{\"op\": \"a\u{1}\"}", "a control character (byte 0x01) in a string at line 1, column 10"),
      ("{}\n{}", "unexpected text after the end at line 2, column 1"),
      (
        String(repeating: "[", count: 101),
        "arrays and objects nested more than 100 deep at line 1, column 101"
      ),
    ])
  func invalid(text: String, reason: String) {
    #expect(
      inputErrorMessage { _ = try ConvCase.parse(Data(text.utf8), source: "c.json") }
        == "c.json: invalid JSON (\(reason))")
  }

  @Test("strings JSONDecoder could not decode, and repeated keys, read as they did")
  func undecodable() throws {
    let tail = #", "shapes": {"x": [1]}, "x": [1]"#
    #expect(
      inputErrorMessage {
        _ = try ConvCase.parse(Data((#"{"op": "\ud800""# + tail + "}").utf8), source: "c.json")
      } == #"c.json: field "op": expected a string"#)
    let lone = #"{"op": "relu", "name": "a\udc00b""# + tail + "}"
    #expect(try ConvCase.parse(Data(lone.utf8), source: "c.json").name == "c.json")
    let notUTF8 =
      Array(#"{"op": "relu", "name": ""#.utf8) + [0xFF] + Array(("\"" + tail + "}").utf8)
    #expect(try ConvCase.parse(Data(notUTF8), source: "c.json").name == "c.json")
    #expect(
      inputErrorMessage {
        _ = try ConvCase.parse(
          Data((#"{"op": "relu", "\ud800": 1"# + tail + "}").utf8), source: "c.json")
      } == "c.json: expected a JSON object at the top level")
    let twice = #"{"op": "relu", "x": [5], "op": "conv2d""# + tail + "}"
    let c = try ConvCase.parse(Data(twice.utf8), source: "c.json")
    #expect(c.op == .relu && c.tensors["x"]?.data == [5])
  }

  @Test("a number too large for a Double is not a number, as JSONDecoder said")
  func hugeNumbers() {
    #expect(
      inputErrorMessage {
        _ = try ConvCase.parse(
          Data(#"{"op": "relu", "shapes": {"x": [2]}, "x": [1, 1e400]}"#.utf8), source: "c.json")
      } == #"c.json: field "x": element 1 is not a number"#)
  }
}
