#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

// MARK: - ProcessMemory

/// Memory figures of the running process, read from `/proc/self/status` (Linux).
enum ProcessMemory {
  /// The peak resident set size (`VmHWM`) in KiB, or nil where `/proc` has none.
  static func peakResidentKiB() -> Int? {
    statusField("VmHWM:")
  }

  /// The current resident set size (`VmRSS`) in KiB, or nil where `/proc` has none.
  static func residentKiB() -> Int? {
    statusField("VmRSS:")
  }

  /// The number in a `/proc/self/status` line such as `VmHWM:     23456 kB`.
  static func statusField(_ name: String) -> Int? {
    #if os(Linux)
      guard let file = fopen("/proc/self/status", "r") else { return nil }
      defer { fclose(file) }
      var line = [CChar](repeating: 0, count: 256)
      while fgets(&line, Int32(line.count), file) != nil {
        let text = String(
          decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard text.hasPrefix(name) else { continue }
        let digits = text.dropFirst(name.count).filter { $0.isNumber }
        return Int(digits)
      }
      return nil
    #else
      return nil
    #endif
  }
}
