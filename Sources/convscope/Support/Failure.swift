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

/// Writes a line to standard error.
func printError(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Writes `text` to `path`, or to standard output when `path` is nil or `-`.
func emit(_ text: String, to path: String?) throws {
  guard let path, path != "-" else {
    FileHandle.standardOutput.write(Data(text.utf8))
    return
  }
  do {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  } catch {
    throw fail("\(path): cannot write (\(error.localizedDescription))")
  }
}
