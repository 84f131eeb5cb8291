import CSpawnShim

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - ChildProcess

/// Runs a program to its end with `posix_spawn`, `poll` and `waitpid`, and a deadline.
///
/// Foundation's `Process` on Linux learns that a child exited from a SIGCHLD it may never see:
/// under `swift test` its `waitUntilExit()` waited forever for a `tmux new-session -d` client
/// that had already exited (a zombie nobody reaped), and CI ran into its 90-minute limit. This
/// runner waits for its own child with `waitpid`, reads both pipes with `poll` so a chatty child
/// cannot block on a full pipe, creates every descriptor close-on-exec so no concurrently
/// spawned child (or daemon) inherits them, and kills the child at the deadline.
public enum ChildProcess {
  /// What a finished (or killed) child left behind.
  public struct Output: Sendable {
    /// The exit status; `128 + n` when signal `n` ended it.
    public var status: Int32
    /// The bytes it wrote to standard output (empty when not captured).
    public var stdout: [UInt8]
    /// The bytes it wrote to standard error (empty when not captured).
    public var stderr: [UInt8]
    /// Whether the deadline passed and the child was killed.
    public var timedOut: Bool

    /// Standard output as UTF-8 text.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error as UTF-8 text.
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
  }

  /// Why a child could not be started.
  public struct SpawnError: Error, CustomStringConvertible, Sendable {
    /// The program.
    public var executable: String
    /// The `errno` of the failed call.
    public var code: Int32

    /// One line naming the program and the system's reason.
    public var description: String {
      "cannot run \(executable): \(String(cString: strerror(code)))"
    }
  }

