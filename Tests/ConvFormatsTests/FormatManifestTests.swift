import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvFormats

// MARK: - Manifest tests

/// Every file of `Tests/Fixtures/formats` against the values NumPy computed for it.
@Suite("Formats: files from independent writers")
struct FormatManifestTests {
  @Test("every readable fixture loads to exactly the expected values")
  func readableFixtures() throws {
    let manifest = try FormatFixtures.manifest()
    #expect(manifest.cases.count >= 90, "the manifest lists too few cases")
    for c in manifest.cases {
      let loaded: LoadedTensor
      do {
        loaded = try TensorFile.load(path: FormatFixtures.path(c.file), options: c.options)
      } catch {
        Issue.record("\(c.file) \(c.options): \(error)")
        continue
      }
      let label =
        "\(c.file) grey=\(c.options.grey) center=\(c.options.center) max=\(c.options.maxSize)"
      #expect(loaded.tensor.shape == c.shape, "\(label): shape \(loaded.tensor.shape)")
      #expect(
        sameValues(loaded.tensor.data, c.values, tolerance: c.tolerance),
        "\(label): values \(loaded.tensor.data.prefix(6)) … expected \(c.values.prefix(6)) …")
      #expect(loaded.isImage == c.isImage, "\(label): isImage")
      #expect(loaded.format.rawValue == c.format, "\(label): format \(loaded.format)")
      let counts = loaded.nonFinite
      #expect(
        counts
          == NonFiniteCounts(nan: c.nan, positiveInfinity: c.posinf, negativeInfinity: c.neginf),
        "\(label): non-finite counts \(counts)")
      for word in c.notesContain {
        #expect(
          loaded.notes.contains { $0.contains(word) },
          "\(label): no note with '\(word)' in \(loaded.notes)")
      }
      if c.notesContain.isEmpty, !c.options.grey, c.options.maxSize == 0 || !c.isImage {
        // Every type but float32 and bool says it was converted (NPYTests checks the words).
        let others = loaded.notes.filter { !$0.contains("to float32") }
        #expect(others.isEmpty, "\(label): unexpected notes \(loaded.notes)")
      }
      if counts.total > 0 {
        #expect(loaded.summary.contains("NaN") || loaded.summary.contains("Inf"), "\(label)")
      }
    }
  }

  @Test("every hostile fixture is refused with one line naming the file and the problem")
  func errorFixtures() throws {
    let manifest = try FormatFixtures.manifest()
    #expect(manifest.errors.count >= 40, "the manifest lists too few error cases")
    for e in manifest.errors {
      let path = FormatFixtures.path(e.file)
      let probe = AllocationProbe()
      let message = AllocationProbe.$current.withValue(probe) {
        inputErrorMessage { _ = try TensorFile.load(path: path, options: e.options) }
      }
      guard let message else {
        Issue.record("\(e.file): loaded, but should have been refused")
        continue
      }
      #expect(
        message.hasPrefix(path + ": "), "\(e.file): message does not name the file: \(message)")
      #expect(!message.contains("\n"), "\(e.file): message is not one line: \(message)")
      for word in e.contains {
        #expect(message.contains(word), "\(e.file): '\(word)' missing from: \(message)")
      }
      // Refused before allocating: nothing near the declared size was reserved.
      #expect(probe.largest <= 1 << 16, "\(e.file): reserved \(probe.largest) values first")
    }
  }

  @Test("the NPY writer produces exactly the bytes np.save wrote")
  func writerMatchesNumPy() throws {
    let manifest = try FormatFixtures.manifest()
    #expect(manifest.writer.count >= 4)
    for w in manifest.writer {
      let expected = try FormatFixtures.bytes(w.file)
      let tensor = try Tensor(shape: w.shape, data: w.values)
      let written = Array(NPYWriter.encode(tensor))
      #expect(
        written == expected, "\(w.file): \(written.count) bytes vs np.save's \(expected.count)")
      let back = try NPYReader.read(written, source: w.file)
      #expect(back.tensor.shape == w.shape)
      #expect(sameValues(back.tensor.data, w.values, tolerance: 0))
    }
  }
}
