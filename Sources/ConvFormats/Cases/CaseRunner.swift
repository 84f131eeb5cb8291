import ConvCore
import Foundation

// MARK: - CaseResult

/// What convscope computes for a case: the same keys as the file's expected values.
public struct CaseResult: Sendable {
  /// Computed tensors by key: `y`, `dx`, `dw`, `db`, and for seed-layer cases
  /// `filters_after_sgd`, `biases_after_sgd`.
  public var tensors: [String: Tensor]
  /// The order in which keys are written.
  public var keys: [String]
}

// MARK: - CaseRunner

/// Runs a ``ConvCase`` through ConvCore.
public enum CaseRunner {
  /// Computes `y` (and `dx`, `dw`, `db` when the case has `dy`) with `backend`; a transposed
  /// convolution with ``GeneralReference`` (the oracle) for `.reference`, else with
  /// ``TransposedConv`` (the conv2d kernels).
  public static func run(_ c: ConvCase, backend: ConvBackend = .fast) throws -> CaseResult {
    guard c.op != .network else {
      throw InputError(source: c.name, "a whole network: computed by runNetwork")
    }
    do {
      return try compute(c, backend: backend)
    } catch let error as ConvError {
      throw InputError(source: c.name, "\(error)")
    }
  }

  static func compute(_ c: ConvCase, backend: ConvBackend) throws -> CaseResult {
    let x = try c.tensor("x")
    var out: [String: Tensor] = [:]
    var keys: [String] = []
    func put(_ key: String, _ t: Tensor) {
      out[key] = t
      keys.append(key)
    }
    if let spec = c.general {
      // Transposed convolutions: the Double oracle, or the conv2d kernels run transposed.
      let (w, b) = (try c.tensor("w"), try c.tensor("b"))
      let oracle = backend == .reference
      put(
        "y",
        try oracle
          ? GeneralReference.forward(x: x, weight: w, bias: b, spec: spec)
          : TransposedConv.forward(x: x, weight: w, bias: b, spec: spec))
      if let dy = c.tensors["dy"] {
        let g =
          try oracle
          ? GeneralReference.backward(x: x, weight: w, dy: dy, spec: spec)
          : TransposedConv.backward(x: x, weight: w, dy: dy, spec: spec)
        put("dx", g.dx)
        put("dw", g.dw)
        put("db", g.db)
      }
      return CaseResult(tensors: out, keys: keys)
    }
    switch c.op {
    case .convTranspose2d, .network:
      throw InputError(source: c.name, "missing params")
    case .conv2d:
      guard let config = c.conv else { throw InputError(source: c.name, "missing params") }
      let w = try c.tensor("w")
      let b = try c.tensor("b")
      put("y", try Conv2D.forward(x: x, weight: w, bias: b, config: config, backend: backend))
      if let dy = c.tensors["dy"] {
        let g = try Conv2D.backward(x: x, weight: w, dy: dy, config: config, backend: backend)
        put("dx", g.dx)
        put("dw", g.dw)
        put("db", g.db)
        if let seed = c.seedLayer {
          put("filters_after_sgd", SGD.step(w, gradient: g.dw, learningRate: seed.alpha))
          put("biases_after_sgd", SGD.step(b, gradient: g.db, learningRate: seed.alpha))
        }
      }
    case .maxpool2d:
      guard let config = c.pool else { throw InputError(source: c.name, "missing params") }
      let pooled = try MaxPool2D.forward(x, config: config)
      put("y", pooled.y)
      if let dy = c.tensors["dy"] {
        try dy.requireShape(pooled.y.shape, name: "dy")
        put("dx", try MaxPool2D.backward(inputShape: x.shape, dy: dy, argmax: pooled.argmax))
      }
    case .relu:
      put("y", ReLU.forward(x))
      if let dy = c.tensors["dy"] { put("dx", try ReLU.backward(x: x, dy: dy)) }
    }
    return CaseResult(tensors: out, keys: keys)
  }

  /// A network case's logits, loss, `dx` and every layer's `dw` and `db`, with `backend` (the
  /// fast path, or the Double oracle for `.reference`).
  public static func runNetwork(_ c: ConvCase, backend: ConvBackend = .fast) throws
    -> NetworkGradients
  {
    guard let net = c.network else { throw InputError(source: c.name, "not a network case") }
    do {
      return try net.network.lossAndGradients(
        x: try c.tensor("x"), targets: net.targets, backend: backend)
    } catch let error as ConvError {
      throw InputError(source: c.name, "\(error)")
    }
  }

  /// A network's result as JSON (several lines): `name`, `op`, `shapes` (logits, dx), `logits`,
  /// `loss`, `dx` and `layers`, one object a layer: `{"dw", "db"}` for a layer with weights,
  /// `{}` for one without.
  public static func networkJSON(_ g: NetworkGradients, name: String) throws -> String {
    try JSONOutput.text(NetworkOutput(result: g, name: name), layout: .pretty)
  }

  /// The result as JSON (several lines): `name`, `op`, `shapes`, then each key as a flat
  /// row-major array.
  ///
  /// Values are written as the shortest decimal that reads back as the same `Float`;
  /// NaN and infinities (not JSON numbers) are written as `null`.
  public static func json(_ result: CaseResult, name: String, op: ConvCase.Op) throws -> String {
    try JSONOutput.text(ComputeOutput(result: result, name: name, op: op), layout: .pretty)
  }
}

// MARK: - ComputeOutput

/// What `convscope compute` writes: `name`, `op`, `shapes` and the computed tensors.
struct ComputeOutput: Encodable {
  let result: CaseResult
  let name: String
  let op: ConvCase.Op

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: JSONKey.self)
    try c.encode(name, forKey: JSONKey("name"))
    try c.encode(op.rawValue, forKey: JSONKey("op"))
    var shapes = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("shapes"))
    for key in result.keys {
      guard let t = result.tensors[key] else { continue }
      try shapes.encode(t.shape, forKey: JSONKey(key))
      try c.encode(t.jsonValues, forKey: JSONKey(key))
    }
  }
}

// MARK: - NetworkOutput

/// What `convscope compute` writes for a network case.
struct NetworkOutput: Encodable {
  let result: NetworkGradients
  let name: String

  struct Layer: Encodable {
    let grads: LayerGradients

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: JSONKey.self)
      if let dw = grads.dw { try c.encode(dw.jsonValues, forKey: JSONKey("dw")) }
      if let db = grads.db { try c.encode(db.jsonValues, forKey: JSONKey("db")) }
    }
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: JSONKey.self)
    try c.encode(name, forKey: JSONKey("name"))
    try c.encode(ConvCase.Op.network.rawValue, forKey: JSONKey("op"))
    var shapes = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("shapes"))
    try shapes.encode(result.logits.shape, forKey: JSONKey("logits"))
    try shapes.encode(result.dx.shape, forKey: JSONKey("dx"))
    try c.encode(result.logits.jsonValues, forKey: JSONKey("logits"))
    try c.encode(JSONFloat(Float(result.loss)), forKey: JSONKey("loss"))
    try c.encode(result.dx.jsonValues, forKey: JSONKey("dx"))
    try c.encode(result.layers.map(Layer.init), forKey: JSONKey("layers"))
  }
}
