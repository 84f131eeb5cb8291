// MARK: - PaddingMode

/// What a padding cell holds (PyTorch's `padding_mode`). ConvCore re-exports it as
/// `ConvCore.PaddingMode`.
public enum PaddingMode: String, Sendable, CaseIterable, Hashable {
  /// Zero.
  case zeros
  /// The input mirrored about its edge, the edge not repeated (`dcb|abcd|cba`).
  case reflect
  /// The edge cell repeated (`aaa|abcd|ddd`).
  case replicate
  /// The input wrapped around (`bcd|abcd|abc`).
  case circular

  /// The input index a padded index `i` (in `-pad ..< length + pad`) reads, or nil for a zero.
  @inlinable
  public func source(_ i: Int, length: Int) -> Int? {
    if (0..<length).contains(i) { return i }
    switch self {
    case .zeros: return nil
    case .reflect:
      guard length > 1 else { return 0 }
      let period = 2 * (length - 1)
      var m = i % period
      if m < 0 { m += period }
      return m < length ? m : period - m
    case .replicate: return min(max(i, 0), length - 1)
    case .circular:
      let m = i % length
      return m < 0 ? m + length : m
    }
  }
}
