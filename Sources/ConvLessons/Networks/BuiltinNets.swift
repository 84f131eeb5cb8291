import ConvFormats
import Foundation

// MARK: - BuiltinNets

/// The networks shipped in `nets/` (embedded in the program), found by name: `digits` (the
/// default), `one-conv` and `deeper`.
public enum BuiltinNets {
  /// The shipped networks' names and file bytes, the default first. A new file in `nets/`
  /// needs its line here (a test checks that every file has one).
  private static let files: [(name: String, bytes: [UInt8])] = [
    ("digits", PackageResources.digits_net),
    ("one-conv", PackageResources.one_conv_net),
    ("deeper", PackageResources.deeper_net),
  ]

  /// The shipped networks' names, the default first.
  public static var names: [String] { files.map(\.name) }

  /// The default network's name.
  public static let defaultName = "digits"

  /// The shipped network `name` (with or without `.net`), parsed, or nil when there is none.
  public static func net(named name: String) throws -> NetFile? {
    let bare = name.hasSuffix(".net") ? String(name.dropLast(4)) : name
    guard let file = files.first(where: { $0.name == bare }) else { return nil }
    return try NetFile.parse(Data(file.bytes), source: "\(bare).net (built in)")
  }

  /// `argument` as a network — a shipped network's name, else a `.net` file's path — and the
  /// name to show for it (`digits.net (built in)`, the path). A name that is neither is one
  /// line that lists the shipped names.
  public static func load(_ argument: String) throws -> (file: NetFile, name: String) {
    if !argument.contains("/"), !FileManager.default.fileExists(atPath: argument),
      let net = try net(named: argument)
    {
      return (
        net,
        "\(argument.hasSuffix(".net") ? String(argument.dropLast(4)) : argument).net (built in)"
      )
    }
    guard FileManager.default.fileExists(atPath: argument) else {
      throw InputError(
        source: argument,
        "no such file, and not a built-in network (\(names.joined(separator: ", ")))")
    }
    return (try NetFile.load(path: argument), argument)
  }
}
