import ArgumentParser
import Foundation

// MARK: - Convscope

/// The `convscope` command: a terminal tool that teaches and debugs the convolution layer of a
/// CNN. Without a subcommand it opens the interactive viewer.
@main
struct Convscope: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convscope",
    abstract: "Teach and debug the convolution layer of a CNN, one window at a time.",
    version: "0.1.0",
    subcommands: [
      ViewCommand.self,
      RenderCommand.self,
      ExportCommand.self,
      DemoCommand.self,
      ComputeCommand.self,
      TrainCommand.self,
      NetCommand.self,
      StepsCommand.self,
      LessonsCommand.self,
      PresetsCommand.self,
      BenchCommand.self,
      CheckCommand.self,
      GradcheckCommand.self,
      CodeCommand.self,
      QuizCommand.self,
    ],
    defaultSubcommand: ViewCommand.self
  )

  /// Runs the command. A usage error (an unknown flag, a value that does not parse) follows the
  /// rule every other bad input follows: one line, `convscope: error: …`, the hint where to look,
  /// and exit status 2 (the argument parser's own is status 64 and up to eleven lines). Help,
  /// `--version` and the commands' own exits are unchanged.
  static func main() {
    // First thing, so that a signal sent as soon as the program starts ends it cleanly too.
    Interruption.install()
    do {
      var command = try parseAsRoot()
      // The viewer and the net screen handle their signals themselves (it restores the terminal first).
      if command is ViewCommand || command is NetCommand { Interruption.uninstall() }
      try command.run()
    } catch {
      guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
      let lines = fullMessage(for: error).split(separator: "\n").map(String.init)
      var first = lines.first ?? "bad arguments"
      if first.hasPrefix("Error: ") { first.removeFirst("Error: ".count) }
      let hint = lines.last { $0.contains("--help") }?.trimmingCharacters(in: .whitespaces)
      printError("convscope: error: \(first)" + (hint.map { " (\($0))" } ?? ""))
      Foundation.exit(2)
    }
  }
}
