import TermUI

// MARK: - NetLoop

/// The run loop of `convscope net`: read an event, ``updateNet(_:_:)``, draw ``netView(_:)``.
/// Events already waiting (a held key) are handled before the next frame. Over any
/// ``Terminal``: the ncurses one in the program, the fake one in the tests.
public struct NetLoop {
  /// The model, as the last event left it.
  public private(set) var model: NetModel
  let terminal: any Terminal

  /// A loop over `model` on `terminal`.
  public init(model: NetModel, terminal: any Terminal) {
    self.model = model
    self.terminal = terminal
  }

  /// Runs until the user quits (0) or a quit signal arrives (128 + signal). The terminal is
  /// restored before returning.
  public mutating func run() -> Int32 {
    defer { terminal.stop() }
    updateNet(&model, .capabilities(terminal.capabilities))
    let size = terminal.size
    updateNet(&model, .resize(width: size.columns, height: size.rows))
    terminal.draw(netView(model))
    while true {
      var event = terminal.readEvent(timeoutMilliseconds: nil)
      var handled = 0
      while let current = event {
        if let status = handle(current) { return status }
        handled += 1
        event =
          handled < InteractiveLoop.maxEventsPerFrame
          ? terminal.readEvent(timeoutMilliseconds: 0) : nil
      }
      if handled > 0 { terminal.draw(netView(model)) }
    }
  }

  /// Updates the model with one event; the exit status when it ends the loop.
  private mutating func handle(_ event: InputEvent) -> Int32? {
    switch event {
    case .interrupted(let signal): return 128 + signal
    case .key(let key): return updateNet(&model, .key(key)) ? 0 : nil
    case .resize(let width, let height): updateNet(&model, .resize(width: width, height: height))
    case .mouse: break
    }
    return nil
  }
}
