import ConvFormats

// MARK: - AssetLibrary

/// The built-in pictures (hand-written digits, photographs): the files in `assets/digits` and
/// `assets/photos`, which SwiftPM embeds in the program (`Resources/` in this target links to
/// them). Written by `scripts/make_assets.py`; sources and licences: `assets/ATTRIBUTION.md`.
enum AssetLibrary {
  /// Name → (file name in `assets/`, its bytes). A new picture needs its line here.
  private static let files: [String: (file: String, bytes: [UInt8])] = [
    "digit-0": ("digits/digit-0.pgm", PackageResources.digit_0_pgm),
    "digit-1": ("digits/digit-1.pgm", PackageResources.digit_1_pgm),
    "digit-2": ("digits/digit-2.pgm", PackageResources.digit_2_pgm),
    "digit-3": ("digits/digit-3.pgm", PackageResources.digit_3_pgm),
    "digit-4": ("digits/digit-4.pgm", PackageResources.digit_4_pgm),
    "digit-5": ("digits/digit-5.pgm", PackageResources.digit_5_pgm),
    "digit-6": ("digits/digit-6.pgm", PackageResources.digit_6_pgm),
    "digit-7": ("digits/digit-7.pgm", PackageResources.digit_7_pgm),
    "digit-8": ("digits/digit-8.pgm", PackageResources.digit_8_pgm),
    "digit-9": ("digits/digit-9.pgm", PackageResources.digit_9_pgm),
    "camera-64": ("photos/camera-64.png", PackageResources.camera_64_png),
    "astronaut-64": ("photos/astronaut-64.png", PackageResources.astronaut_64_png),
    "astronaut-256": ("photos/astronaut-256.png", PackageResources.astronaut_256_png),
  ]

  /// The names of the embedded files, sorted: `astronaut-256`, …, `digit-0`, ….
  static var names: [String] { files.keys.sorted() }

  /// The bytes of the embedded file `name` and its file name in `assets/`.
  static func file(_ name: String) throws -> (file: String, bytes: [UInt8]) {
    guard let entry = files[name] else {
      throw InputError(source: "asset \(name)", "no such built-in picture")
    }
    return entry
  }
}
