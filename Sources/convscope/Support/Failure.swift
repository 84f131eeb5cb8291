import ArgumentParser
import ConvCore
import ConvFormats
import Foundation

// MARK: - Failing with one line

/// Runs `body`; a user error (bad file, impossible parameters) becomes one line on stderr,
/// `convscope: error: …`, and exit status 2.
func reportingUserErrors<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as InputError {
    throw fail(error.description)
  } catch let error as ConvError {
    throw fail(error.description)
  }
}

/// Prints `convscope: error: message` to stderr and returns the exit code 2 to throw.
func fail(_ message: String) -> ExitCode {
  printError("convscope: error: \(message)")
  return ExitCode(2)
}

/// Writes a line to standard error, its control characters escaped (`\u{1b}`): user text in a
/// message (a lesson's value, a file or preset name) can never drive the terminal or break the
/// line. Nothing is left to tell when the write fails (a closed or full standard error): the exit
/// status still says the command failed.
func printError(_ line: String) {
  _ = SafeFile.writeAll(2, Array((Printable.escape(line) + "\n").utf8))
}

/// Writes `text` to `path` (atomically: a failure leaves an earlier file whole; see
/// ``SafeFile``), or to standard output when `path` is nil or `-`.
func emit(_ text: String, to path: String?) throws {
  guard let path, path != "-" else {
    try Output.write(text)
    return
  }
  do {
    try Interruption.whileWriting { () throws(InputError) in try SafeFile.write(text, to: path) }
  } catch {
    throw fail(error.description)
  }
}

// MARK: - Standard output

/// Standard output, written straight to the file descriptor so that every failure is seen:
/// `print` buffers, and a full disk at exit lost the output with status 0, while
/// `FileHandle.write` trapped with a backtrace. A closed pipe (`… | head`) ends the program
/// quietly with status 141 (128 + SIGPIPE), as a Unix tool killed by SIGPIPE ends; any other
/// failure is one line on standard error and exit status 2.
enum Output {
  /// Writes `text` to standard output.
  static func write(_ text: String) throws {
    guard let code = SafeFile.writeAll(1, Array(text.utf8)) else { return }
    if code == EPIPE { exit(141) }
    throw fail("cannot write to standard output (\(SafeFile.reason(code)))")
  }

  /// Writes `text` and `terminator` (a line break unless told otherwise) to standard output.
  static func print(_ text: String = "", terminator: String = "\n") throws {
    try write(text + terminator)
  }
}
