import ConvKernels

// MARK: - NetSpec

/// A network's architecture without its weights: what a `.net` file describes. Channel and
/// feature counts follow from the input shape (``shapes(input:)``), and ``initialized(input:seed:)``
/// makes the ``Network`` with seeded He weights.
public struct NetSpec: Sendable, Equatable {
  /// One layer's description.
  public enum Layer: Sendable, Equatable {
    /// A convolution with `filters` outputs; its input channels come from the shape before it.
    case conv2d(ConvLayerSpec)
    /// ReLU.
    case relu
    /// Max pooling.
    case maxPool2d(MaxPool2DConfig)
    /// `[N, C, H, W] → [N, C·H·W]`.
    case flatten
    /// A fully connected layer with `outputs` features; its inputs come from the shape before it.
    case linear(outputs: Int)
  }

  /// The layers, first to last.
  public var layers: [Layer]

  /// A network description of `layers`.
  public init(layers: [Layer]) {
    self.layers = layers
  }

  /// Layer `k`'s kind (with its weight shapes) for an input of shape `input`.
  public func kind(_ k: Int, input: [Int]) throws -> NetLayer.Kind {
    switch layers[k] {
    case .conv2d(let c):
      guard input.count == 4 else {
        throw ConvError.shapeMismatch(
          name: "conv input", expected: "[N, C, H, W] (a conv cannot follow flatten or linear)",
          actual: input)
      }
      let config = Conv2DConfig(
        inChannels: input[1], filters: c.filters, kernel: c.kernel, stride: c.stride,
        padding: c.padding, dilation: c.dilation, groups: c.groups, paddingMode: c.paddingMode)
      try config.validate()
      return .conv2d(config)
    case .relu: return .relu
    case .maxPool2d(let p): return .maxPool2d(p)
    case .flatten: return .flatten
    case .linear: return .linear
    }
  }

  /// Every layer's output shape (the first element is `input`), or the first layer that does
  /// not fit the shape it is given.
  public func shapes(input: [Int]) throws(NetShapeError) -> [[Int]] {
    var result = [input]
    for k in layers.indices {
      let shape = result[result.count - 1]
      do {
        // No weights are made: a shape check of a huge layer allocates nothing.
        let (kind, weights) = try shaped(k, input: shape)
        if case .linear = kind, let weights {
          result.append([shape[0], weights.w[0]])
        } else {
          result.append(try NetLayer(kind).outputShape(input: shape))
        }
      } catch {
        throw NetShapeError(layer: k, input: shape, reason: "\(error)")
      }
    }
    return result
  }

  /// The network for inputs of shape `input`, with He-initialised weights (normal, standard
  /// deviation `√(2 / fan_in)`, `fan_in` = the inputs one output reads) and zero biases, drawn
  /// from one ``SeededGenerator`` layer after layer: the same seed gives the same weights.
  public func initialized(input: [Int], seed: UInt64) throws(NetShapeError) -> Network {
    var generator = SeededGenerator(seed: seed)
    var shape = input
    var result: [NetLayer] = []
    for k in layers.indices {
      do {
        let (kind, weights) = try shaped(k, input: shape)
        var layer = NetLayer(kind)
        if let weights {
          let fanIn = weights.w.dropFirst().reduce(1, *)
          layer.weight = HeInit.normal(shape: weights.w, fanIn: fanIn, &generator)
          layer.bias = Tensor(shape: weights.b)
        }
        shape = try layer.outputShape(input: shape)
        result.append(layer)
      } catch {
        throw NetShapeError(layer: k, input: shape, reason: "\(error)")
      }
    }
    return Network(layers: result)
  }

  /// Layer `k`'s kind for `input` and, for conv2d and linear, the shapes of its weights and
  /// bias (their element counts checked against ``Tensor/maxElementCount``, nothing allocated).
  func shaped(_ k: Int, input: [Int]) throws -> (NetLayer.Kind, (w: [Int], b: [Int])?) {
    let kind = try kind(k, input: input)
    let shapes: (w: [Int], b: [Int])
    switch (kind, layers[k]) {
    case (.conv2d(let config), _): shapes = (config.weightShape, config.biasShape)
    case (.linear, .linear(let outputs)):
      guard input.count == 2 else {
        throw ConvError.shapeMismatch(
          name: "linear input", expected: "[N, features] (flatten first)", actual: input)
      }
      guard outputs >= 1 else {
        throw ConvError.invalidParameter(
          name: "linear outputs", value: "\(outputs)", requirement: "at least 1")
      }
      shapes = ([outputs, input[1]], [outputs])
    default: return (kind, nil)
    }
    _ = try Tensor.elementCount(of: shapes.w, name: "\(layers[k].name) weights")
    return (kind, shapes)
  }
}

extension NetSpec.Layer {
  /// The layer's keyword in a `.net` file: `conv`, `relu`, `maxpool`, `flatten`, `linear`.
  public var name: String {
    switch self {
    case .conv2d: "conv"
    case .relu: "relu"
    case .maxPool2d: "maxpool"
    case .flatten: "flatten"
    case .linear: "linear"
    }
  }
}

// MARK: - ConvLayerSpec

/// A convolution layer as a `.net` file gives it: everything but the input channels.
public struct ConvLayerSpec: Sendable, Equatable {
  /// Output channels `F`.
  public var filters: Int
  /// Kernel size.
  public var kernel: Size2
  /// Stride.
  public var stride: Size2
  /// Padding on each side.
  public var padding: Size2
  /// Dilation.
  public var dilation: Size2
  /// Groups.
  public var groups: Int
  /// What the padding cells hold.
  public var paddingMode: PaddingMode

  /// A convolution's description (PyTorch's defaults for what is not given).
  public init(
    filters: Int, kernel: Size2, stride: Size2 = 1, padding: Size2 = 0, dilation: Size2 = 1,
    groups: Int = 1, paddingMode: PaddingMode = .zeros
  ) {
    self.filters = filters
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
    self.dilation = dilation
    self.groups = groups
    self.paddingMode = paddingMode
  }
}

// MARK: - NetShapeError

/// A layer that does not fit the shape it is given: which layer (from 0), that shape, and why.
public struct NetShapeError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The layer's index, from 0.
  public var layer: Int
  /// The shape the layer is given.
  public var input: [Int]
  /// Why it does not fit, in one line.
  public var reason: String

  /// `layer K (input shape (…)): reason`.
  public var description: String {
    "layer \(layer + 1) (input shape \(ConvError.format(input))): \(reason)"
  }
}

// MARK: - HeInit

/// He (Kaiming) initialisation: normal weights with standard deviation `√(2 / fan_in)`, which
/// keeps a ReLU network's activations at a steady scale from layer to layer.
public enum HeInit {
  /// A tensor of `shape` drawn from `generator`.
  public static func normal(shape: [Int], fanIn: Int, _ generator: inout SeededGenerator)
    -> Tensor
  {
    var t = Tensor(shape: shape)
    let std = (2.0 / Double(max(1, fanIn))).squareRoot()
    for i in t.data.indices { t.data[i] = Float(generator.nextNormal() * std) }
    return t
  }
}
