import TermUI

// MARK: - SessionRecorder

/// Collects timed frames and writes them as an asciinema v2 recording (`.cast`).
///
/// Each frame becomes one output event, `[t, "o", text]`, whose text clears the screen, homes
/// the cursor and draws the whole frame as ANSI for ``capabilities`` (lines end in `\r\n`), so
/// every event stands alone and `asciinema play`, the web player and `asciinema cat` show it.
/// Frames are encoded as they arrive; only the encoded text is kept, and the recorder stops
/// taking frames at its ``Limits`` (``isFull``), so a forgotten recording cannot fill
/// the memory.
public struct SessionRecorder: Sendable {
  /// How much a recording may hold.
  public struct Limits: Sendable, Hashable {
    /// The most frames.
    public var maxFrames: Int
    /// The most bytes of event lines (UTF-8).
    public var maxBytes: Int

    /// Limits; values below 1 count as 1.
    public init(maxFrames: Int, maxBytes: Int) {
      self.maxFrames = max(1, maxFrames)
      self.maxBytes = max(1, maxBytes)
    }

    /// 5,000 frames and 64 MiB: 40 minutes at 2 frames a second, or an hour of a viewer
    /// session with a frame every second or so; a 100×32 frame in 24-bit colour is 10–40 KB.
    public static let standard = Limits(maxFrames: 5_000, maxBytes: 64 << 20)
  }

  /// What ``record(_:at:)`` did with a frame.
  public enum Outcome: Sendable, Hashable {
    /// The frame was added.
    case recorded
    /// The frame equals the previous one and was skipped (nothing changed on screen).
    case unchanged
    /// The frame would pass a limit and was dropped; so will every later frame.
    case full
  }

  /// How frames are drawn: colour level (and nothing else: glyphs are the buffer's).
  public let capabilities: Capabilities
  /// The limits.
  public let limits: Limits
  /// Frames recorded.
  public private(set) var frameCount = 0
  /// Bytes of the event lines so far (UTF-8, newlines included).
  public private(set) var byteCount = 0
  /// Whether a frame was dropped at a limit (no frame is taken after that).
  public private(set) var isFull = false
  /// The widest frame (the header's `width`).
  public private(set) var width = 0
  /// The tallest frame (the header's `height`).
  public private(set) var height = 0
  /// The time of the last frame, in seconds from the start.
  public private(set) var duration = 0.0

  private var events = ""
  private var previous: CellBuffer?

  /// An empty recording whose frames are drawn for `capabilities`.
  public init(capabilities: Capabilities, limits: Limits = .standard) {
    self.capabilities = capabilities
    self.limits = limits
  }

  // MARK: Recording

  /// Adds `buffer` as the frame shown from `time` (seconds since the recording started).
  ///
  /// Times never go back: a time that is not finite, negative or earlier than the previous
  /// frame's is replaced by the previous frame's. A frame equal to the previous one is skipped
  /// (``Outcome/unchanged``); a frame that would pass ``limits`` is dropped and the recorder is
  /// full from then on (``Outcome/full``).
  @discardableResult
  public mutating func record(_ buffer: CellBuffer, at time: Double) -> Outcome {
    if isFull { return .full }
    if let previous, previous == buffer { return .unchanged }
    let t = time.isFinite ? max(duration, time) : duration
    let text =
      ANSI.clearAndHome + buffer.ansiText(capabilities: capabilities, lineEnding: "\r\n")
    let line = SessionRecorder.event(time: t, text: text)
    guard frameCount < limits.maxFrames, byteCount + line.utf8.count <= limits.maxBytes else {
      isFull = true
      return .full
    }
    events += line
    byteCount += line.utf8.count
    frameCount += 1
    duration = t
    width = max(width, buffer.width)
    height = max(height, buffer.height)
    previous = buffer
    return .recorded
  }

  // MARK: Writing

  /// The `.cast` text: the header line, one event line per frame, and a last event `hold`
  /// seconds after the last frame (it only resets the colours) so players show the last frame
  /// that long instead of ending on it.
  ///
  /// The header (``CastHeader``) has `version` 2, `width` and `height` (the largest frame),
  /// `timestamp` (Unix seconds) when given, `idle_time_limit` when given (players shorten longer
  /// pauses to it — useful for a session recorded from the viewer), `title` when not empty, and
  /// `env` with `TERM` and, when given, `SHELL`. Every line is JSON written by `JSONEncoder`
  /// (``CastHeader``, ``CastEvent``) and ends with a newline.
  public func cast(
    title: String = "", timestamp: Int? = nil, idleTimeLimit: Double? = nil,
    term: String = "xterm-256color", shell: String? = nil, hold: Double = 1
  ) -> String {
    let header = CastHeader(
      width: width, height: height, timestamp: timestamp, idleTimeLimit: idleTimeLimit,
      title: title, env: CastHeader.Environment(term: term, shell: shell))
    guard frameCount > 0 else { return header.line }
    let end = duration + (hold.isFinite ? max(0, hold) : 0)
    return header.line + events + SessionRecorder.event(time: end, text: ANSI.reset)
  }

  // MARK: Encoding

  /// One event line: `[1.5,"o","…"]` and a newline (see ``CastEvent``).
  static func event(time: Double, text: String) -> String {
    CastEvent(time: time, text: text).line
  }
}
