import ConvFormats
import Foundation

// MARK: - AssetLibrary

/// The built-in pictures (hand-written digits, photographs), decoded from the bytes embedded in
/// the program by `scripts/make_assets.py`. Sources and licences: `assets/ATTRIBUTION.md`.
enum AssetLibrary {
  /// The names of the embedded files, sorted: `astronaut-256`, …, `digit-0`, ….
  static var names: [String] { EmbeddedAssets.files.keys.sorted() }

  /// The bytes of the embedded file `name` and its file name in `assets/`.
  static func file(_ name: String) throws -> (file: String, bytes: [UInt8]) {
    guard let entry = EmbeddedAssets.files[name] else {
      throw InputError(source: "asset \(name)", "no such built-in picture")
    }
    guard let data = Data(base64Encoded: entry.base64, options: .ignoreUnknownCharacters) else {
      throw InputError(source: "asset \(name)", "the embedded bytes are damaged")
    }
    return (entry.file, Array(data))
  }
}
