import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Scratch

/// A 64-byte-aligned block of values owned by one call of the fast path, filled with a value.
///
/// Not copyable: it is freed exactly once when it goes out of scope. Hot loops take its
/// ``base`` pointer (through ``shared`` when worker threads need it).
struct Scratch<Element: BitwiseCopyable>: ~Copyable {
  /// The first element.
  let base: UnsafeMutablePointer<Element>
  /// How many elements it holds (at least one, so that `base` is always valid).
  let count: Int

  /// `count` copies of `value`.
  init(count: Int, value: Element) {
    let n = max(count, 1)
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: n * MemoryLayout<Element>.stride, alignment: 64)
    base = raw.bindMemory(to: Element.self, capacity: n)
    base.initialize(repeating: value, count: n)
    self.count = n
  }

  /// The base pointer, to hand to worker threads (see ``SendablePointer`` for the rules).
  var shared: SendablePointer<Element> { SendablePointer(base) }

  deinit {
    UnsafeMutableRawPointer(base).deallocate()
  }
}

// MARK: - SendablePointer

/// An unsafe pointer handed to worker threads.
///
/// Invariant that makes the `@unchecked Sendable` sound: while the workers run, every element
/// is either only read by all of them, or written by exactly one worker (each work item owns a
/// disjoint range, or each thread its own scratch slot); the caller reads the results only after
/// ``FastParallel`` has joined the workers.
struct SendablePointer<Pointee>: @unchecked Sendable {
  /// The pointer.
  let p: UnsafeMutablePointer<Pointee>

  /// Wraps a pointer the workers may write through.
  init(_ p: UnsafeMutablePointer<Pointee>) {
    self.p = p
  }

  /// Wraps a pointer the workers only read through.
  init(readOnly p: UnsafePointer<Pointee>) {
    self.p = UnsafeMutablePointer(mutating: p)
  }
}

// MARK: - WorkCounter

/// The next unclaimed work item, shared by the workers of one parallel loop.
private final class WorkCounter: Sendable {
  let next = Atomic<Int>(0)
}

// MARK: - FastParallel

/// Runs work on the process's cores with Dispatch: one task per thread, joined before returning.
enum FastParallel {
  /// The number of online processors (at least 1).
  static let processorCount: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

  /// Calls `body(thread)` for `thread` in `0..<threads`, concurrently when `threads > 1`.
  static func run(threads: Int, _ body: @Sendable (Int) -> Void) {
    if threads <= 1 {
      body(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: threads, execute: body)
    }
  }

  /// Calls `body(item, thread)` once for every `item` in `0..<items`, handing items out
  /// dynamically to `threads` workers (a worker slowed down by another process takes fewer).
  static func forEach(items: Int, threads: Int, _ body: @Sendable (Int, Int) -> Void) {
    let workers = min(threads, items)
    if workers <= 1 {
      for item in 0..<items { body(item, 0) }
      return
    }
    let counter = WorkCounter()
    DispatchQueue.concurrentPerform(iterations: workers) { thread in
      while true {
        let item = counter.next.add(1, ordering: .relaxed).oldValue
        if item >= items { break }
        body(item, thread)
      }
    }
  }

  /// Calls `body(range, thread)` with `0..<items` split into `threads` contiguous ranges of
  /// nearly equal length (a fixed split, so that per-thread partial sums are reproducible).
  static func forEachRange(
    items: Int, threads: Int, _ body: @Sendable (Range<Int>, Int) -> Void
  ) {
    let workers = max(1, min(threads, items))
    run(threads: workers) { thread in
      let lo = items * thread / workers
      let hi = items * (thread + 1) / workers
      body(lo..<hi, thread)
    }
  }
}
