import TermUI

// MARK: - NetMsg

/// What can happen to the net screen: a key, a new terminal size, what the terminal can show.
public enum NetMsg: Sendable {
  /// A key press.
  case key(Key)
  /// The terminal now has `width` columns and `height` rows.
  case resize(width: Int, height: Int)
  /// What the terminal can show (sent once, before the first frame).
  case capabilities(Capabilities)
  /// The trainer took steps: its newest report.
  case trained(NetTrainingReport)
  /// The weights were written to `path` (`error`: why not).
  case saved(path: String, error: String?)
  /// A mouse action (it draws while the canvas is open).
  case mouse(MouseEvent)
  /// The single-layer viewer opened by Enter was closed (`problem`: why it could not open;
  /// `notes`: what it said as it closed, such as a recording saved).
  case returned(problem: String?, notes: [String] = [])
}

// MARK: - updateNet

/// The only place a ``NetModel`` changes. Returns true when the user asked to quit.
///
/// ←/→ (h/l) the previous/next test image, PgUp/PgDn ten back/on, Home/End the first/last;
/// ↑/↓ (k/j) the previous/next layer column; `?` shows the keys; `q` or Ctrl-C quit (Esc closes
/// what is open, the training view too, and never quits; with training not written, `q` asks
/// first and quits when pressed again).
/// When the screen can train: Space trains on (or pauses), `s` takes one step, `e` trains to
/// the end of the epoch; each asks the trainer through ``NetModel/requests``. `w` asks the loop to
/// write the weights shown to ``NetModel/savePath``. Enter on a conv, ReLU or max-pool layer asks
/// the loop to open it in the single-layer viewer (``NetModel/dive``; training pauses). `d` opens
/// a canvas to draw on, `c` focuses a cell to show its receptive field: their keys come first
/// while they are open (see `netModeKey`). `b` walks backward from the loss to the input
/// (``NetModel/backward``: its keys come next). `v` switches to the training view and back,
/// `+`/`-` set the training speed (``NetDashboard``).
@discardableResult
public func updateNet(_ model: inout NetModel, _ msg: NetMsg) -> Bool {
  switch msg {
  case .resize(let width, let height):
    model.width = max(0, width)
    model.height = max(0, height)
  case .capabilities(let capabilities):
    model.capabilities = capabilities
  case .trained(let report):
    model.take(report)
  case .saved(let path, let error):
    model.saveRequested = false
    if error == nil { model.savedSteps = model.training?.steps ?? 0 }
    let steps = model.training.map { " (after \($0.steps) steps)" } ?? ""
    model.notice =
      error.map { "weights not written: \($0)" } ?? "weights written to \(path)\(steps)"
  case .returned(let problem, let notes):
    model.endDive(problem: problem, notes: notes)
  case .key(let key):
    return netKey(&model, key)
  case .mouse(let event):
    netMouse(&model, event)
  }
  return false
}

/// Handles one key; true on quit.
private func netKey(_ model: inout NetModel, _ key: Key) -> Bool {
  let lastLayer = model.network.layers.count - 1
  model.notice = nil
  let quitArmed = model.quitArmed
  model.quitArmed = false
  // The keys' box (`?`) scrolls or closes on any key but Ctrl-C, which still quits.
  if model.showsHelp, key != .ctrl("c") {
    model.helpKey(key)
    return false
  }
  // The backward walk's keys, unless a drawing or a focused cell has the keys.
  if model.canvas == nil, model.focus == nil, model.backwardKey(key) { return false }
  if let quit = netModeKey(&model, key) { return quit }
  switch key {
  case .character("q"), .character("Q"):
    // Minutes of training must not go on one key: the first q says so, the second quits.
    let unsaved = model.unsavedSteps
    if quitArmed || unsaved == 0 { return true }
    model.quitArmed = true
    model.notice =
      "\(unsaved) training steps not written: w writes them to \(model.savePath), q again quits"
  case .ctrl("c"):
    return true
  case .escape:
    // Esc closes what is open, and never quits: pressed once too often on the way back from a
    // layer, it would throw the training away.
    if model.dashboard.showsTraining {
      model.dashboard.showsTraining = false
    } else {
      model.notice = "Esc only closes what is open; q quits"
    }
  case .left, .character("h"): model.show(image: model.imageIndex - 1)
  case .right, .character("l"): model.show(image: model.imageIndex + 1)
  case .pageUp: model.show(image: model.imageIndex - 10)
  case .pageDown: model.show(image: model.imageIndex + 10)
  case .home: model.show(image: 0)
  case .end: model.show(image: model.test.count - 1)
  case .up, .character("k"): model.selectedLayer = max(0, model.selectedLayer - 1)
  case .down, .character("j"): model.selectedLayer = min(lastLayer, model.selectedLayer + 1)
  case .character("?"): model.showsHelp = true
  case .character("w"): model.saveRequested = true
  case .enter: model.enterLayer()
  case .character("v"), .character("+"), .character("="), .character("-"): model.dashboardKey(key)
  case .character(" ") where model.trainable:
    // The screen says what was asked: a report made before a pause may still come in.
    model.running.toggle()
    model.awaiting = false
    model.requests.append(model.running ? .run : .pause)
  case .character("s") where model.trainable:
    model.running = false
    model.awaiting = true
    model.requests.append(.step)
  case .character("e") where model.trainable:
    model.running = false
    model.awaiting = true
    model.requests.append(.epoch)
  default: break
  }
  return false
}
