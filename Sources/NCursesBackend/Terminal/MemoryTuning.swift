import CNCursesGuard

// MARK: - MemoryTuning

/// How the viewer's process asks for memory.
public enum MemoryTuning {
  /// Big tensors (a layer of millions of values) always in their own mappings, returned to the
  /// system when freed. glibc's moving threshold would otherwise put blocks under 32 MiB on the
  /// heap after the first big one is freed, where a recomputed layer leaves them resident. True
  /// when the C library took it.
  @discardableResult
  public static func preferMappedAllocations(from bytes: Int = 256 << 10) -> Bool {
    cnc_prefer_mapped_allocations(Int32(clamping: bytes)) == 1
  }
}
