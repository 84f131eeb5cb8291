import ConvCore
import Foundation

// MARK: - SizeGuard

/// The checks every parser makes before it allocates from a count that a file declares.
///
/// A declared size is refused when it exceeds the element limit or when the file cannot possibly
/// hold that many values, so a 40-byte file that claims a 10⁹-element array costs nothing.
package enum SizeGuard {
  /// Throws unless `count` values fit under `limit`.
  ///
  /// `what` names the data in the message, e.g. `"PGM image of 9000×9000 pixels"`; `role`
  /// says whose limit it is, e.g. `"a kernel"` (`over the limit of 16777216 values for a
  /// kernel`).
  package static func reserve(
    _ count: Int, limit: Int, source: String, what: String, role: String? = nil
  ) throws {
    guard count >= 0, count <= limit else {
      throw InputError(
        source: source,
        "\(what) is \(count) values, over the limit of \(limit) values"
          + (role.map { " for \($0)" } ?? "") + "; refused before reading")
    }
  }

  /// Marks an allocation of `count` values sized from file content, once every check passed
  /// (recorded for tests by ``AllocationProbe``).
  static func allocating(_ count: Int) {
    AllocationProbe.current?.record(count)
  }

  /// The product of `dims` after the same checks as ``reserve(_:limit:source:what:)``; an
  /// overflowing product is over the limit too.
  package static func reserve(
    dims: [Int], limit: Int, source: String, what: String, role: String? = nil
  ) throws -> Int {
    guard let count = product(dims) else {
      throw InputError(
        source: source,
        "\(what) has more values than can be counted, over the limit of \(limit) values; "
          + "refused before reading")
    }
    try reserve(count, limit: limit, source: source, what: what, role: role)
    return count
  }

  /// The product of `dims`, or nil on overflow or a negative factor.
  static func product(_ dims: [Int]) -> Int? {
    var result = 1
    for d in dims {
      guard d >= 0 else { return nil }
      let (p, overflow) = result.multipliedReportingOverflow(by: d)
      if overflow { return nil }
      result = p
    }
    return result
  }
}

// MARK: - AllocationProbe

/// Records the largest allocation the parsers make, so tests can check that no input, however
/// hostile, makes a parser allocate more than its limit.
final class AllocationProbe: @unchecked Sendable {
  /// The probe bound to the current task, if any.
  @TaskLocal static var current: AllocationProbe?

  // Guarded by `lock` (NSLock rather than Mutex: no OS-version floor on Darwin).
  private let lock = NSLock()
  private var largestCount = 0
  private var readCount = 0

  /// The largest element count recorded so far.
  var largest: Int { lock.withLock { largestCount } }

  /// The bytes read whole into memory by ``FileReading/contents(of:)`` (mapped files, read only
  /// where a reader looks, are not counted).
  var bytesRead: Int { lock.withLock { readCount } }

  func recordRead(_ count: Int) {
    lock.withLock { readCount += count }
  }

  func record(_ count: Int) {
    lock.withLock { largestCount = max(largestCount, count) }
  }
}