  /// Runs `executable` with `arguments` and waits for it, at most `timeout` seconds.
  ///
  /// - Parameters:
  ///   - environment: the whole environment of the child (`nil`: this process's).
  ///   - stdin: bytes for its standard input, which is then closed; `nil` gives it `/dev/null`.
  ///   - capture: read standard output and error; when `false` both go to `/dev/null` (for a
  ///     program that leaves a daemon holding them, like `tmux new-session -d`).
  ///   - timeout: seconds until the child is killed with SIGKILL; `Output.timedOut` says so.
  public static func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    stdin: [UInt8]? = nil, capture: Bool = true, timeout: Double = 60
  ) throws(SpawnError) -> Output {
    let deadline = now() + max(0, timeout)
    var pipes: [(read: Int32, write: Int32)] = []
    defer {
      for p in pipes {
        closeIfOpen(p.read)
        closeIfOpen(p.write)
      }
    }
    // Close-on-exec from the start (pipe2), so no child spawned meanwhile by another thread
    // inherits this child's pipes; the child itself also closes every descriptor above 2.
    let wanted = (stdin == nil ? 0 : 1) + (capture ? 2 : 0)
    for _ in 0..<wanted {
      var fds: [Int32] = [-1, -1]
      guard cs_pipe_cloexec(&fds) == 0 else {
        throw SpawnError(executable: executable, code: errno)
      }
      pipes.append((fds[0], fds[1]))
    }
    var pid: pid_t = 0
    let code = spawn(
      executable, arguments, environment: environment, pid: &pid,
      stdin: stdin == nil ? nil : pipes[0].read,
      stdout: capture ? pipes[pipes.count - 2].write : nil,
      stderr: capture ? pipes[pipes.count - 1].write : nil)
    guard code == 0 else { throw SpawnError(executable: executable, code: code) }
    let inPipe: Int? = stdin == nil ? nil : 0
    let outPipe: Int? = capture ? pipes.count - 2 : nil
    let errPipe: Int? = capture ? pipes.count - 1 : nil
    // The child holds its own copies; close this side's so EOF arrives when it exits.
    if let i = inPipe {
      closeIfOpen(pipes[i].read)
      pipes[i].read = -1
    }
    for index in [outPipe, errPipe] {
      if let i = index {
        closeIfOpen(pipes[i].write)
        pipes[i].write = -1
      }
    }
    let output = feedAndDrain(
      &pipes, stdin: inPipe.map { ($0, stdin ?? []) }, stdout: outPipe, stderr: errPipe,
      deadline: deadline)
    return reap(pid, output, deadline: deadline)
  }

  /// Writes `stdin`'s bytes to its pipe and reads the `stdout` and `stderr` pipes (indices into
  /// `pipes`, whose ends this side closes as they finish) until every pipe is closed or the
  /// deadline passes. The status is left to ``reap(_:_:deadline:)``.
  private static func feedAndDrain(
    _ pipes: inout [(read: Int32, write: Int32)], stdin: (pipe: Int, bytes: [UInt8])?,
    stdout outPipe: Int?, stderr errPipe: Int?, deadline: Double
  ) -> Output {
    let inPipe = stdin?.pipe
    var output = Output(status: -1, stdout: [], stderr: [], timedOut: false)
    let pending = stdin?.bytes ?? []
    var written = 0
    if let i = inPipe {
      _ = fcntl(pipes[i].write, F_SETFL, fcntl(pipes[i].write, F_GETFL) | O_NONBLOCK)
      if pending.isEmpty {
        closeIfOpen(pipes[i].write)
        pipes[i].write = -1
      }
    }
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      var fds = pollSet(pipes, stdin: inPipe, stdout: outPipe, stderr: errPipe)
      if fds.isEmpty { break }
      let left = deadline - now()
      if left <= 0 {
        output.timedOut = true
        break
      }
      let ready = poll(&fds, nfds_t(fds.count), Int32(min(left * 1000 + 1, 1000)))
      if ready < 0 && errno != EINTR { break }
      for entry in fds where entry.revents != 0 {
        if let i = inPipe, entry.fd == pipes[i].write {
          let n = pending.withUnsafeBytes { raw in
            writeWithoutSIGPIPE(
              entry.fd, raw.baseAddress.map { $0 + written }, pending.count - written)
          }
          if n > 0 { written += n }
          if n < 0 && errno != EAGAIN && errno != EINTR || written >= pending.count {
            closeIfOpen(pipes[i].write)
            pipes[i].write = -1
          }
          continue
        }
        let n = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
        if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
        let isOut = outPipe.map { pipes[$0].read == entry.fd } ?? false
        if n > 0 {
          if isOut { output.stdout += buffer[0..<n] } else { output.stderr += buffer[0..<n] }
        } else {
          let i = isOut ? outPipe : errPipe
          if let i {
            closeIfOpen(pipes[i].read)
            pipes[i].read = -1
          }
        }
      }
    }
    return output
  }

  /// The ends still open to wait on: stdin's write end for room, the outputs' read ends for data.
  private static func pollSet(
    _ pipes: [(read: Int32, write: Int32)], stdin inPipe: Int?, stdout outPipe: Int?,
    stderr errPipe: Int?
  ) -> [pollfd] {
    var fds: [pollfd] = []
    if let i = inPipe, pipes[i].write >= 0 {
      fds.append(pollfd(fd: pipes[i].write, events: Int16(POLLOUT), revents: 0))
    }
    for index in [outPipe, errPipe] {
      if let i = index, pipes[i].read >= 0 {
        fds.append(pollfd(fd: pipes[i].read, events: Int16(POLLIN), revents: 0))
      }
    }
    return fds
  }

  /// Waits for the child to end (killing it with SIGKILL at the deadline) and sets `output`'s
  /// status.
  private static func reap(_ pid: pid_t, _ output: Output, deadline: Double) -> Output {
    var output = output
    var status: Int32 = 0
    while !output.timedOut {
      let r = waitpid(pid, &status, WNOHANG)
      if r == pid { break }
      if r < 0 && errno != EINTR {
        output.status = -1
        return output
      }
      if now() >= deadline {
        output.timedOut = true
        break
      }
      usleep(2000)
    }
    if output.timedOut {
      kill(pid, SIGKILL)
      while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
    output.status = exitCode(status)
    return output
  }

  // MARK: Spawning

  /// `posix_spawn` with the given descriptors as 0, 1 and 2 (`nil`: `/dev/null`), default
  /// signal handling and an empty signal mask; returns 0 or the error code.
  private static func spawn(
    _ executable: String, _ arguments: [String], environment: [String: String]?,
    pid: inout pid_t, stdin: Int32?, stdout: Int32?, stderr: Int32?
  ) -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let stdin {
      posix_spawn_file_actions_adddup2(&actions, stdin, 0)
    } else {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    }
    for (fd, source) in [(Int32(1), stdout), (2, stderr)] {
      if let source {
        posix_spawn_file_actions_adddup2(&actions, source, fd)
      } else {
        posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
      }
    }
    // Descriptors this process opened without close-on-exec stay out of the child too.
    _ = cs_spawn_add_closefrom(&actions, 3)
    // The child starts with default signal handling, whatever this process changed.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for sig in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGCHLD, SIGWINCH] { sigaddset(&defaults, sig) }
    var emptyMask = sigset_t()
    sigemptyset(&emptyMask)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setsigmask(&attributes, &emptyMask)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

    let env =
      environment.map { $0.map { "\($0.key)=\($0.value)" } }
      ?? currentEnvironment()
    return withCStrings([executable] + arguments) { argv in
      withCStrings(env) { envp in
        posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
      }
    }
  }

  // MARK: Helpers

  /// `write`, with SIGPIPE blocked in this thread: a child that exits without reading all its
  /// input gives EPIPE here instead of killing the caller. The SIGPIPE the failed write raised
  /// for this thread is taken off before the old mask comes back.
  static func writeWithoutSIGPIPE(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    var pipeSignal = sigset_t()
    sigemptyset(&pipeSignal)
    sigaddset(&pipeSignal, SIGPIPE)
    var saved = sigset_t()
    pthread_sigmask(SIG_BLOCK, &pipeSignal, &saved)
    let n = write(fd, bytes, count)
    let failure = errno
    if n < 0 && failure == EPIPE {
      var noWait = timespec()
      _ = sigtimedwait(&pipeSignal, nil, &noWait)
    }
    pthread_sigmask(SIG_SETMASK, &saved, nil)
    errno = failure
    return n
  }

  /// The exit code of a `waitpid` status: the code, or 128 + the signal.
  static func exitCode(_ status: Int32) -> Int32 {
    let signal = status & 0x7f
    return signal == 0 ? (status >> 8) & 0xff : 128 + signal
  }

  static func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
  }

  static func closeIfOpen(_ fd: Int32) {
    if fd >= 0 { close(fd) }
  }

  /// This process's environment as `KEY=VALUE` strings.
  static func currentEnvironment() -> [String] {
    var result: [String] = []
    var p = environ
    while let entry = p.pointee {
      result.append(String(cString: entry))
      p += 1
    }
    return result
  }

  /// Calls `body` with a NULL-terminated array of C strings that live for the call.
  static func withCStrings<R>(
    _ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R
  ) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for p in pointers { free(p) } }
    return body(pointers)
  }
}
