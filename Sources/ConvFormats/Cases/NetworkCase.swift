import ConvCore

// MARK: - NetworkCase

/// A `"op": "network"` case: a small CNN, its input's class indices and what PyTorch computed
/// (see the "network" section of `Tests/Fixtures/conv-vectors/README.md`).
///
/// `layers` is a list of `{"type": "conv2d" | "relu" | "maxpool2d" | "flatten" | "linear", …}`;
/// conv2d takes the conv2d case's `params` (groups and padding modes too), linear `w [out, in]`
/// and `b [out]`. The loss is `cross_entropy_mean`.
public struct NetworkCase: Sendable {
  /// The layers with their weights.
  public var network: Network
  /// One class index per image.
  public var targets: [Int]
  /// The expected logits `[N, classes]`, when the file gives them.
  public var expectedLogits: Tensor?
  /// The expected mean loss, when the file gives it.
  public var expectedLoss: Double?
  /// Each layer's expected `dw` and `db` (both nil for a layer without weights or without an
  /// `expected` block).
  public var expectedLayers: [LayerGradients]

  /// The layer types a case may hold.
  static let layerTypes = "conv2d, relu, maxpool2d, flatten or linear"

  /// The network block of a case whose tensors (`x`, `dx`, `logits`) are read already.
  static func read(_ root: JSONFields, tensors: [String: Tensor]) throws -> NetworkCase {
    if let loss = root.optionalString("loss"), loss != "cross_entropy_mean" {
      throw InputError(
        "field \"loss\": \"\(loss)\" is not a loss convscope computes "
          + "(expected cross_entropy_mean)")
    }
    var layers: [NetLayer] = []
    var expected: [LayerGradients] = []
    for fields in try root.objects("layers") {
      let (layer, grads) = try Self.layer(fields)
      layers.append(layer)
      expected.append(grads)
    }
    guard !layers.isEmpty else { throw InputError("field \"layers\": no layers") }
    let network = Network(layers: layers)
    guard let x = tensors["x"] else { throw InputError("missing field \"x\"") }
    let shapes: [[Int]]
    do { shapes = try network.shapes(input: x.shape) } catch {
      throw InputError("field \"layers\": \(error)")
    }
    let targets = try root.ints("target")
    let out = shapes[shapes.count - 1]
    guard out.count == 2 else {
      throw InputError(
        "field \"layers\": the last layer gives \(ConvError.format(out)), not logits [N, classes]")
    }
    do {
      try CrossEntropy.requireTargets(targets, batch: out[0], classes: out[1])
      try tensors["logits"]?.requireShape(out, name: "logits")
      try tensors["dx"]?.requireShape(x.shape, name: "dx")
    } catch { throw InputError("\(error)") }
    return NetworkCase(
      network: network, targets: targets, expectedLogits: tensors["logits"],
      expectedLoss: root.optionalNumber("loss_value"), expectedLayers: expected)
  }

  /// One layer and its expected gradients, read from `fields` (`layers[k]`).
  static func layer(_ fields: JSONFields) throws -> (NetLayer, LayerGradients) {
    let type = try fields.string("type")
    let params = fields.has("params") ? try fields.object("params") : nil
    switch type {
    case "relu": return (NetLayer(.relu), LayerGradients())
    case "flatten": return (NetLayer(.flatten), LayerGradients())
    case "maxpool2d":
      return (NetLayer(.maxPool2d(try ConvCase.poolConfig(params: params))), LayerGradients())
    case "conv2d", "linear":
      let (w, b) = try Self.weights(fields)
      let kind: NetLayer.Kind
      if type == "conv2d" {
        guard w.rank == 4 else {
          throw InputError("field \"\(fields.path).shapes.w\": expected [F, C/groups, KH, KW]")
        }
        let spec = try ConvCase.generalSpec(params: params, transposed: false)
        kind = .conv2d(
          Conv2DConfig(
            inChannels: w.shape[1] * spec.groups, filters: w.shape[0],
            kernel: Size2(w.shape[2], w.shape[3]), stride: spec.stride, padding: spec.padding,
            dilation: spec.dilation, groups: spec.groups, paddingMode: spec.paddingMode))
      } else {
        guard w.rank == 2 else {
          throw InputError("field \"\(fields.path).shapes.w\": expected [out, in]")
        }
        kind = .linear
      }
      return (NetLayer(kind, weight: w, bias: b), try Self.expected(fields, w: w, b: b))
    default:
      throw InputError(
        "field \"\(fields.path).type\": unknown layer \"\(type)\" (expected \(layerTypes))")
    }
  }

  /// A weighted layer's `w` and `b`, checked against its `shapes`.
  static func weights(_ fields: JSONFields) throws -> (Tensor, Tensor) {
    let shapes = try fields.object("shapes")
    var result: [Tensor] = []
    for key in ["w", "b"] {
      let shape = try shapes.shape(key)
      let values = try fields.floats(key)
      let count = try Tensor.elementCount(of: shape, name: "\(shapes.path).\(key)")
      guard values.count == count else {
        throw InputError(
          "field \"\(fields.fieldName(key))\": \(values.count) values but "
            + "\(shapes.fieldName(key)) \(ConvError.format(shape)) needs \(count)")
      }
      result.append(try Tensor(shape: shape, data: values, name: key))
    }
    guard result[1].shape == [result[0].shape[0]] else {
      throw InputError(
        "field \"\(fields.fieldName("b"))\": shape \(ConvError.format(result[1].shape)) but "
          + "w \(ConvError.format(result[0].shape)) needs (\(result[0].shape.first ?? 0),)")
    }
    return (result[0], result[1])
  }

  /// The layer's `expected.dw` and `expected.db`, shaped like `w` and `b`.
  static func expected(_ fields: JSONFields, w: Tensor, b: Tensor) throws -> LayerGradients {
    guard fields.has("expected") else { return LayerGradients() }
    let block = try fields.object("expected")
    var result = LayerGradients()
    for (key, like) in [("dw", w), ("db", b)] where block.has(key) {
      let values = try block.floats(key)
      guard values.count == like.count else {
        throw InputError(
          "field \"\(block.fieldName(key))\": \(values.count) values but the layer's "
            + "\(key.dropFirst()) has \(like.count)")
      }
      let t = try Tensor(shape: like.shape, data: values, name: key)
      if key == "dw" { result.dw = t } else { result.db = t }
    }
    return result
  }
}
