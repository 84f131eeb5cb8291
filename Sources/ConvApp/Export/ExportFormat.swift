import TermUI

// MARK: - ExportFormat

/// What a frame or a walk of the viewer can be exported as.
///
/// Four formats hold one frame (``svg``, ``html``, ``txt``, ``ansi``); ``asciicast`` holds a
/// recording (asciinema's `.cast`, see ``SessionRecorder``).
public enum ExportFormat: String, Sendable, Hashable, CaseIterable {
  /// An SVG drawing of the cell grid: cell backgrounds as rectangles, text in a monospace font,
  /// block and box glyphs as geometry; opens in a browser and scales in slides.
  case svg
  /// A complete HTML page showing the SVG.
  case html
  /// Plain text: the glyphs, no colour, trailing blanks trimmed.
  case txt
  /// Text with ANSI colour escapes (`cat` it in a terminal).
  case ansi
  /// An asciinema v2 recording: a JSON header line and one `[time, "o", text]` line per frame.
  case asciicast

  /// The formats that hold one frame.
  public static let frameFormats: [ExportFormat] = [.svg, .html, .txt, .ansi]

  /// Whether the format holds a recording of several frames rather than one frame.
  public var isRecording: Bool { self == .asciicast }

  /// The file name extension, without the dot: `svg`, `html`, `txt`, `ans`, `cast`.
  public var fileExtension: String {
    switch self {
    case .svg: return "svg"
    case .html: return "html"
    case .txt: return "txt"
    case .ansi: return "ans"
    case .asciicast: return "cast"
    }
  }

  /// The format a file name's extension stands for (`.svg`, `.html`/`.htm`, `.txt`, `.ans`/
  /// `.ansi`, `.cast`; any case), or nil.
  public init?(fileName: String) {
    guard let dot = fileName.lastIndex(of: "."), !fileName[dot...].contains("/") else {
      return nil
    }
    switch fileName[fileName.index(after: dot)...].lowercased() {
    case "svg": self = .svg
    case "html", "htm": self = .html
    case "txt": self = .txt
    case "ans", "ansi": self = .ansi
    case "cast": self = .asciicast
    default: return nil
    }
  }

  /// The colour level used when the user did not choose one: none for ``txt``, 24-bit colour
  /// for every other format (a file has no terminal to ask).
  public var defaultColor: Capabilities.ColorLevel { self == .txt ? .none : .truecolor }

  /// The capabilities a frame is drawn with for this format: `color` (default
  /// ``defaultColor``; always none for ``txt``) and Unicode glyphs unless `unicode` is false.
  public func capabilities(color: Capabilities.ColorLevel? = nil, unicode: Bool = true)
    -> Capabilities
  {
    Capabilities(color: self == .txt ? .none : (color ?? defaultColor), unicode: unicode)
  }
}
