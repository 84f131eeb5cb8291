import ArgumentParser
import ConvLessons

// MARK: - LessonsCommand

/// `convscope lessons`: the shipped lessons.
struct LessonsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lessons",
    abstract: "List the shipped lessons (open one with --lesson NAME).",
    discussion: """
      A lesson is a text file holding a whole configuration: layer parameters, input, kernels, \
      bias, dy, the phase and step to start at, a title and a line of text. --print NAME shows \
      a shipped lesson's file, a starting point for your own (open it with --lesson FILE).
      """)

  @Option(help: "Print the file of this lesson instead of the list.") var print: String?

  func run() throws {
    guard let name = print else {
      try Output.print(BuiltinLessons.listing())
      return
    }
    guard let entry = BuiltinLessons.named(name) else {
      throw fail(
        "no shipped lesson \"\(name)\" (shipped: "
          + BuiltinLessons.all.map(\.name).joined(separator: ", ") + ")")
    }
    try Output.print(entry.text, terminator: "")
  }
}

// MARK: - PresetsCommand

/// `convscope presets`: the kernel and input presets.
struct PresetsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "presets",
    abstract: "List the kernel presets (--kernel NAME) and input presets (--input NAME).")

  func run() throws {
    try Output.print(PresetCatalog.listing())
  }
}
