import ConvFormats
import Foundation

// MARK: - PresetEntry

/// One preset as `convscope presets` and the UI picker list it.
public struct PresetEntry: Sendable, Equatable {
  /// Whether a preset makes a kernel or an input.
  public enum Kind: String, Sendable {
    /// For `--kernel`.
    case kernel
    /// For `--input`.
    case input
  }

  /// Kernel or input.
  public var kind: Kind
  /// The name, e.g. `gaussian5`.
  public var name: String
  /// A one-line description.
  public var summary: String
  /// The shape in words, e.g. `5×5`.
  public var size: String
  /// How to pass a parameter, if the preset takes one.
  public var usage: String?
}

// MARK: - PresetCatalog

/// Every preset, for listings and pickers.
public enum PresetCatalog {
  /// The kernel presets, then the input presets.
  public static var entries: [PresetEntry] {
    KernelPresets.all.map {
      PresetEntry(kind: .kernel, name: $0.name, summary: $0.summary, size: $0.size, usage: $0.usage)
    }
      + InputPresets.all.map {
        PresetEntry(
          kind: .input, name: $0.name, summary: $0.summary, size: $0.size, usage: $0.usage)
      }
  }

  /// The text of `convscope presets`: two aligned tables, kernels (`--kernel`) and inputs
  /// (`--input`), with sizes and parameters.
  public static func listing() -> String {
    var out = ""
    for (kind, title) in [
      (PresetEntry.Kind.kernel, "Kernel presets (--kernel NAME), cross-correlation orientation:"),
      (.input, "Input presets (--input NAME[:PARAMETER]):"),
    ] {
      let rows = entries.filter { $0.kind == kind }
      let nameWidth = rows.map(\.name.count).max() ?? 0
      let sizeWidth = rows.map(\.size.count).max() ?? 0
      out += (out.isEmpty ? "" : "\n") + title + "\n"
      for row in rows {
        out +=
          "  " + row.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
          + row.size.padding(toLength: sizeWidth, withPad: " ", startingAt: 0) + "  "
          + row.summary + (row.usage.map { " — \($0)" } ?? "") + "\n"
      }
    }
    return out
  }
}
