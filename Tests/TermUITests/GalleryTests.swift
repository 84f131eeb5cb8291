import Foundation
import TermUI
import TestSupport
import Testing

// MARK: - Gallery

@Suite("Gallery")
struct GalleryTests {
  /// Draws every gallery frame and checks that its ANSI export carries exactly its text and that
  /// something was drawn. With `TERMUI_GALLERY_DIR` set (`scripts/gallery.sh`), also writes each
  /// frame there as ANSI (and the dashboards as SVG) to look at.
  @Test func everyFrameExportsItsText() throws {
    let dir = ProcessInfo.processInfo.environment["TERMUI_GALLERY_DIR"]
    let frames = Gallery.frames()
    #expect(frames.count == 6 * (1 + 4 * 3 + 3 + 3 + 1 + 3 * 2))
    for frame in frames {
      let b = frame.buffer
      let ansi = b.ansiText(capabilities: frame.capabilities)
      #expect(ANSI.strip(ansi) == b.lines.joined(separator: "\n"), "\(frame.name)")
      #expect(b.lines.contains { $0.contains { $0 != " " } }, "\(frame.name) is blank")
      guard let dir else { continue }
      let text = (frame.header.isEmpty ? "" : frame.header + "\n") + ansi + "\n"
      try text.write(toFile: "\(dir)/\(frame.name).ans", atomically: true, encoding: .utf8)
      if frame.svg {
        try b.svg(capabilities: frame.capabilities).write(
          toFile: "\(dir)/\(frame.name).svg", atomically: true, encoding: .utf8)
      }
    }
  }
}
