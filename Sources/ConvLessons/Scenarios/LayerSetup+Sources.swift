import ConvFormats
import ConvStepper

// MARK: - Naming a loaded tensor's origin

extension LayerSetup {
  /// How a loaded tensor is named: `file data/x.npy`, `preset sobel-x`, `given values`.
  static func source(of loaded: LoadedTensor) -> String {
    switch loaded.format {
    case .preset:
      return loaded.source.hasPrefix("preset") ? loaded.source : "preset \(loaded.source)"
    case .values: return "given values"
    default: return "file \(loaded.source)"
    }
  }
}
