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
    /// Transposed 2-D convolution (PyTorch's `ConvTranspose2d`).
    case convTranspose2d = "conv_transpose2d"
    /// A whole network and its cross-entropy loss (``ConvCase/network``).
    case network
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
  /// The convolution parameters (conv2d, with its groups and padding mode), including channel and
  /// filter counts from the shapes.
  public var conv: Conv2DConfig?
  /// A transposed convolution: computed by ``GeneralReference`` only (`compute`); nil for a
  /// conv2d (groups and padding modes too), which has ``conv``.
  public var general: GeneralConvSpec?
  /// The pooling parameters (maxpool2d).
  public var pool: MaxPool2DConfig?
  /// The seed-layer block, when present.
  public var seedLayer: SeedLayer?
  /// A network case's layers, targets and expected values (`"op": "network"`).
  public var network: NetworkCase?
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

  /// The largest case file read (64 MiB): larger ones are refused from their size, before
  /// reading. Reading takes memory proportional to the file (about its size plus 4 bytes a
  /// value).
  public static let maxFileSize = 64 << 20

  /// Reads and validates a case file.
  public static func load(path: String) throws -> ConvCase {
    let data = try FileReading.contents(of: path, limit: maxFileSize, kind: "case file")
    return try parse(data, source: path)
  }

  /// Parses and validates a case from JSON bytes; `source` names it in errors.
  public static func parse(_ data: Data, source: String) throws -> ConvCase {
    let document: JSONValue
    do {
      document = try data.withUnsafeBytes { raw in
        try JSONScanner.parse(raw.bindMemory(to: UInt8.self))
      }
    } catch let error as JSONSyntaxError {
      throw InputError(source: source, "invalid JSON (\(error.reason))")
    }
    guard case .object(let members) = document else {
      throw InputError(source: source, "expected a JSON object at the top level")
    }
    let root = JSONFields(members)
    do {
      var c = try ConvCase.read(root)
      c.name = root.optionalString("name") ?? source
      return c
    } catch let error as InputError {
      throw InputError(source: source, error.message)
    } catch let error as ConvError {
      // A shape over the element limit (found by the fuzz target): named after the file too.
      throw InputError(source: source, "\(error)")
    }
  }

  /// The case in `root`, checked: the operation, the tensors against their shapes, the
  /// operation's parameters, the seed-layer block.
  static func read(_ root: JSONFields) throws -> ConvCase {
    let opName = try root.string("op")
    guard let op = Op(rawValue: opName) else {
      throw InputError(
        "field \"op\": unknown operation \"\(opName)\" (expected conv2d, conv_transpose2d, "
          + "maxpool2d, relu or network)")
    }
    let tensors = try Self.tensors(root, extra: op == .network ? ["logits"] : [])
    var c = ConvCase(
      name: "", op: op, tensors: tensors, conv: nil, general: nil, pool: nil,
      seedLayer: nil, exactInFloat32: root.optionalBool("exact_in_float32") ?? false)
    let params = root.contains("params") ? try root.object("params") : nil
    switch op {
    case .conv2d:
      let spec = try Self.generalSpec(params: params, transposed: false)
      c.conv = try Self.convConfig(params: params, tensors: tensors, spec: spec)
    case .convTranspose2d:
      c.general = try Self.checked(
        Self.generalSpec(params: params, transposed: true), tensors: tensors)
    case .maxpool2d:
      c.pool = try Self.poolConfig(params: params)
    case .relu:
      break
    case .network:
      c.network = try NetworkCase.read(root, tensors: tensors)
    }
    if root.contains("seed_layer") {
      c.seedLayer = try Self.seedLayer(try root.object("seed_layer"))
    }
    return c
  }

  /// The input and expected tensors present in the file, each checked against its shape.
  static func tensors(_ root: JSONFields, extra: [String] = []) throws -> [String: Tensor] {
    let shapes = try root.object("shapes")
    var tensors: [String: Tensor] = [:]
    for key in inputKeys + outputKeys + extra where root.contains(key) {
      let values = try root.floats(key)
      let shape = try shapes.shape(key)
      let count = try Tensor.elementCount(of: shape, name: "shapes.\(key)")
      guard count == values.count else {
        throw InputError(
          "field \"\(key)\": \(values.count) values but shapes.\(key) \(ConvError.format(shape)) "
            + "needs \(count)")
      }
      tensors[key] = try Tensor(shape: shape, data: values, name: key)
    }
    guard tensors["x"] != nil else { throw InputError("missing field \"x\"") }
    return tensors
  }

  /// Max pooling's `kernel`, `stride` and `padding`, checked.
  static func poolConfig(params: JSONFields?) throws -> MaxPool2DConfig {
    guard let params else { throw InputError("missing field \"kernel\"") }
    let config = MaxPool2DConfig(
      kernel: try params.pair("kernel"), stride: try params.optionalPair("stride"),
      padding: try params.optionalPair("padding") ?? 0)
    do { try config.validate() } catch { throw InputError("\(error)") }
    return config
  }

  /// The `seed_layer` block: `alpha` and, when given, the parameters after one SGD step.
  static func seedLayer(_ block: JSONFields) throws -> SeedLayer {
    SeedLayer(
      alpha: Float(try block.number("alpha")),
      filtersAfterSGD: block.has("filters_after_sgd") ? try block.floats("filters_after_sgd") : nil,
      biasesAfterSGD: block.has("biases_after_sgd") ? try block.floats("biases_after_sgd") : nil)
  }

  /// The convolution's parameters: channels, filters and kernel from the shapes, the rest from
  /// `params`, checked against `x`, `b` and `dy`.
  static func convConfig(
    params: JSONFields?, tensors: [String: Tensor], spec: GeneralConvSpec = GeneralConvSpec()
  ) throws -> Conv2DConfig {
    guard let x = tensors["x"], x.rank == 4 else {
      throw InputError("shapes.x must be [N, C, H, W]")
    }
    guard let w = tensors["w"] else {
      throw InputError("missing field \"w\" (needed for conv2d)")
    }
    guard w.rank == 4 else {
      throw InputError("shapes.w must be [F, C/groups, KH, KW]")
    }
    guard tensors["b"] != nil else {
      throw InputError("missing field \"b\" (needed for conv2d)")
    }
    let groups = spec.groups
    guard x.shape[1] % groups == 0, w.shape[0] % groups == 0, w.shape[1] * groups == x.shape[1]
    else {
      throw InputError(
        "field \"params.groups\": \(groups) does not fit x \(x.shape) and w \(w.shape) "
          + "(C and F must be multiples of groups, and w [F, C/groups, KH, KW])")
    }
    let config = Conv2DConfig(
      inChannels: x.shape[1], filters: w.shape[0], kernel: Size2(w.shape[2], w.shape[3]),
      stride: spec.stride, padding: spec.padding, dilation: spec.dilation, groups: groups,
      paddingMode: spec.paddingMode)
    do {
      let g = try ConvGeometry(config: config, inputShape: x.shape)
      if let b = tensors["b"] { try b.requireShape(config.biasShape, name: "b") }
      if let dy = tensors["dy"] { try dy.requireShape(g.outputShape, name: "dy") }
    } catch let error as ConvError {
      throw InputError("\(error)")
    }
    return config
  }

  // MARK: - Groups, padding modes, transposed

  /// The general parameters of a conv2d or conv_transpose2d case (defaults: conv2d's).
  static func generalSpec(params: JSONFields?, transposed: Bool) throws -> GeneralConvSpec {
    var spec = GeneralConvSpec(transposed: transposed)
    guard let params else { return spec }
    spec.stride = try params.optionalPair("stride") ?? 1
    spec.padding = try params.optionalPair("padding") ?? 0
    spec.dilation = try params.optionalPair("dilation") ?? 1
    if transposed { spec.outputPadding = try params.optionalPair("output_padding") ?? 0 }
    if params.has("groups") {
      let groups = try params.number("groups")
      guard groups == groups.rounded(), groups >= 1, groups <= 65_536 else {
        throw InputError("field \"params.groups\": expected a whole number from 1 to 65536")
      }
      spec.groups = Int(groups)
    }
    if params.has("padding_mode") {
      let mode = try params.string("padding_mode")
      guard let m = PaddingMode(rawValue: mode), !(transposed && m != .zeros) else {
        throw InputError(
          "field \"params.padding_mode\": \"\(mode)\" is not a padding mode"
            + (transposed ? " of a transposed convolution (only \"zeros\")" : "")
            + "; expected zeros, reflect, replicate or circular")
      }
      spec.paddingMode = m
    }
    return spec
  }

  /// `spec` after checking the case's tensors against it (x, w, b, and dy's shape).
  static func checked(_ spec: GeneralConvSpec, tensors: [String: Tensor]) throws
    -> GeneralConvSpec
  {
    guard let x = tensors["x"], let w = tensors["w"], tensors["b"] != nil else {
      throw InputError("missing field \"x\", \"w\" or \"b\" (needed for a convolution)")
    }
    do {
      let out = try GeneralReference.outputShape(x: x.shape, w: w.shape, spec: spec)
      try tensors["b"]?.requireShape([out[1]], name: "b")
      if let dy = tensors["dy"] { try dy.requireShape(out, name: "dy") }
    } catch let error as ConvError {
      throw InputError("\(error)")
    }
    return spec
  }
}
