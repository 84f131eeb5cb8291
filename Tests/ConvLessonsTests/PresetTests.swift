import ConvCore
import ConvFormats
import ConvStepper
import Foundation
import TestSupport
import Testing

@testable import ConvLessons

// MARK: - Presets

@Suite("Presets: kernels, inputs and the catalogue")
struct PresetTests {
  @Test("every preset in the manifest holds the values Python computed")
  func presetsMatchManifest() throws {
    let manifest = try FormatFixtures.manifest()
    #expect(manifest.presets.count >= 30)
    for p in manifest.presets {
      let loaded: LoadedTensor
      do {
        loaded =
          p.kind == "kernel"
          ? try KernelPresets.make(p.spec, inChannels: p.channels, seed: 1)
          : try InputPresets.make(p.spec, options: p.options, seed: 1)
      } catch {
        Issue.record("\(p.spec): \(error)")
        continue
      }
      #expect(loaded.tensor.shape == p.shape, "\(p.spec): shape \(loaded.tensor.shape)")
      let sampled = stride(from: 0, to: loaded.tensor.count, by: p.stride).map {
        loaded.tensor.data[$0]
      }
      #expect(
        sameValues(sampled, p.values, tolerance: p.tolerance),
        "\(p.spec) \(p.options): \(sampled.prefix(6)) … expected \(p.values.prefix(6)) …")
      #expect(loaded.format == .preset)
    }
  }

  @Test("every kernel preset named in the issue exists, with a description and a size")
  func kernelNames() throws {
    let names = KernelPresets.all.map(\.name)
    for name in [
      "identity", "box3", "box5", "gaussian3", "gaussian5", "sharpen", "sobel-x", "sobel-y",
      "laplacian", "emboss", "prewitt", "prewitt-x", "prewitt-y", "outline", "random",
    ] {
      #expect(names.contains(name), "missing kernel preset \(name)")
    }
    for preset in KernelPresets.all {
      #expect(!preset.summary.isEmpty && !preset.summary.contains("\n"))
      #expect(!preset.size.isEmpty)
    }
  }

  @Test("sobel-x is [[-1,0,1],[-2,0,2],[-1,0,1]] and brightens to the right, not the left")
  func sobelOrientation() throws {
    let k = try KernelPresets.make("sobel-x", inChannels: 1, seed: 0).tensor
    #expect(k.shape == [1, 1, 3, 3])
    #expect(k.data == [-1, 0, 1, -2, 0, 2, -1, 0, 1])
    // Cross-correlation on a left-dark, right-bright step gives a positive response.
    let step: [Float] = [0, 0, 1, 0, 0, 1, 0, 0, 1]
    let response = zip(k.data, step).reduce(Float(0)) { $0 + $1.0 * $1.1 }
    #expect(response == 4)
  }

  @Test("blurs sum to 1, edge detectors to 0")
  func kernelSums() throws {
    for name in ["identity", "box3", "box5", "gaussian3", "gaussian5", "sharpen"] {
      let sum = try KernelPresets.make(name, inChannels: 1, seed: 0).tensor.data.reduce(0, +)
      #expect(abs(sum - 1) < 1e-6, "\(name) sums to \(sum)")
    }
    for name in ["sobel-x", "sobel-y", "laplacian", "prewitt", "outline"] {
      let sum = try KernelPresets.make(name, inChannels: 1, seed: 0).tensor.data.reduce(0, +)
      #expect(sum == 0, "\(name) sums to \(sum)")
    }
  }

  @Test("random kernels are He-initialised, seeded and shaped by their parameter")
  func randomKernel() throws {
    let a = try KernelPresets.make("random:64x3x3", inChannels: 3, seed: 42)
    #expect(a.tensor.shape == [64, 3, 3, 3])
    let values = a.tensor.data.map(Double.init)
    let mean = values.reduce(0, +) / Double(values.count)
    let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count))
      .squareRoot()
    let expected = (2.0 / 27).squareRoot()
    #expect(abs(mean) < 0.03, "mean \(mean)")
    #expect(abs(std - expected) / expected < 0.1, "std \(std) vs He \(expected)")
    let again = try KernelPresets.make("random:64x3x3", inChannels: 3, seed: 42)
    #expect(again.tensor == a.tensor)
    let other = try KernelPresets.make("random:64x3x3", inChannels: 3, seed: 43)
    #expect(other.tensor != a.tensor)
    #expect(try KernelPresets.make("random", inChannels: 2, seed: 1).tensor.shape == [1, 2, 3, 3])
    #expect(
      try KernelPresets.make("random:5", inChannels: 1, seed: 1).tensor.shape == [1, 1, 5, 5])
    #expect(
      try KernelPresets.make("random:3x5", inChannels: 1, seed: 1).tensor.shape == [1, 1, 3, 5])
  }

  @Test("input presets: impulse, patterns and random have their documented sizes")
  func inputShapes() throws {
    #expect(try InputPresets.make("impulse").tensor.shape == [1, 1, 9, 9])
    #expect(try InputPresets.make("checkerboard").tensor.shape == [1, 1, 8, 8])
    #expect(try InputPresets.make("stripes:5x7").tensor.shape == [1, 1, 5, 7])
    let r = try InputPresets.make("random:10", seed: 3)
    #expect(r.tensor.shape == [1, 1, 10, 10])
    #expect(r.tensor.data.allSatisfy { $0 >= 0 && $0 < 1 })
    #expect(try InputPresets.make("random:10", seed: 3).tensor == r.tensor)
    #expect(try InputPresets.make("random:10", seed: 4).tensor != r.tensor)
    let centered = try InputPresets.make("random:10", options: LoadOptions(center: true), seed: 3)
    #expect(centered.tensor.data == r.tensor.data.map { 2 * $0 - 1 })
    let impulse = try InputPresets.make("impulse:5").tensor
    #expect(impulse.data.reduce(0, +) == 1 && impulse[[0, 0, 2, 2]] == 1)
  }

  @Test("photo:large is reduced to --max-size and says so")
  func photoReduction() throws {
    let large = try InputPresets.make("photo:large")
    #expect(large.tensor.shape == [1, 3, 64, 64])
    #expect(large.notes.contains("reduced from 256×256 to 64×64 by area averaging"))
    #expect(large.summary.contains("reduced from 256×256"))
    let whole = try InputPresets.make("photo:large", options: LoadOptions(maxSize: 0))
    #expect(whole.tensor.shape == [1, 3, 256, 256])
    let grey = try InputPresets.make("photo:rgb", options: LoadOptions(grey: true))
    #expect(grey.tensor.shape == [1, 1, 64, 64])
  }

  @Test("bad preset specs are one-line errors, with a suggestion for near misses")
  func badSpecs() {
    let cases: [(String, [String])] = [
      ("sobelx", ["unknown kernel preset 'sobelx'", "did you mean sobel-x?"]),
      ("gausian5", ["did you mean gaussian5?"]),
      ("identity:3", ["takes no parameter"]),
      ("random:0", ["random:K"]),
      ("random:1x2x3x4", ["random:K"]),
      ("random:abc", ["random:K"]),
    ]
    for (spec, words) in cases {
      let message = inputErrorMessage { _ = try KernelPresets.make(spec, inChannels: 1, seed: 0) }
      for word in words {
        #expect(message?.contains(word) == true, "\(spec): \(message ?? "no error")")
      }
    }
    let inputCases: [(String, String)] = [
      ("digit:10", "digit:0 … digit:9"), ("digit:x", "digit:0"), ("photo:huge", "photo:rgb"),
      ("checkerboard:0", "checkerboard:N"), ("checkerboard:5000", "4096"),
      ("checkerbord", "did you mean checkerboard?"), ("impulse:3x", "impulse:N"),
    ]
    for (spec, word) in inputCases {
      let message = inputErrorMessage { _ = try InputPresets.make(spec) }
      #expect(message?.contains(word) == true, "\(spec): \(message ?? "no error")")
      #expect(message?.hasPrefix("preset ") == true)
    }
  }

  @Test("the catalogue lists every preset with its size and usage")
  func catalogue() {
    let listing = PresetCatalog.listing()
    for entry in PresetCatalog.entries {
      #expect(listing.contains(entry.name), "\(entry.name) missing from the listing")
      #expect(listing.contains(entry.size))
    }
    #expect(
      PresetCatalog.entries.filter { $0.kind == .input }.map(\.name) == [
        "impulse", "checkerboard", "gradient", "stripes", "random", "digit", "photo",
      ])
    #expect(listing.contains("digit:0 … digit:9"))
  }

  @Test("the embedded pictures decode, and match the files in assets/")
  func embeddedAssets() throws {
    #expect(AssetLibrary.names.count == 13)
    for name in AssetLibrary.names {
      let (file, bytes) = try AssetLibrary.file(name)
      let onDisk = FormatFixtures.root.appendingPathComponent("assets/\(file)").path
      guard let disk = FileManager.default.contents(atPath: onDisk) else {
        Issue.record("assets/\(file) is missing: run scripts/make_assets.py")
        continue
      }
      #expect(Array(disk) == bytes, "\(name): embedded bytes differ from assets/\(file)")
      _ = try TensorFile.parse(bytes, source: file, options: LoadOptions(maxSize: 0))
    }
  }

  @Test(
    "an input preset's channels are known before loading it, and match what it loads",
    arguments: [
      "photo", "photo:grey", "photo:rgb", "photo:colour", "photo:large", "photo:RGB", "digit:3",
      "checkerboard:6", "impulse", "gradient", "stripes", "random",
    ])
  func inputChannels(spec: String) throws {
    let loaded = try InputPresets.make(spec)
    #expect(InputPresets.channels(of: spec) == loaded.tensor.shape[1], "\(spec)")
  }
}
