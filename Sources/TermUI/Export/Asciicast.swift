import NumberText

// MARK: - Asciicast

/// Writes asciicast v2 recordings (asciinema's `.cast` format): a JSON header line, then one
/// `[time, "o", text]` event line per frame.
public enum Asciicast {
  /// One frame: when it appears (seconds from the start) and what the screen shows.
  public struct Frame: Sendable {
    /// Seconds since the start of the recording.
    public var time: Double
    /// The screen.
    public var buffer: CellBuffer

    /// A frame.
    public init(time: Double, buffer: CellBuffer) {
      self.time = time
      self.buffer = buffer
    }
  }

  /// The `.cast` text for `frames`.
  ///
  /// - The header is `{"version": 2, "width": W, "height": H, …}` with W×H the largest frame,
  ///   plus `timestamp` (Unix seconds) when given, `title` when not empty, and `env.TERM`.
  /// - Each event's text is "clear screen, home" followed by the frame as ANSI for
  ///   `capabilities`, lines ending in `\r\n`.
  /// - Times are written with microsecond precision and never decrease: a time that is not
  ///   finite, negative or earlier than the previous one is replaced by the previous one.
  /// - JSON strings escape `"`, `\` and every control character as `\u00XX`.
  public static func encode(
    frames: [Frame], capabilities: Capabilities, title: String = "", timestamp: Int? = nil,
    term: String = "xterm-256color"
  ) -> String {
    let width = frames.map(\.buffer.width).max() ?? 0
    let height = frames.map(\.buffer.height).max() ?? 0
    var header = "{\"version\": 2, \"width\": \(width), \"height\": \(height)"
    if let timestamp { header += ", \"timestamp\": \(timestamp)" }
    if !title.isEmpty { header += ", \"title\": " + jsonString(title) }
    header += ", \"env\": {\"TERM\": " + jsonString(term) + "}}"
    var out = header + "\n"
    var last = 0.0
    for frame in frames {
      let t = frame.time.isFinite ? max(last, frame.time) : last
      last = t
      let text =
        ANSI.clearAndHome + frame.buffer.ansiText(capabilities: capabilities, lineEnding: "\r\n")
      out += "[" + NumberFormat.seconds(t) + ", \"o\", " + jsonString(text) + "]\n"
    }
    return out
  }

  /// `s` as a JSON string literal.
  public static func jsonString(_ s: String) -> String {
    var out = "\""
    out.reserveCapacity(s.utf8.count + 2)
    let hex: [Character] = Array("0123456789abcdef")
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      default:
        if u.value < 0x20 || u.value == 0x7F {
          out += "\\u00"
          out.append(hex[Int(u.value >> 4)])
          out.append(hex[Int(u.value & 0xF)])
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }
}
