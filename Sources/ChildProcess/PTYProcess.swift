import CSpawnShim
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - PTYProcess

/// A program running on a pseudo-terminal of its own, driven like a person at a keyboard: bytes
/// written to the terminal are what it reads as keys, and what it draws is read and thrown away
/// (a thread drains it, so the program never blocks on a full terminal). One extra pipe can be
/// handed to it as descriptor 3 (`convscope bench` reads the viewer's frame reports there).
public final class PTYProcess: Sendable {
  /// The child's process id.
  public let pid: pid_t
  private let master: Int32
  private let drained = Mutex<(bytes: Int, done: Bool)>((0, false))
  private let status = Mutex<Int32?>(nil)

  /// Starts `executable` with `arguments` and `environment` on a `columns`×`rows` terminal;
  /// `descriptor3` (when given) becomes the child's descriptor 3. Throws
  /// ``ChildProcess/SpawnError`` when it cannot be started.
  public init(
    _ executable: String, _ arguments: [String], environment: [String: String], columns: Int,
    rows: Int, descriptor3: Int32? = nil
  ) throws {
    let argv = [executable] + arguments
    let envp = environment.map { "\($0.key)=\($0.value)" }
    var cArgs = argv.map { strdup($0) } + [nil]
    var cEnv = envp.map { strdup($0) } + [nil]
    defer {
      for p in cArgs { free(p) }
      for p in cEnv { free(p) }
    }
    var m: Int32 = -1
    var p: pid_t = 0
    let rc = cs_pty_spawn(
      executable, &cArgs, &cEnv, UInt16(clamping: columns), UInt16(clamping: rows),
      descriptor3 ?? -1, &m, &p)
    guard rc == 0 else { throw ChildProcess.SpawnError(executable: executable, code: rc) }
    master = m
    pid = p
    let fd = m
    Thread.detach { [self] in self.drain(fd) }
  }

  /// Writes `bytes` to the terminal, as if typed.
  public func send(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let n = write(master, raw.baseAddress.map { $0 + offset }, raw.count - offset)
        if n < 0, errno == EINTR { continue }
        if n <= 0 { return }
        offset += n
      }
    }
  }

  /// The bytes the program has drawn so far.
  public var bytesDrawn: Int { drained.withLock { $0.bytes } }

  /// Waits up to `timeout` seconds for the program to exit; its status (`128 + n` for signal
  /// `n`), or nil when it is still running.
  public func wait(timeout: Double) -> Int32? {
    let clock = ContinuousClock()
    let end = clock.now + .milliseconds(Int(timeout * 1000))
    while true {
      if let s = reap(blocking: false) { return s }
      if clock.now >= end { return nil }
      usleep(5_000)
    }
  }

  /// Kills the program (SIGKILL) if it still runs and reaps it.
  public func kill() {
    if reap(blocking: false) == nil {
      _ = Glibc.kill(pid, SIGKILL)
      _ = reap(blocking: true)
    }
  }

  deinit {
    kill()
    // The drain thread ends when the terminal reports the child gone; then the master closes.
    let clock = ContinuousClock()
    let end = clock.now + .seconds(2)
    while !drained.withLock({ $0.done }), clock.now < end { usleep(1_000) }
    close(master)
  }

  // MARK: Internals

  private func drain(_ fd: Int32) {
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0, errno == EINTR { continue }
      if n <= 0 { break }
      drained.withLock { $0.bytes += n }
    }
    drained.withLock { $0.done = true }
  }

  private func reap(blocking: Bool) -> Int32? {
    status.withLock { known in
      if let known { return known }
      var raw: Int32 = 0
      let r = waitpid(pid, &raw, blocking ? 0 : WNOHANG)
      guard r == pid else { return nil }
      let code = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
      known = code
      return code
    }
  }
}

// MARK: - Thread

/// A detached POSIX thread running `body` (ChildProcess does not import Foundation).
enum Thread {
  static func detach(_ body: @escaping @Sendable () -> Void) {
    final class Box: @unchecked Sendable {
      let body: @Sendable () -> Void
      init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(
      &thread, nil,
      { raw in
        guard let raw else { return nil }
        let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
        box.body()
        return nil
      }, box)
    if rc == 0 {
      pthread_detach(thread)
    } else {
      Unmanaged<Box>.fromOpaque(box).release()
    }
  }
}
