import ConvCore
import Foundation
import TermUI

// MARK: - NetModel

/// The state of `convscope net`'s overview: a trained (or freshly initialised) network, the
/// test images, the image shown and the layer selected, and that image's forward activations.
///
/// Only ``updateNet(_:_:)`` changes it; ``netView(_:)`` draws it.
public struct NetModel: Sendable {
  /// The network, with its weights (as trained so far, when the screen trains it).
  public internal(set) var network: Network
  /// The test images `[N, C, H, W]` and their labels.
  public let test: TrainingSet
  /// The name of each class, by index.
  public let classNames: [String]
  /// Each layer as its `.net` line says it (`conv 8 3x3 pad 1`), one per layer.
  public let layerTitles: [String]
  /// The network's name (`digits`, a file's path).
  public let netName: String
  /// The weights file shown (nil: the untrained He weights of ``seed``).
  public let weightsFile: String?
  /// The seed of the initial weights.
  public let seed: UInt64

  /// The test image shown, from 0.
  public internal(set) var imageIndex = 0
  /// The layer column selected, from 0 (the first layer's output).
  public internal(set) var selectedLayer = 0
  /// The forward pass of the image shown: the image, then each layer's output.
  public internal(set) var activations: NetworkActivations
  /// Why the last forward pass failed, when it did (the previous activations stay).
  public internal(set) var problem: String?
  /// What the terminal can show.
  public internal(set) var capabilities: Capabilities = .plain
  /// The screen's width in cells.
  public internal(set) var width = 80
  /// The screen's height in cells.
  public internal(set) var height = 24
  /// Whether the keys' box (`?`) is open.
  public internal(set) var showsHelp = false
  /// How far the keys' box is scrolled.
  public internal(set) var helpScroll = 0
  /// Whether the screen can train the network (it was given training images).
  public let trainable: Bool
  /// Whether the user asked training to run on (Space) and it has not been paused.
  public internal(set) var running = false
  /// Whether a step (`s`) or an epoch (`e`) was asked for and its last report has not come.
  public internal(set) var awaiting = false
  /// The trainer's latest report (nil before the first step).
  public internal(set) var training: NetTrainingReport?
  /// Requests for the trainer that ``updateNet(_:_:)`` made and the loop has not sent yet.
  public internal(set) var requests: [NetTrainRequest] = []
  /// Where `w` writes the weights (`.npz` or `.safetensors`).
  public let savePath: String
  /// Whether `w` asked for the weights to be written and the loop has not yet done it.
  public internal(set) var saveRequested = false
  /// A one-line notice for the status line (a file written, or why not), until the next key.
  public internal(set) var notice: String?
  /// The picture being drawn (`d`): while set, it is the network's input instead of a test
  /// image.
  public internal(set) var canvas: NetCanvas?
  /// The cell chosen in the selected layer (`c`), whose receptive field is highlighted.
  public internal(set) var focus: NetFocus?
  /// The SGD learning rate of a dive's update phase (`--lr`).
  public let learningRate: Float
  /// The layer Enter asked to open in the single-layer viewer, until the viewer is closed.
  public internal(set) var dive: NetDiveRequest?
  /// The training view and the training speed (`v`, `+`, `-`).
  public internal(set) var dashboard = NetDashboard()
  /// The walk from the loss back to the input (`b`), while it is on.
  public internal(set) var backward: NetBackwardWalk?
  /// The training steps the last weights written (`w`) had taken (0: none written).
  public internal(set) var savedSteps = 0
  /// `q` was pressed with training not saved: the next key decides (`q` again quits).
  public internal(set) var quitArmed = false

  /// Training steps taken since the weights were last written: `q` asks once before they go.
  public var unsavedSteps: Int {
    guard trainable, let steps = training?.steps else { return 0 }
    return max(0, steps - savedSteps)
  }

  /// A model showing the first test image; throws when there is no test image, a layer title
  /// is missing, or the forward pass fails.
  public init(
    network: Network, test: TrainingSet, classNames: [String], layerTitles: [String],
    netName: String, weightsFile: String?, seed: UInt64, trainable: Bool = false,
    savePath: String = "weights.npz", learningRate: Float = 0.05
  ) throws {
    guard test.count > 0 else {
      throw ConvError.invalidParameter(
        name: "test images", value: "0", requirement: "at least one image to show")
    }
    guard layerTitles.count == network.layers.count else {
      throw ConvError.invalidParameter(
        name: "layer titles", value: "\(layerTitles.count)",
        requirement: "one per layer (\(network.layers.count))")
    }
    self.network = network
    self.test = test
    self.classNames = classNames
    self.layerTitles = layerTitles
    self.netName = netName
    self.weightsFile = weightsFile
    self.seed = seed
    self.trainable = trainable
    self.savePath = savePath
    self.learningRate = learningRate
    activations = try network.forward(test.batch([0]).x)
  }

  /// The label of the image shown.
  public var label: Int { test.labels[imageIndex] }

  /// The softmax probabilities of the image shown, one per class.
  public var probabilities: [Double] {
    let logits = activations.logits.data.map(Double.init)
    let top = logits.max() ?? 0
    let exps = logits.map { ($0 - top).isFinite ? exp($0 - top) : 0 }
    let sum = exps.reduce(0, +)
    return sum > 0 ? exps.map { $0 / sum } : exps
  }

  /// The class with the highest score (the first of equals).
  public var predicted: Int {
    let p = activations.logits.data
    return p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) } ?? 0
  }

  /// The name of class `k` (its index when the data names none).
  public func className(_ k: Int) -> String {
    classNames.indices.contains(k) ? classNames[k] : String(k)
  }

  /// Takes the trainer's report: its network replaces the shown one, and the image shown is
  /// run through it again.
  mutating func take(_ report: NetTrainingReport) {
    network = report.network
    training = report
    if !report.busy {
      running = false
      awaiting = false
    }
    if let failure = report.problem { problem = failure }
    if canvas != nil { classifyCanvas() } else { show(image: imageIndex, again: true) }
  }

  /// Runs the drawn picture through the network (the previous activations stay on failure).
  mutating func classifyCanvas() {
    guard let canvas else { return }
    do {
      activations = try network.forward(canvas.tensor)
      problem = nil
    } catch {
      problem = "drawing: \(error)"
    }
  }

  mutating func show(image index: Int, again: Bool = false) {
    let clamped = min(max(index, 0), test.count - 1)
    guard clamped != imageIndex || again else { return }
    do {
      activations = try network.forward(test.batch([clamped]).x)
      imageIndex = clamped
      problem = nil
      refreshBackward()
    } catch {
      problem = "image \(clamped): \(error)"
    }
  }
}
