import TermUI
import Testing

@testable import NCursesBackend

// MARK: - NCursesTerminal without a terminal

/// These never call `start`: `swift test` may run in a real terminal, which a test must not take
/// over. The started terminal is checked by hand in tmux (see the branch's report).
@Suite("NCursesTerminal")
struct NCursesTerminalTests {
  @Test("a terminal that is not started does nothing and reports nothing")
  func notStarted() {
    let terminal = NCursesTerminal()
    #expect(!terminal.isActive)
    #expect(terminal.size == (0, 0))
    #expect(terminal.capabilities == .plain)
    terminal.draw(CellBuffer(width: 3, height: 2))
    #expect(terminal.readEvent(timeoutMilliseconds: 0) == nil)
    #expect(terminal.readEvent(timeoutMilliseconds: nil) == nil)
    terminal.stop()
    terminal.stop()
    #expect(!terminal.isActive)
  }

  @Test("it is a Terminal: size, capabilities, a clock that goes forward, draw, stop")
  func terminalProtocol() throws {
    let terminal: any Terminal = NCursesTerminal()
    #expect(terminal.size == (0, 0))
    #expect(terminal.capabilities == .plain)
    let before = terminal.now
    #expect(terminal.readEvent(timeoutMilliseconds: 0) == nil)
    #expect(terminal.now >= before)
    terminal.draw(CellBuffer(width: 2, height: 2))
    terminal.stop()
  }

  @Test("errors are one-line messages")
  func errorMessages() {
    #expect(
      TerminalError.notATerminal.description
        == "convscope needs a terminal; use `convscope render` for text output")
    #expect(TerminalError.unusableTerminal("foo").description.contains("'foo'"))
    for error in [
      TerminalError.notATerminal, .noTerminalType, .unusableTerminal("x"), .alreadyActive,
    ] {
      #expect(!error.description.contains("\n"))
    }
  }

  @Test("waits are rounded up to whole milliseconds, never negative")
  func milliseconds() {
    #expect(NCursesTerminal.milliseconds(.zero) == 0)
    #expect(NCursesTerminal.milliseconds(.microseconds(1)) == 1)
    #expect(NCursesTerminal.milliseconds(.milliseconds(250)) == 250)
    #expect(NCursesTerminal.milliseconds(.seconds(2) + .nanoseconds(1)) == 2001)
    #expect(NCursesTerminal.milliseconds(.milliseconds(-5)) == 0)
    #expect(NCursesTerminal.milliseconds(.seconds(Int64.max)) > 1_000_000_000)
  }
}
