import ConvFormats
import Foundation
import Synchronization

// MARK: - Interruption

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP for every command but the viewer (whose terminal code
/// handles them itself): the program ends at once with status 128 + the signal (130, 143, 129),
/// quietly, without a backtrace, and never leaves a partial file behind.
///
/// Files are written whole or not at all (``SafeFile``: a temporary file renamed into place);
/// a signal that arrives while one is being written (``whileWriting(_:)``) is held until the
/// write is over, so the temporary file is never left. A progress line on standard error is
/// cleared first. A signal ignored when the program started (`nohup`, a background job of a
/// script) stays ignored.
enum Interruption {
  /// How many writes are in progress (the handler holds its signal while this is above 0).
  static let writing = Atomic<Int32>(0)
  /// A signal that arrived during a write (0: none).
  static let pending = Atomic<Int32>(0)
  /// Whether a progress line is on standard error (the handler clears it).
  static let progressShown = Atomic<Bool>(false)

  /// The signals ``install()`` took over.
  nonisolated(unsafe) private static var installed: [Int32] = []

  /// Gives the signals ``install()`` took back their default action (for the viewer).
  static func uninstall() {
    for sig in installed { signal(sig, SIG_DFL) }
    installed = []
  }

  /// Installs the handler for SIGINT, SIGTERM and SIGHUP.
  static func install() {
    // Touch the atomics before a handler can run, so it never initialises a global.
    _ = writing.load(ordering: .relaxed)
    _ = pending.load(ordering: .relaxed)
    _ = progressShown.load(ordering: .relaxed)
    for sig in [SIGINT, SIGTERM, SIGHUP] {
      var current = sigaction()
      guard sigaction(sig, nil, &current) == 0, !isIgnored(current) else { continue }
      var action = sigaction()
      #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = interruptionHandler
      #else
        action.__sigaction_u.__sa_handler = interruptionHandler
      #endif
      sigemptyset(&action.sa_mask)
      action.sa_flags = SA_RESTART
      if sigaction(sig, &action, nil) == 0 { installed.append(sig) }
    }
  }

  private static func isIgnored(_ action: sigaction) -> Bool {
    #if canImport(Glibc)
      let handler = action.__sigaction_handler.sa_handler
    #else
      let handler = action.__sigaction_u.__sa_handler
    #endif
    guard let handler else { return false }
    return unsafeBitCast(handler, to: Int.self) == 1  // SIG_IGN
  }

  /// Runs `body` (a file write) with the signals held: one that arrives meanwhile ends the
  /// program as soon as `body` returns.
  static func whileWriting<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
    writing.add(1, ordering: .sequentiallyConsistent)
    defer {
      writing.subtract(1, ordering: .sequentiallyConsistent)
      let sig = pending.load(ordering: .sequentiallyConsistent)
      if sig != 0 { end(sig) }
    }
    return try body()
  }

  /// Clears the progress line and exits with 128 + `sig`; only async-signal-safe calls.
  static func end(_ sig: Int32) {
    if progressShown.load(ordering: .sequentiallyConsistent) {
      let clear: StaticString = "\r\u{1b}[K"
      _ = write(2, clear.utf8Start, clear.utf8CodeUnitCount)
    }
    _exit(128 + sig)
  }
}

/// The signal handler: ends the program, or holds the signal while a file is being written.
private let interruptionHandler: @convention(c) (Int32) -> Void = { sig in
  if Interruption.writing.load(ordering: .sequentiallyConsistent) > 0 {
    Interruption.pending.store(sig, ordering: .sequentiallyConsistent)
    return
  }
  Interruption.end(sig)
}

// MARK: - ProgressLine

/// One updating line on standard error for long work (`export: 30% (600 of 2000 frames)`),
/// shown only when standard error is a terminal, at most ten times a second, and cleared when
/// the work is done: pipes, files and tests see nothing.
struct ProgressLine {
  private let label: String
  private var total: Int
  private let enabled: Bool
  private var last = ContinuousClock.now
  private var shown = false

  /// A progress line for `total` units of `label` (shown only on a terminal).
  init(_ label: String, total: Int, enabled: Bool = isatty(2) == 1) {
    self.label = label
    self.total = max(1, total)
    self.enabled = enabled
  }

  /// Shows `done` of the total (`total`, when given, replaces it), with `detail` (`cells`,
  /// `frames`) when given; `always` shows it even within a tenth of a second of the last.
  mutating func update(_ done: Int, total: Int? = nil, detail: String = "", always: Bool = false) {
    if let total { self.total = max(1, total) }
    let (total, label) = (self.total, self.label)
    show(always: always) {
      let percent = min(100, 100 * done / total)
      return "\(label): \(percent)% (\(done) of \(total)\(detail.isEmpty ? "" : " \(detail)"))"
    }
  }

  /// Draws `text()` over the last line, at most ten times a second unless `always` (the text
  /// is not made when it would not be drawn).
  mutating func show(always: Bool = false, _ text: () -> String) {
    guard enabled else { return }
    let now = ContinuousClock.now
    guard always || !shown || now - last >= .milliseconds(100) else { return }
    last = now
    Interruption.progressShown.store(true, ordering: .sequentiallyConsistent)
    shown = true
    _ = SafeFile.writeAll(2, Array("\r\u{1b}[K\(text())".utf8))
  }

  /// Clears the line.
  mutating func finish() {
    guard shown else { return }
    shown = false
    _ = SafeFile.writeAll(2, Array("\r\u{1b}[K".utf8))
    Interruption.progressShown.store(false, ordering: .sequentiallyConsistent)
  }
}
