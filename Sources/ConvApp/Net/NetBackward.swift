import ConvCore
import NumberText
import TermUI

// MARK: - NetBackwardWalk

/// "Backward through the network" (`b` on the net screen): a walk from the loss back to the
/// input, one layer a step, showing ∂loss/∂activation in every column already walked.
///
/// ``layer`` is the layer whose backward pass was the last one taken: it starts at the layer
/// count (the loss: ∂loss/∂logits = softmax − one-hot of the true label) and goes down to 0,
/// where ∂loss/∂x, the gradient at the image, is known. Column `k` (layer `k`'s output) shows
/// its gradient once `k + 1 ≥ layer`. The gradients are the network's own
/// (``Network/lossAndGradients(x:targets:backend:)``) for the image shown, and are made again
/// when the image or the weights change.
public struct NetBackwardWalk: Sendable, Equatable {
  /// The layer whose backward pass was taken last (the layer count: none yet, at the loss).
  public internal(set) var layer: Int
  /// The image the gradients are of.
  public let image: Int
  /// The network they were computed with.
  let network: Network
  /// The network's backward pass for the image (batch 1, its true label).
  public let gradients: NetworkGradients

  /// A walk at the loss for `image` (its true class `label`) through `network`.
  init(network: Network, x: Tensor, image: Int, label: Int) throws {
    self.network = network
    self.image = image
    gradients = try network.lossAndGradients(x: x, targets: [label])
    layer = network.layers.count
  }

  /// Whether the walk is at the loss (no layer's backward taken yet).
  public var atLoss: Bool { layer == network.layers.count }

  /// ∂loss/∂(column `k`'s values), once the walk has reached them; nil before.
  public func gradient(column k: Int) -> Tensor? {
    k + 1 >= layer && gradients.activationGradients.indices.contains(k + 1)
      ? gradients.activationGradients[k + 1] : nil
  }

  /// ∂loss/∂x (the image's gradient), once the walk has reached the input.
  public var inputGradient: Tensor? { layer == 0 ? gradients.activationGradients.first : nil }

  /// ∂loss/∂logits: softmax − one-hot of the true label.
  public var logitGradient: Tensor { gradients.activationGradients[network.layers.count] }

  /// The gradient the last step made: at the loss ∂loss/∂logits, else ∂loss/∂(layer's input).
  public var newest: Tensor { gradients.activationGradients[layer] }

  /// What the last step's backward pass did, in words, longest first (`unicode` false: ASCII
  /// spellings).
  public func explanation(unicode: Bool) -> [String] {
    guard !atLoss else {
      let d = Self.partial("logits", unicode)
      return ["\(d) = softmax − one-hot of the true class", "\(d) = softmax − one-hot"]
    }
    switch network.layers[layer].kind {
    case .relu:
      return [
        "ReLU backward: the gradient passes where its input > 0, zeroed where ≤ 0",
        "ReLU backward: zeroed where its input ≤ 0",
      ]
    case .maxPool2d:
      return [
        "max-pool backward: each gradient routed to its window's max, 0 elsewhere",
        "max-pool backward: routed to each window's max",
      ]
    case .conv2d:
      return [
        "conv backward: dx = dy convolved with the flipped kernels (and dw from x and dy)",
        "conv backward: dx = dy convolved with flipped kernels",
      ]
    case .linear:
      let t = unicode ? "ᵀ" : "^T"
      return [
        "linear backward: dx = W\(t)·dy (and dW = dy·x\(t))", "linear backward: dx = W\(t)·dy",
      ]
    case .flatten:
      return [
        "flatten backward: the gradient reshaped back to C×H×W", "flatten backward: reshaped",
      ]
    }
  }

  /// The gradient the last step made, named: `∂loss/∂logits`, `∂loss/∂x`,
  /// `∂loss/∂(layer 5's input)`.
  public func newestName(unicode: Bool) -> String {
    if atLoss { return Self.partial("logits", unicode) }
    return Self.partial(layer == 0 ? "x" : "(layer \(layer + 1)'s input)", unicode)
  }

  /// `∂loss/∂what` (`dloss/dwhat` in ASCII).
  static func partial(_ what: String, _ unicode: Bool) -> String {
    unicode ? "∂loss/∂\(what)" : "dloss/d\(what)"
  }
}

// MARK: - Keys and keeping up

extension NetModel {
  /// The walk's keys, before the screen's own: `b` starts it at the loss, then (as ↑/k) takes
  /// one layer's backward pass; ↓/j goes one back toward the loss; Esc, or `b` at the input,
  /// leaves it. True when the key was the walk's.
  mutating func backwardKey(_ key: Key) -> Bool {
    guard var walk = backward else {
      guard key == .character("b") else { return false }
      startBackward()
      return true
    }
    switch key {
    case .character("b") where walk.layer == 0, .escape:
      backward = nil
      return true
    case .character("b"), .up, .character("k"): walk.layer = max(0, walk.layer - 1)
    case .down, .character("j"): walk.layer = min(network.layers.count, walk.layer + 1)
    default: return false
    }
    backward = walk
    selectedLayer = min(walk.layer, network.layers.count - 1)
    return true
  }

  /// Starts the walk at the loss for the image shown (a failure says why).
  mutating func startBackward() {
    do {
      backward = try NetBackwardWalk(
        network: network, x: test.batch([imageIndex]).x, image: imageIndex, label: label)
      selectedLayer = network.layers.count - 1
    } catch {
      notice = "no gradients: \(error)"
    }
  }

