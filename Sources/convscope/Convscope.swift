import ArgumentParser

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
      StepsCommand.self,
      LessonsCommand.self,
      PresetsCommand.self,
      BenchCommand.self,
      CheckCommand.self,
      GradcheckCommand.self,
      CodeCommand.self,
    ],
    defaultSubcommand: ViewCommand.self
  )
}
