import ArgumentParser
import ConvCore
import ConvDebug
import ConvFormats
import ConvStepper
import Foundation

// MARK: - CodeCommand

/// `convscope code [layer and data flags] --lang numpy|pytorch`: Python that reproduces the
/// layer.
struct CodeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "code",
    abstract: "Print Python (NumPy or PyTorch) that reproduces the configured layer.",
    discussion: """
      The program has the layer's parameters and tensors (inline up to 400 values each; larger
      ones are written as .npy files to --output DIR, or to a new temporary directory that the
      program names), runs the forward and the backward pass for the same output gradient and
      prints y, dx, dw and db, one line each: name, shape, ":", the values row-major. The NumPy
      version writes the convolution out (np.pad, window slices, np.einsum) and needs only
      NumPy; the PyTorch version uses torch.nn.functional.conv2d with autograd. For a
      conv_transpose2d case (--case) or a --transposed layer, the NumPy version writes the scatter out in loops (each
      input cell stamps its kernel onto the output) and the PyTorch version uses
      torch.nn.ConvTranspose2d.
      """)

  @OptionGroup var source: LayerSource

  @Option(help: "numpy or pytorch.") var lang: CodeLanguage = .numpy
  @Option(
    name: .shortAndLong,
    help: ArgumentHelp("Write the .npy files of large tensors here.", valueName: "DIR"))
  var output: String?

  func run() throws {
    let text = try reportingUserErrors { () -> String in
      let command = "convscope " + CommandLine.arguments.dropFirst().joined(separator: " ")
      let make: (String) -> CodeExport
      let setup: LayerSetup?
      if let (layer, transposedSetup, _) = try source.transposedLayer() {
        setup = transposedSetup
        make = { [lang] in
          CodeExport(transposed: layer, language: lang, dataDirectory: $0, command: command)
        }
      } else {
        let (scenario, layerSetup) = try source.layerAndSetup()
        let trace = try LayerTrace(scenario)
        setup = layerSetup
        make = { [lang] in
          CodeExport(trace: trace, language: lang, dataDirectory: $0, command: command)
        }
      }
      var export = make(output ?? "")
      guard !export.files.isEmpty else { return Self.withSetup(export.source, setup) }
      let directory = try dataDirectory()
      export = make(directory)
      for file in export.files {
        // A signal waits until the file is whole (see Interruption), as emit's writes do.
        let path = URL(fileURLWithPath: directory).appendingPathComponent(file.name).path
        try Interruption.whileWriting { try NPYWriter.write(file.tensor, to: path) }
      }
      return Self.withSetup(export.source, setup)
    }
    try Output.print(text, terminator: "")
  }

  /// `program` with the defaults in use and the tensors' origins as comments under its first two
  /// lines (the command and the layer); as it is without a setup.
  static func withSetup(_ program: String, _ setup: LayerSetup?) -> String {
    guard let setup else { return program }
    var lines = program.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines.insert(contentsOf: setup.lines.map { "# " + $0 }, at: min(2, lines.count))
    return lines.joined(separator: "\n")
  }

  /// `--output` (made when missing, but only that one folder: its parent must exist, so a typo
  /// never builds a tree of folders somewhere), or a new temporary directory; as an absolute
  /// path.
  func dataDirectory() throws -> String {
    let fm = FileManager.default
    guard let output else {
      let url = fm.temporaryDirectory.appendingPathComponent("convscope-code-\(UUID().uuidString)")
      try Self.makeFolder(url)
      return url.standardizedFileURL.path
    }
    let url = URL(fileURLWithPath: output).standardizedFileURL
    var isFolder: ObjCBool = false
    if fm.fileExists(atPath: url.path, isDirectory: &isFolder) {
      guard isFolder.boolValue else {
        throw InputError(source: output, "--output names a file, not a folder for the .npy files")
      }
      return url.path
    }
    let parent = url.deletingLastPathComponent()
    guard fm.fileExists(atPath: parent.path, isDirectory: &isFolder), isFolder.boolValue else {
      throw InputError(
        source: output,
        "--output's parent folder \(parent.path) does not exist; convscope makes only the last "
          + "folder (create the others first, e.g. mkdir -p)")
    }
    try Self.makeFolder(url)
    return url.path
  }

  /// Makes the folder `url` (its parent exists).
  static func makeFolder(_ url: URL) throws {
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    } catch {
      throw InputError(
        source: url.path, "cannot create the directory (\(error.localizedDescription))")
    }
  }
}

extension CodeLanguage: ExpressibleByArgument {}
