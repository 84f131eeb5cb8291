import CNCurses
import CNCursesGuard
import Synchronization
import TermUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - NCursesTerminal

/// The real terminal, driven by ncurses: draws `CellBuffer`s, reads `InputEvent`s and always
/// gives the terminal back.
///
/// Typical loop (the app owns the model; `view` is pure):
/// ```swift
/// let terminal = NCursesTerminal()
/// let caps = try terminal.start(environment: ProcessInfo.processInfo.environment)
/// defer { terminal.stop() }
/// while true {
///   terminal.draw(view(model, caps, terminal.size))
///   switch terminal.readEvent(timeoutMilliseconds: playing ? 100 : nil) {
///   case .interrupted(let signal)?: terminal.stop(); exit(128 + signal)
///   case .key(.character("q"))?: return
///   case let event?: update(&model, event)
///   case nil: tick(&model)  // the timeout elapsed
///   }
/// }
/// ```
///
/// Terminal modes: `cbreak` (so Ctrl-C, Ctrl-Z and Ctrl-\ keep their usual meaning: SIGINT,
/// suspend, SIGQUIT), no echo, keypad on (arrows and function keys arrive as keys), ESC delay
/// 25 ms, cursor hidden, mouse press/release/wheel reporting on unless turned off.
///
/// Restoring, in every way out:
/// - ``stop()``: idempotent; `deinit` calls it, and so does `exit()` (an atexit hook) if the app
///   forgot.
/// - Quit signals (SIGINT from Ctrl-C, SIGTERM, SIGHUP, and every other signal whose default
///   ends the process without a core: SIGUSR1, SIGALRM, SIGPIPE, …) are only recorded:
///   ``readEvent(timeoutMilliseconds:)`` returns `.interrupted(signal:)` within
///   ``signalCheckMilliseconds`` and ``pendingSignal`` is set, so the loop stops and exits with
///   `128 + signal`. A second one while the first is still
///   unhandled (the app is stuck) restores the terminal and dies of it.
/// - Crashes (Swift traps are SIGILL/SIGTRAP; SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGXCPU, SIGQUIT from
///   Ctrl-\): the terminal is restored, then the process dies of the signal; a real fault first
///   reaches the Swift runtime's crash report, which now prints on the normal screen.
/// - While started, standard error (when it is a terminal) is held in a temporary file and
///   written out when the terminal is restored, so messages neither scribble over the screen nor
///   vanish with it.
///
/// ncurses handles resizes (`SIGWINCH` → `.resize`) and Ctrl-Z (suspend and redraw) itself.
///
/// Only one instance can be started at a time. Not thread-safe: use it from one thread.
public final class NCursesTerminal: Terminal {
  // MARK: State

  /// Whether this instance started ncurses and has not stopped it.
  public internal(set) var isActive = false
  /// What the view may use, settled by ``start(environment:colorChoice:ascii:mouse:)``;
  /// ``Capabilities/plain`` before.
  public internal(set) var capabilities = Capabilities.plain

  var screen: OpaquePointer?
  var window: UnsafeMutablePointer<WINDOW>?
  var colorMapper = ColorMapper(level: .none, defaultColors: false)
  var pairCache = ColorPairCache(pairCount: 0)
  var glyphScratch = [wchar_t](repeating: 0, count: 6)
  /// Started by ``startOffscreen(term:columns:rows:)``: no signal guard, not claimed.
  var offscreen = false
  /// The mouse button pressed and not yet released (motion is then a drag).
  var heldButton: MouseEvent.Button?

  /// Set while some instance owns ncurses.
  private static let claimed = Atomic<Bool>(false)

  /// A terminal that is not started yet.
  public init() {}

  deinit { stop() }

  // MARK: Start

