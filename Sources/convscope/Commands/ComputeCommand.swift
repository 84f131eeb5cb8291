import ArgumentParser
import ConvCore

// MARK: - ComputeCommand

/// `convscope compute CASE.json`: the numbers for one test-vector case.
struct ComputeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compute",
    abstract: "Compute y, dx, dw, db for one case in the conv-vectors JSON format.")

  func run() throws {
    print("compute")
  }
}
