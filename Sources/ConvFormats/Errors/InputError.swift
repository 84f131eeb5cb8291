// MARK: - InputError

/// An error in something a user supplied (a file, a field, a flag value), as one line.
///
/// The command-line tool prints ``description`` and exits with status 2.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The whole message, e.g. `case.json: field "x": 74 values but shapes.x (3, 1, 5, 5) needs 75`.
  public var message: String

  /// An error with its message.
  public init(_ message: String) {
    self.message = message
  }

  /// An error about `source` (a path or a flag), e.g. `y.npy: truncated data`.
  public init(source: String, _ message: String) {
    self.message = source.isEmpty ? message : "\(source): \(message)"
  }

  /// The message.
  public var description: String { message }
}