  /// Takes over the terminal: alternate screen, `cbreak`, no echo, keypad, hidden cursor,
  /// colours and (if `mouse`) mouse reporting. Returns the final capabilities (also in
  /// ``capabilities``).
  ///
  /// - Parameters:
  ///   - environment: the process environment (`TERM`, `COLORTERM`, `NO_COLOR`, `LC_ALL`, …);
  ///     `TERM` here is the terminal type ncurses drives.
  ///   - colorChoice: `--color`; a level the terminal cannot show is lowered to what it can.
  ///   - ascii: `--ascii`: no glyphs outside ASCII.
  ///   - mouse: report mouse presses, releases and the wheel (the terminal's own text selection
  ///     then needs Shift).
  /// - Throws: ``TerminalError`` (not a terminal, `TERM` unset or unusable, already active);
  ///   the terminal is untouched then.
  ///
  /// Sets the process locale from the environment (`setlocale(LC_ALL, "")`, `LC_NUMERIC` kept
  /// `C`), which ncurses needs for UTF-8. Calling it while started changes nothing and returns
  /// ``capabilities``; after ``stop()`` it starts afresh.
  @discardableResult
  public func start(
    environment: [String: String], colorChoice: Capabilities.ColorChoice = .auto,
    ascii: Bool = false, mouse: Bool = true
  ) throws -> Capabilities {
    guard !isActive else { return capabilities }
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
      throw TerminalError.notATerminal
    }
    guard let term = environment["TERM"], !term.isEmpty else { throw TerminalError.noTerminalType }
    try openScreen(term: term)
    // Messages on stderr would scribble over the screen (and a crash report would vanish with
    // the alternate screen): keep them until the terminal is restored.
    cnc_guard_capture_stderr()
    setModes(mouse: mouse)
    return resolveCapabilities(
      Capabilities.detect(environment: environment, colorChoice: colorChoice, ascii: ascii))
  }

  /// Claims ncurses for this instance, arms the signal guard and opens the screen of `term`;
  /// undoes all of it and throws when the terminal cannot be driven.
  private func openScreen(term: String) throws {
    guard
      Self.claimed.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    else { throw TerminalError.alreadyActive }

    cnc_setlocale_from_environment()
    // Before newterm: ncurses then leaves SIGINT/SIGTERM to us instead of exiting on them.
    cnc_guard_arm()
    guard let screen = cnc_newterm(term), let window = cnc_stdscr() else {
      cnc_guard_disarm()
      Self.claimed.store(false, ordering: .releasing)
      throw TerminalError.unusableTerminal(term)
    }
    guard cnc_can_address_cursor() != 0 else {
      endwin()
      delscreen(screen)
      cnc_guard_disarm()
      Self.claimed.store(false, ordering: .releasing)
      throw TerminalError.unusableTerminal(term)
    }
    self.screen = screen
    self.window = window
    isActive = true
  }

  /// `cbreak`, no echo, keypad and the extra key sequences, ESC delay 25 ms, hidden cursor and
  /// (if `mouse`) mouse reporting.
  private func setModes(mouse: Bool) {
    cbreak()
    noecho()
    keypad(window, true)
    KeySequences.install()
    set_escdelay(25)
    curs_set(0)
    leaveok(window, true)
    if mouse {
      mousemask(MouseMapping.wantedMask, nil)
      mouseinterval(0)  // no click resolution: presses arrive at once, as press and release
    }
  }

  /// Starts colours when `requested` wants them and settles what the terminal really shows
  /// (stored in ``capabilities``, and the colour and glyph state that drawing uses).
  private func resolveCapabilities(_ requested: Capabilities) -> Capabilities {
    var defaultColors = false
    var colors = 0
    if requested.color != .none && has_colors() {
      start_color()
      defaultColors = use_default_colors() == OK
      colors = Int(cnc_colors())
    }
    let codeset = cnc_codeset().map { String(cString: $0) } ?? ""
    capabilities = CapabilityResolution.resolve(
      requested: requested, hasColors: colors > 0, colors: colors, codeset: codeset)
    colorMapper = ColorMapper(level: capabilities.color, defaultColors: defaultColors)
    pairCache = ColorPairCache(pairCount: capabilities.color == .none ? 0 : Int(cnc_color_pairs()))
    glyphScratch = [wchar_t](repeating: 0, count: Int(cnc_ccharw_max()) + 1)
    return capabilities
  }

  // MARK: Stop

  /// Gives the terminal back: normal screen, visible cursor, echo, line mode, previous signal
  /// handlers. Safe to call any number of times; ``pendingSignal`` stays readable.
  public func stop() {
    guard isActive else { return }
    isActive = false
    if offscreen {
      endwin()
      if let screen { delscreen(screen) }
      screen = nil
      window = nil
      offscreen = false
      return
    }
    endwin()
    cnc_guard_disarm()  // replays captured stderr on the normal screen
    if let screen { delscreen(screen) }
    screen = nil
    window = nil
    Self.claimed.store(false, ordering: .releasing)
  }

  // MARK: Queries

  /// The terminal's size in cells; `(0, 0)` when not started.
  public var size: (columns: Int, rows: Int) {
    guard isActive, let window else { return (0, 0) }
    var rows: Int32 = 0
    var cols: Int32 = 0
    cnc_getmaxyx(window, &rows, &cols)
    return (Int(max(0, cols)), Int(max(0, rows)))
  }

  /// The time since the process first asked (monotonic): the clock of the ``Terminal`` protocol.
  public var now: Duration { Self.origin.duration(to: ContinuousClock.now) }

  private static let origin = ContinuousClock.now

  /// The quit signal (SIGINT, SIGTERM or SIGHUP) received since the last
  /// ``start(environment:colorChoice:ascii:mouse:)``, if any. The app should stop and exit with
  /// `128 + signal`.
  public var pendingSignal: Int32? {
    let s = cnc_guard_pending_signal()
    return s == 0 ? nil : s
  }
}
