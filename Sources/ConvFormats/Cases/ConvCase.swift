import ConvCore
import Foundation

// MARK: - ConvCase

/// One test-vector case in the `conv-vectors` JSON format (see `Tests/Fixtures/conv-vectors/README.md`).
///
/// Arrays are flat row-major lists with their shapes in `shapes`; `params` holds `stride`,
/// `padding`, `dilation` (conv2d) or `kernel`, `stride`, `padding` (maxpool2d), each `[h, w]`.
public struct ConvCase: Sendable {
  /// The operation a case describes.
  public enum Op: String, Sendable, CaseIterable {
    /// 2-D convolution.
    case conv2d
    /// 2-D max pooling.
    case maxpool2d
    /// Rectified linear unit.
    case relu
  }

  /// The article-style block of `conv_seed_b2`: the learning rate and the parameters after one
  /// SGD step.
  public struct SeedLayer: Sendable {
    /// The learning rate `alpha`.
    public var alpha: Float
    /// `w − alpha·dw`, flat (`[F, K, K]` data), when the file gives it.
    public var filtersAfterSGD: [Float]?
    /// `b − alpha·db`, when the file gives it.
    public var biasesAfterSGD: [Float]?
  }

  /// The case's name (`name` field, else the file name).
  public var name: String
  /// The operation.
  public var op: Op
  /// The tensors present in the file, by key (`x`, `w`, `b`, `dy`, `y`, `dx`, `dw`, `db`).
  public var tensors: [String: Tensor]
  /// The convolution parameters (conv2d), including channel and filter counts from the shapes.
  public var conv: Conv2DConfig?
  /// The pooling parameters (maxpool2d).
  public var pool: MaxPool2DConfig?
  /// The seed-layer block, when present.
  public var seedLayer: SeedLayer?
  /// Whether the file promises float32-exact expected values.
  public var exactInFloat32: Bool

  /// The keys of input tensors, in the order the operation reads them.
  public static let inputKeys = ["x", "w", "b", "dy"]
  /// The keys of expected results.
  public static let outputKeys = ["y", "dx", "dw", "db"]

  /// The tensor `key`, or an error naming the missing field.
  public func tensor(_ key: String) throws -> Tensor {
    guard let t = tensors[key] else {
      throw InputError(source: name, "missing field \"\(key)\" (needed for \(op.rawValue))")
    }
    return t
  }

  // MARK: Loading

  /// Reads and validates a case file.
  public static func load(path: String) throws -> ConvCase {
    let data = try FileReading.contents(of: path)
    return try parse(data, source: path)
  }

  /// Parses and validates a case from JSON bytes; `source` names it in errors.
  public static func parse(_ data: Data, source: String) throws -> ConvCase {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    } catch {
      throw InputError(source: source, "invalid JSON (\(JSONFields.reason(error)))")
    }
    guard let root = object as? [String: Any] else {
      throw InputError(source: source, "expected a JSON object at the top level")
    }
    let fields = JSONFields(root, source: source)
    let opName = try fields.string("op")
    guard let op = Op(rawValue: opName) else {
      throw InputError(
        source: source,
        "field \"op\": unknown operation \"\(opName)\" (expected conv2d, maxpool2d or relu)")
    }
    let name = (root["name"] as? String) ?? source
    let shapes = try fields.object("shapes")

    var tensors: [String: Tensor] = [:]
    for key in inputKeys + outputKeys where root[key] != nil {
      let values = try fields.floats(key)
      let shape = try shapes.shape(key)
      let count = try Tensor.elementCount(of: shape, name: "shapes.\(key)")
      guard count == values.count else {
        throw InputError(
          source: source,
          "field \"\(key)\": \(values.count) values but shapes.\(key) \(ConvError.format(shape)) "
            + "needs \(count)")
      }
      tensors[key] = try Tensor(shape: shape, data: values, name: key)
    }
    guard tensors["x"] != nil else {
      throw InputError(source: source, "missing field \"x\"")
    }

    var result = ConvCase(
      name: name, op: op, tensors: tensors, conv: nil, pool: nil, seedLayer: nil,
      exactInFloat32: (root["exact_in_float32"] as? Bool) ?? false)
    let params =
      root["params"] == nil ? JSONFields([:], source: source) : try fields.object("params")

    switch op {
    case .conv2d:
      result.conv = try convConfig(params: params, tensors: tensors, source: source)
    case .maxpool2d:
      result.pool = MaxPool2DConfig(
        kernel: try params.pair("kernel"), stride: try params.optionalPair("stride"),
        padding: try params.optionalPair("padding") ?? 0)
      do { try result.pool?.validate() } catch { throw InputError(source: source, "\(error)") }
    case .relu:
      break
    }

    if root["seed_layer"] != nil {
      let block = try fields.object("seed_layer")
      result.seedLayer = SeedLayer(
        alpha: Float(try block.number("alpha")),
        filtersAfterSGD: block.has("filters_after_sgd")
          ? try block.floats("filters_after_sgd") : nil,
        biasesAfterSGD: block.has("biases_after_sgd") ? try block.floats("biases_after_sgd") : nil)
    }
    return result
  }

  static func convConfig(params: JSONFields, tensors: [String: Tensor], source: String) throws
    -> Conv2DConfig
  {
    guard let x = tensors["x"], x.rank == 4 else {
      throw InputError(source: source, "shapes.x must be [N, C, H, W]")
    }
    guard let w = tensors["w"] else {
      throw InputError(source: source, "missing field \"w\" (needed for conv2d)")
    }
    guard w.rank == 4 else {
      throw InputError(source: source, "shapes.w must be [F, C, KH, KW]")
    }
    guard tensors["b"] != nil else {
      throw InputError(source: source, "missing field \"b\" (needed for conv2d)")
    }
    let config = Conv2DConfig(
      inChannels: w.shape[1], filters: w.shape[0], kernel: Size2(w.shape[2], w.shape[3]),
      stride: try params.optionalPair("stride") ?? 1,
      padding: try params.optionalPair("padding") ?? 0,
      dilation: try params.optionalPair("dilation") ?? 1)
    do {
      let g = try ConvGeometry(config: config, inputShape: x.shape)
      if let b = tensors["b"] { try b.requireShape(config.biasShape, name: "b") }
      if let dy = tensors["dy"] { try dy.requireShape(g.outputShape, name: "dy") }
    } catch let error as ConvError {
      throw InputError(source: source, "\(error)")
    }
    return config
  }
}
