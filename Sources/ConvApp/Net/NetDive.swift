import ConvCore
import ConvStepper

// MARK: - NetDive

/// "Dive in" (Enter on the net screen): the single-layer viewer's ``Scenario`` for a layer of
/// the network, made of the network's real tensors for the image shown.
///
/// The viewer walks a conv block (conv → optional ReLU → optional max-pool), so a layer is
/// entered with its block: a conv layer with the ReLU and the max-pool that follow it, a ReLU
/// or a max-pool with the conv before it (the walk then starts at their phase). A ReLU or a
/// max-pool with no conv before it gets an identity 1×1 convolution (`w = δ`, `b = 0`) in
/// front, said so in the scenario's text. The block's input is the network's activation
/// there, its `dy` the gradient the network's backward pass (cross-entropy against the true
/// label) delivers to the block's output. Flatten and linear layers cannot be entered.
public struct NetDive: Sendable, Equatable {
  /// The layers the block covers (its first layer is where its input comes from).
  public let layers: ClosedRange<Int>
  /// The block's conv layer; nil when an identity convolution stands in.
  public let conv: Int?
  /// The block's ReLU layer, if any.
  public let relu: Int?
  /// The block's max-pool layer, if any.
  public let pool: Int?
  /// The layer entered.
  public let entered: Int

  /// The block of `layer` in `network`, or why it cannot be entered.
  public static func block(of layer: Int, in network: Network) throws(NetDiveRefusal) -> NetDive {
    let kinds = network.layers.map(\.kind)
    guard kinds.indices.contains(layer) else { throw .noLayer(layer) }
    func isConv(_ k: Int) -> Bool {
      guard kinds.indices.contains(k), case .conv2d = kinds[k] else { return false }
      return true
    }
    func isReLU(_ k: Int) -> Bool { kinds.indices.contains(k) && kinds[k] == .relu }
    func isPool(_ k: Int) -> Bool {
      guard kinds.indices.contains(k), case .maxPool2d = kinds[k] else { return false }
      return true
    }
    let start: Int
    switch kinds[layer] {
    case .conv2d: start = layer
    case .relu: start = isConv(layer - 1) ? layer - 1 : layer
    case .maxPool2d:
      if isReLU(layer - 1) {
        start = isConv(layer - 2) ? layer - 2 : layer - 1
      } else {
        start = isConv(layer - 1) ? layer - 1 : layer
      }
    case .flatten, .linear: throw .notEnterable(layer, network.layers[layer].typeName)
    }
    var next = start
    let conv = isConv(next) ? next : nil
    if conv != nil { next += 1 }
    let relu = isReLU(next) ? next : nil
    if relu != nil { next += 1 }
    let pool = isPool(next) ? next : nil
    if pool != nil { next += 1 }
    return NetDive(layers: start...(next - 1), conv: conv, relu: relu, pool: pool, entered: layer)
  }

  /// The phase the walk starts in: the entered layer's.
  public var startPhase: Phase {
    if entered == pool { return .pool }
    if entered == relu { return .relu }
    return .forward
  }

  /// The scenario for the layer entered: the block's input is `activations.values[first]`,
  /// `dy` is `gradients.activationGradients[last + 1]` (both for one image, batch 1).
  /// `titles` are the layers' `.net` lines; `image` and `label` name the image in the title
  /// (`image` nil: the user's drawing, `label` the class its gradient is taken against).
  public func scenario(
    network: Network, activations: NetworkActivations, gradients: NetworkGradients,
    titles: [String], image: Int?, label: String, learningRate: Float
  ) throws -> Scenario {
    let x = activations.values[layers.lowerBound]
    let input = x.rank == 2 ? try x.reshaped([x.shape[0], x.shape[1], 1, 1]) : x
    guard input.rank == 4 else {
      throw ConvError.invalidParameter(
        name: "layer \(entered + 1)'s input", value: ConvError.format(x.shape),
        requirement: "[N, C, H, W] or [N, F]")
    }
    let (config, weight, bias) = try convolution(network, channels: input.shape[1])
    var pooling: MaxPool2DConfig?
    if let pool, case .maxPool2d(let p) = network.layers[pool].kind { pooling = p }
    var scenario = Scenario(
      title: title(titles, image: image, label: label), text: text(titles, flat: x.rank == 2),
      config: config, input: input, weight: weight, bias: bias, relu: relu != nil,
      pool: pooling, learningRate: learningRate, startPhase: startPhase)
    let dy = gradients.activationGradients[layers.upperBound + 1]
    scenario.gradient = .tensor(try dy.reshaped(try scenario.blockOutputShape()))
    return try scenario.validated()
  }

