import ConvStepper
import TermUI

// MARK: - NetDiveRequest

/// What Enter asked for: the single-layer viewer on a layer's block, and whether training was
/// paused for it.
public struct NetDiveRequest: Sendable {
  /// The block walked, made of the network's tensors.
  public let scenario: Scenario
  /// Which layers it covers.
  public let block: NetDive
  /// Whether Enter paused training (the screen says so on the way back).
  public let pausedTraining: Bool
}

// MARK: - Entering and leaving

extension NetModel {
  /// The screen the viewer goes back to, as its status bar names it.
  static let diveBackTo = "the network"

  /// Enter: the selected layer's block as a scenario of the image shown, for the loop to open;
  /// training pauses. A layer that cannot be entered (flatten, linear) or a block the viewer
  /// cannot walk says why in the status line.
  mutating func enterLayer() {
    do {
      let block = try NetDive.block(of: selectedLayer, in: network)
      // A drawing has no true class: its gradient is taken against the class predicted.
      let x = canvas?.tensor ?? test.batch([imageIndex]).x
      let target = canvas == nil ? label : predicted
      let scenario = try block.scenario(
        network: network, activations: try network.forward(x),
        gradients: try network.lossAndGradients(x: x, targets: [target]), titles: layerTitles,
        image: canvas == nil ? imageIndex : nil, label: className(target),
        learningRate: learningRate)
      let pause = running || awaiting
      if pause {
        running = false
        awaiting = false
        requests.append(.pause)
      }
      dive = NetDiveRequest(scenario: scenario, block: block, pausedTraining: pause)
    } catch {
      notice = "\(error)"
    }
  }

  /// The viewer was closed: back on the network, with a word on what happened (what the
  /// viewer said as it closed, `notes`, comes first: a recording saved must not go unseen).
  mutating func endDive(problem: String?, notes: [String] = []) {
    let paused = dive?.pausedTraining == true
    dive = nil
    if let problem {
      notice = "cannot open the layer: \(problem)"
    } else if !notes.isEmpty {
      notice = (notes + (paused ? ["training paused (Space trains on)"] : [])).joined(
        separator: " · ")
    } else if paused {
      notice = "training paused while you looked (Space trains on)"
    }
  }
}

// MARK: - The nested viewer

extension NetLoop {
  /// Runs the single-layer viewer the model asked for (Enter) on this terminal, then comes
  /// back to the network: its screen is redrawn at the terminal's size, and what the viewer said
  /// as it closed (a recording saved) is the network's notice. A quit signal in the viewer ends
  /// the whole program: its exit status (128 + signal), what the viewer said in ``farewell``.
  mutating func openDive() -> Int32? {
    guard let request = model.dive else { return nil }
    let size = terminal.size
    do {
      let viewer = try Model(
        scenario: request.scenario, capabilities: terminal.capabilities, width: size.columns,
        height: size.rows, backTo: NetModel.diveBackTo)
      var loop = InteractiveLoop(model: viewer, terminal: terminal, directory: directory)
      if case .signal(let status) = loop.runNested() {
        farewell += loop.farewell
        return status
      }
      updateNet(&model, .returned(problem: nil, notes: loop.farewell))
    } catch {
      updateNet(&model, .returned(problem: "\(error)"))
    }
    let now = terminal.size
    updateNet(&model, .resize(width: now.columns, height: now.rows))
    return nil
  }
}
