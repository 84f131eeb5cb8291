import ConvFormats

// MARK: - CastHeader

/// The first line of an asciicast v2 recording (asciinema's `.cast`): a JSON object written by
/// ``ConvFormats/JSONOutput`` (sorted keys, one line).
///
/// `{"env": {"SHELL": …, "TERM": …}, "height": H, "idle_time_limit": s, "timestamp": t,
/// "title": …, "version": 2, "width": W}`: `timestamp` (Unix seconds), `idle_time_limit` (a
/// number of seconds above 0), `title` (not empty) and `SHELL` only when given.
public struct CastHeader: Codable, Sendable, Hashable {
  /// The `env` object: the terminal type and, when known, the shell.
  public struct Environment: Codable, Sendable, Hashable {
    /// `TERM`.
    public let term: String
    /// `SHELL`, when known.
    public let shell: String?

    /// An `env` object.
    public init(term: String, shell: String? = nil) {
      self.term = term
      self.shell = shell
    }

    private enum CodingKeys: String, CodingKey {
      case term = "TERM"
      case shell = "SHELL"
    }
  }

  /// The format's version: always 2.
  public let version: Int
  /// The terminal's width in columns.
  public let width: Int
  /// The terminal's height in rows.
  public let height: Int
  /// When the recording was made (Unix seconds).
  public let timestamp: Int?
  /// Players shorten longer pauses to this many seconds.
  public let idleTimeLimit: Double?
  /// The recording's title.
  public let title: String?
  /// `TERM` and `SHELL`.
  public let env: Environment

  /// A version 2 header. An empty `title` is left out, and so is an `idleTimeLimit` that is not
  /// a number above 0; the limit is rounded to microseconds (``CastEvent/seconds(_:)``).
  public init(
    width: Int, height: Int, timestamp: Int? = nil, idleTimeLimit: Double? = nil,
    title: String = "", env: Environment
  ) {
    version = 2
    self.width = width
    self.height = height
    self.timestamp = timestamp
    self.idleTimeLimit = idleTimeLimit.flatMap {
      $0.isFinite && $0 > 0 ? CastEvent.seconds($0) : nil
    }
    self.title = title.isEmpty ? nil : title
    self.env = env
  }

  /// Reads a header; a `version` other than 2 is an error.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let version = try c.decode(Int.self, forKey: .version)
    guard version == 2 else {
      throw DecodingError.dataCorruptedError(
        forKey: .version, in: c, debugDescription: "asciicast version \(version), not 2")
    }
    self.init(
      width: try c.decode(Int.self, forKey: .width),
      height: try c.decode(Int.self, forKey: .height),
      timestamp: try c.decodeIfPresent(Int.self, forKey: .timestamp),
      idleTimeLimit: try c.decodeIfPresent(Double.self, forKey: .idleTimeLimit),
      title: try c.decodeIfPresent(String.self, forKey: .title) ?? "",
      env: try c.decode(Environment.self, forKey: .env))
  }

  private enum CodingKeys: String, CodingKey {
    case version, width, height, timestamp, title, env
    case idleTimeLimit = "idle_time_limit"
  }

  /// The header as one JSON line ending in a newline.
  public var line: String { CastEvent.jsonLine(self) }
}

// MARK: - CastEvent

/// One output event of an asciicast v2 recording: the JSON array `[time, "o", text]` on a line of
/// its own, written by ``ConvFormats/JSONOutput``.
public struct CastEvent: Codable, Sendable, Hashable {
  /// Seconds since the start, rounded to microseconds (``seconds(_:)``).
  public let time: Double
  /// What the terminal printed.
  public let text: String

  /// An output event at `time` (rounded to microseconds, see ``seconds(_:)``).
  public init(time: Double, text: String) {
    self.time = CastEvent.seconds(time)
    self.text = text
  }

  /// Reads `[time, "o", text]`; any other event type is an error.
  public init(from decoder: any Decoder) throws {
    var c = try decoder.unkeyedContainer()
    let time = try c.decode(Double.self)
    let type = try c.decode(String.self)
    guard type == "o" else {
      throw DecodingError.dataCorruptedError(
        in: c, debugDescription: "event type \"\(type)\", not \"o\"")
    }
    self.init(time: time, text: try c.decode(String.self))
    guard c.isAtEnd else {
      throw DecodingError.dataCorruptedError(in: c, debugDescription: "more than 3 elements")
    }
  }

  /// Writes `[time, "o", text]`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.unkeyedContainer()
    try c.encode(time)
    try c.encode("o")
    try c.encode(text)
  }

  /// The event as one JSON line ending in a newline.
  public var line: String { CastEvent.jsonLine(self) }

  /// `t` clamped to 0…10¹² (0 when not finite) and rounded to microseconds, so the same
  /// frames always give the same file and a time reads back as exactly what was written.
  public static func seconds(_ t: Double) -> Double {
    let clamped = max(0, min(t.isFinite ? t : 0, 1e12))
    return (clamped * 1_000_000).rounded() / 1_000_000
  }

  /// `value` as one JSON line. Encoding only fails on a number that is not finite, and a header
  /// or event holds only finite ones (every initialiser clamps them), so a failure is a bug.
  static func jsonLine(_ value: some Encodable) -> String {
    do {
      return try JSONOutput.text(value)
    } catch {
      preconditionFailure("an asciicast line holds only finite numbers: \(error)")
    }
  }
}