  /// The block's convolution: the network's, or the identity on `channels` channels.
  private func convolution(_ network: Network, channels: Int) throws -> (
    Conv2DConfig, Tensor, Tensor
  ) {
    if let conv, case .conv2d(let config) = network.layers[conv].kind {
      guard let w = network.layers[conv].weight, let b = network.layers[conv].bias else {
        throw ConvError.missingPass(needed: "weights and a bias", by: "layer \(conv + 1)")
      }
      return (config, w, b)
    }
    var identity = Tensor(shape: [channels, channels, 1, 1])
    for c in 0..<channels { identity.data[c * channels + c] = 1 }
    let config = Conv2DConfig(inChannels: channels, filters: channels, kernel: 1)
    return (config, identity, Tensor(shape: [channels]))
  }

  /// `layer 1: conv 8 3x3 pad 1 · image 12 (true 3)`: the block's first layer (the viewer's
  /// title bar names the ReLU and the pooling after it).
  /// A drawing is `your drawing (as 3)`: its gradient is taken against the class predicted.
  func title(_ titles: [String], image: Int?, label: String) -> String {
    let first = layers.lowerBound
    let name = titles.indices.contains(first) ? titles[first].trimmingSpaces : "?"
    let identity = conv == nil ? " (after an identity conv)" : ""
    let subject = image.map { "image \($0 + 1) (true \(label))" } ?? "your drawing (as \(label))"
    return "layer \(first + 1): \(name)\(identity) · \(subject)"
  }

  /// The block's layers, where the tensors came from, for the viewer's notes.
  func text(_ titles: [String], flat: Bool) -> String {
    let first = layers.lowerBound + 1
    let last = layers.upperBound + 1
    var lines: [String] = []
    if first != last {
      let names = layers.map { titles.indices.contains($0) ? titles[$0].trimmingSpaces : "?" }
      lines.append("Layers \(first)–\(last) as one block: \(names.joined(separator: " → ")).")
    }
    if conv == nil {
      let what = relu != nil ? "ReLU" : "max-pool"
      lines.append(
        "No convolution comes before this \(what): an identity 1×1 convolution "
          + "(w[f,c] = 1 where f = c, else 0; b = 0) "
          + "stands in, so its output is layer \(first)'s input unchanged"
          + (flat ? "; its input [N, F] is seen as [N, F, 1, 1] (F channels of 1×1)." : "."))
    }
    lines.append(
      "The network's own tensors: x is layer \(first)'s input for this image, "
        + (conv == nil ? "" : "w and b are the network's weights, ")
        + "and dy is the loss's gradient at layer \(last)'s output, from the "
        + "network's backward pass (cross-entropy against the true class). Esc goes back to the "
        + "network.")
    return lines.joined(separator: "\n")
  }
}

// MARK: - NetDiveRefusal

/// Why a layer cannot be entered.
public enum NetDiveRefusal: Error, Sendable, Equatable, CustomStringConvertible {
  /// There is no layer at this index.
  case noLayer(Int)
  /// A flatten or linear layer (its type name).
  case notEnterable(Int, String)

  /// One line for the status bar.
  public var description: String {
    switch self {
    case .noLayer(let k): return "there is no layer \(k + 1)"
    case .notEnterable(let k, let type):
      return "layer \(k + 1) (\(type)): Enter opens only conv, ReLU and max-pool layers"
    }
  }
}
