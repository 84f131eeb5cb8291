import ConvFormats
import TermUI

// MARK: - NetLoop

/// The run loop of `convscope net`: read an event, ``updateNet(_:_:)``, draw ``netView(_:)``.
/// Events already waiting (a held key) are handled before the next frame. Over any
/// ``Terminal``: the ncurses one in the program, the fake one in the tests.
public struct NetLoop {
  /// The model, as the last event left it.
  public internal(set) var model: NetModel
  let terminal: any Terminal
  let trainer: NetTrainer?
  /// What a layer's viewer said as a quit signal ended the program inside it (a recording
  /// saved): the program prints it once the terminal is restored.
  public internal(set) var farewell: [String] = []

  /// How long the loop waits for a key while the trainer works, in milliseconds: the screen
  /// shows the trainer's newest report this often.
  public static let trainingPollMilliseconds = 50

  /// Where a layer's viewer writes files with a relative path (nil: the working directory).
  let directory: String?

  /// A loop over `model` on `terminal`; `trainer` (when the screen can train) takes the
  /// model's requests, and its reports come back as ``NetMsg/trained(_:)``; a layer's viewer
  /// writes its files (a recording, an exported frame) in `directory` (nil: the working one).
  public init(
    model: NetModel, terminal: any Terminal, trainer: NetTrainer? = nil, directory: String? = nil
  ) {
    self.model = model
    self.terminal = terminal
    self.trainer = trainer
    self.directory = directory
  }

  /// Runs until the user quits (0) or a quit signal arrives (128 + signal). The terminal is
  /// restored before returning.
  public mutating func run() -> Int32 {
    defer {
      trainer?.stop()
      terminal.stop()
    }
    updateNet(&model, .capabilities(terminal.capabilities))
    let size = terminal.size
    updateNet(&model, .resize(width: size.columns, height: size.rows))
    terminal.draw(netView(model))
    while true {
      let busy = trainer?.isBusy == true || !model.requests.isEmpty
      var event = terminal.readEvent(
        timeoutMilliseconds: busy ? Self.trainingPollMilliseconds : nil)
      var handled = 0
      while let current = event {
        if let status = handle(current) { return status }
        handled += 1
        event =
          handled < InteractiveLoop.maxEventsPerFrame
          ? terminal.readEvent(timeoutMilliseconds: 0) : nil
      }
      let trained = sendAndReceive()
      if model.saveRequested { save() }
      if model.dive != nil, let status = openDive() { return status }
      if handled > 0 || trained { terminal.draw(netView(model)) }
    }
  }

  /// Writes the weights shown to the model's ``NetModel/savePath`` (atomically: a failed write
  /// leaves no half-written file) and tells the model how it went.
  private mutating func save() {
    let path = model.savePath
    do {
      try NetworkWeights.save(model.network, to: path)
      updateNet(&model, .saved(path: path, error: nil))
    } catch {
      updateNet(&model, .saved(path: path, error: "\(error)"))
    }
  }

  /// Sends the model's requests to the trainer and takes its newest report; true when one came.
  private mutating func sendAndReceive() -> Bool {
    guard let trainer else { return false }
    for request in model.requests { trainer.send(request) }
    model.requests = []
    guard let report = trainer.report() else { return false }
    updateNet(&model, .trained(report))
    return true
  }

  /// Updates the model with one event; the exit status when it ends the loop.
  private mutating func handle(_ event: InputEvent) -> Int32? {
    switch event {
    case .interrupted(let signal): return 128 + signal
    case .key(let key): return updateNet(&model, .key(key)) ? 0 : nil
    case .resize(let width, let height): updateNet(&model, .resize(width: width, height: height))
    case .mouse(let event): updateNet(&model, .mouse(event))
    }
    return nil
  }
}