  /// Makes the walk's gradients again, at the same layer, when the image or the weights have
  /// changed since (a failure ends the walk and says why).
  mutating func refreshBackward() {
    guard let walk = backward, walk.image != imageIndex || walk.network != network else { return }
    do {
      var again = try NetBackwardWalk(
        network: network, x: test.batch([imageIndex]).x, image: imageIndex, label: label)
      again.layer = walk.layer
      backward = again
    } catch {
      backward = nil
      notice = "no gradients: \(error)"
    }
  }
}

// MARK: - Drawing

extension NetPainter {
  /// What column `k` shows: its gradient once the walk has reached it, else its activation.
  func columnTensor(_ k: Int) -> (values: Tensor, gradient: Bool) {
    if let g = model.backward?.gradient(column: k) { return (g, true) }
    return (model.activations.values[k + 1], false)
  }

  /// The walk's line above the columns: where it is, the newest gradient's name and range,
  /// the keys, and how many columns are hidden on either side.
  func drawBackwardLine(
    into buffer: inout CellBuffer, area: Rect, walk: NetBackwardWalk,
    hidden: (left: Int, right: Int)
  ) {
    let count = model.network.layers.count
    let g = walk.newest
    let ascii = !caps.unicode
    let range =
      "\(NumberFormat.short(g.data.min() ?? 0, ascii: ascii, maxDecimals: 3))…"
      + NumberFormat.short(g.data.max() ?? 0, ascii: ascii, maxDecimals: 3)
    let place = walk.atLoss ? "backward: the loss" : "backward: layer \(walk.layer + 1) of \(count)"
    let target = walk.newestName(unicode: caps.unicode)
    // The place names the layer already.
    let shortTarget =
      walk.atLoss || walk.layer == 0
      ? target : NetBackwardWalk.partial("(its input)", caps.unicode)
    let keys = walk.layer == 0 ? "b or Esc leave" : "b/↑ back  ↓ forward  Esc leave"
    var more: [String] = []
    if hidden.left > 0 { more.append("\(symbols.moreLeft) \(hidden.left)") }
    if hidden.right > 0 { more.append("\(hidden.right) \(symbols.moreRight)") }
    let tail = text(more.joined(separator: "  "))
    let full = max(0, model.width - 1 - area.x)
    let width = tail.isEmpty ? full : max(0, full - tail.count - 3)
    // What the backward did, shortly, when the screen is wide (the status line says it too).
    // (At the loss the gradient's name says it all.)
    let what = walk.atLoss ? "" : " · " + walk.explanation(unicode: caps.unicode)[1]
    let lines = [
      "\(place)\(what) · \(target) \(range) · \(keys)", "\(place)\(what) · \(target) \(range)",
      "\(place) · \(target) \(range) · \(keys)", "\(place) · \(target) \(range)",
      "\(place) · \(shortTarget) \(range)", "\(place) · \(range)",
      (walk.atLoss ? "the loss" : "layer \(walk.layer + 1)/\(count)") + " · \(range)",
    ].map(text)
    let line = lines.first { $0.count <= width } ?? lines[lines.count - 1]
    let end = buffer.write(line, x: area.x, y: area.y, width: width, style: theme.emphasis)
    buffer.write(tail, x: end + 3, y: area.y, style: theme.scrollIndicator)
  }

  /// The status line's words while the walk is on: what the last backward pass did.
  var backwardNotes: [String]? {
    guard let walk = model.backward else { return nil }
    let what = walk.explanation(unicode: caps.unicode)
    let keys =
      walk.atLoss
      ? " · b or ↑ takes the last layer's backward pass"
      : walk.layer == 0 ? " · b or Esc leave" : " · b/↑ back  ↓ forward  Esc leave"
    let short = walk.layer == 0 ? " · b/Esc leave" : " · b/↑ back  Esc leave"
    return [what[0] + keys, what[0], what[1] + short, what[1]]
  }

  /// A logit's gradient as the bars show probabilities: two decimals (`−0.97`, `0.03`).
  static func gradientText(_ v: Float, unicode: Bool) -> String {
    let text = NumberFormat.decimals(Double(v), 2)
    return unicode ? text.replacing("-", with: "−") : text
  }

  /// Column `k`'s second header line: `grad 8×8×8`, shorter when the column is narrow.
  func gradientHeader(_ shape: String, width: Int) -> String {
    let forms = ["grad " + shape] + (caps.unicode ? ["∂" + shape] : []) + ["grad"]
    return forms.first { $0.count <= width } ?? "grad"
  }

  /// ∂loss/∂logits beside the class bars, one number a shown class, while the walk is on.
  func drawLogitGradients(into buffer: inout CellBuffer, x: Int, y: Int, classes: [Int]) {
    guard let walk = model.backward else { return }
    let g = walk.logitGradient
    buffer.write(text(caps.unicode ? "∂loss" : "dloss"), x: x, y: y - 2, style: theme.dim)
    let shader = Shader(capabilities: caps, range: g.maxAbs)
    for (row, k) in classes.enumerated() where g.data.indices.contains(k) {
      let v = g.data[k]
      buffer.write(
        Self.gradientText(v, unicode: caps.unicode), x: x, y: y + row,
        style: shader.shade(v).textStyle)
    }
  }
}
