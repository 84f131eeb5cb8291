import ArgumentParser
import ConvApp
import ConvCore
import ConvData
import ConvLessons
import Foundation
import NCursesBackend
import TermUI

// MARK: - NetCommand

/// `convscope net`: a whole network on one screen, layer by layer, for one test image at a time.
struct NetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "net",
    abstract: "See a whole network, layer by layer: feature maps and class scores of a test image.",
    discussion: """
      Opens a full-screen overview of a network (a .net file, or digits, one-conv or deeper, \
      built in): the test image, one column per layer with its output feature maps as shaded \
      grids, and the class scores (softmax) as bars. ←/→ (h/l) change the image, PgUp/PgDn by \
      ten, ↑/↓ (k/j) select a layer, ? shows the keys, q or Esc quits. Enter on a conv, ReLU \
      or max-pool layer opens the single-layer viewer on it with the network's own tensors \
      (its input, weights, and the dy the backward pass delivers; --lr for the update \
      phase); Esc comes back. b walks backward from the loss to the input, one layer a press \
      (b, ↑ or k), the walked columns showing the loss's gradient. Space trains the \
      network live on the training images (and pauses it), s takes one SGD step, e trains to \
      the end of the epoch, + and - set the speed (1 to 100 steps a second, or as fast as it \
      can), v switches to the training view (loss and accuracy curves for train and test, the \
      first layer's kernels, the confusion matrix, test images with their predictions), \
      w writes the weights shown to --save (weights.npz): \
      training runs on its own thread, and the maps, scores and the \
      status line (epoch, batch, loss, accuracy, test accuracy after each epoch) follow it. \
      Without --load the weights are the untrained He ones of --seed. Training uses train's \
      settings: --batch, --lr, --momentum, --weight-decay, shuffled by --seed.
      """)

  @Option(help: "The network: a .net file, or digits, one-conv or deeper (built in).")
  var net = BuiltinNets.defaultName

  @Option(help: ArgumentHelp(Datasets.argumentHelp))
  var data = "digits"

  @Option(help: "Weights to show (.npz or .safetensors, as convscope train --save writes).")
  var load: String?

  @OptionGroup var training: TrainingFlags

  @Option(help: "Where w writes the weights shown (.npz or .safetensors).")
  var save = "weights.npz"

  @Option(
    help: "Colours: auto, none, 8, 256 or truecolor (auto honours NO_COLOR, TERM, COLORTERM).")
  var color: Capabilities.ColorChoice = .auto

  @Flag(help: "ASCII only: no block or box-drawing glyphs.") var ascii = false

  func validate() throws {
    guard save.hasSuffix(".npz") || save.hasSuffix(".safetensors") else {
      throw ValidationError("--save must end in .npz or .safetensors (got \(save))")
    }
  }

  func run() throws {
    // Everything a user typed is checked before the screen opens.
    let (model, trainer) = try reportingUserErrors { () throws -> (NetModel, NetTrainer) in
      let loaded = try LoadedNet(
        net: net, data: data, batch: training.batch, seed: training.seed, weights: load)
      let trainer = try Trainer(
        network: loaded.network, train: loaded.train, options: training.options)
      let model = try NetModel(
        network: loaded.network, test: loaded.test, classNames: loaded.split.classes,
        layerTitles: loaded.file.texts, netName: loaded.netName, weightsFile: load,
        seed: training.seed, trainable: true, savePath: save,
        learningRate: Float(training.lr))
      return (model, NetTrainer(trainer: trainer, test: loaded.test))
    }
    let terminal = NCursesTerminal()
    do {
      try terminal.start(
        environment: ProcessInfo.processInfo.environment, colorChoice: color, ascii: ascii)
    } catch let error as TerminalError {
      throw fail(error.description)
    }
    var loop = NetLoop(model: model, terminal: terminal, trainer: trainer)
    let status = loop.run()
    for line in loop.farewell { printError("convscope: \(line)") }
    if status != 0 { throw ExitCode(status) }
  }
}
