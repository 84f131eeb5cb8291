import TermUI

// MARK: - FakeTerminal

/// A ``Terminal`` for tests: events scripted at times on a fake clock, every drawn frame kept.
///
/// The clock only moves when the runtime waits: ``readEvent(timeoutMilliseconds:)`` jumps to the
/// next scripted event when it falls within the timeout, and otherwise lets the whole timeout
/// pass. So a loop runs as fast as the machine allows and its timing is exact. A loop that would
/// wait for ever (the script ran out) or past ``limit`` gets `.interrupted(signal: 1)` and
/// ``ranOut`` is set, so a test can never hang.
public final class FakeTerminal: Terminal {
  /// A frame as drawn, and when.
  public struct Frame {
    /// The fake time of the drawing.
    public var time: Duration
    /// What was drawn.
    public var buffer: CellBuffer
  }

  /// The size: as created, then as the last scripted resize said.
  public private(set) var size: (columns: Int, rows: Int)
  /// What the terminal says it can show.
  public let capabilities: Capabilities
  /// The fake clock: moves only while the runtime waits for an event.
  public private(set) var now = Duration.zero
  /// Every frame drawn, oldest first.
  public private(set) var frames: [Frame] = []
  /// Whether ``stop()`` was called.
  public private(set) var stopped = false
  /// Whether the loop waited past the end of the script or past ``limit``.
  public private(set) var ranOut = false
  /// The fake time after which every wait is interrupted.
  public let limit: Duration
  private var script: [(at: Duration, event: InputEvent)]

  /// A terminal of `columns`×`rows` that delivers `script`'s events at their times (in order).
  public init(
    columns: Int = 120, rows: Int = 40,
    capabilities: Capabilities = Capabilities(color: .ansi256, unicode: true),
    script: [(at: Duration, event: InputEvent)], limit: Duration = .seconds(3600)
  ) {
    self.size = (columns, rows)
    self.capabilities = capabilities
    self.script = script
    self.limit = limit
  }

  /// The next scripted event, when it is due within `timeoutMilliseconds` (the clock jumps to
  /// it); otherwise the clock moves by the timeout and the answer is nil.
  public func readEvent(timeoutMilliseconds: Int?) -> InputEvent? {
    let timeout = timeoutMilliseconds.map { Duration.milliseconds(max(0, $0)) }
    guard let next = script.first else {
      guard let timeout, now + timeout <= limit else { return runOut() }
      now += timeout
      return nil
    }
    let due = max(next.at, now)
    if let timeout, due > now + timeout {
      guard now + timeout <= limit else { return runOut() }
      now += timeout
      return nil
    }
    guard due <= limit else { return runOut() }
    now = due
    script.removeFirst()
    if case .resize(let width, let height) = next.event { size = (width, height) }
    return next.event
  }

  /// Keeps `buffer` in ``frames`` with the time.
  public func draw(_ buffer: CellBuffer) {
    frames.append(Frame(time: now, buffer: buffer))
  }

  /// Notes that the terminal was given back.
  public func stop() {
    stopped = true
  }

  /// The last frame's text, rows joined by newlines ("" before any).
  public var screen: String { frames.last?.buffer.plainText ?? "" }

  private func runOut() -> InputEvent {
    ranOut = true
    now = max(now, limit)
    return .interrupted(signal: 1)
  }
}
