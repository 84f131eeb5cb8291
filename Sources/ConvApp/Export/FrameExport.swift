import ConvCore
import ConvStepper
import TermUI

// MARK: - FrameExport

/// Turns the viewer's frames into files: one frame as SVG, HTML, text or ANSI, a walk over
/// window steps, and the names of the files. Pure: nothing here touches the file system.
///
/// The command line (`convscope export`) and the viewer's export key use the same functions,
/// so a frame exported from either is the same file.
public enum FrameExport {
  // MARK: Steps

  /// The 1-based window step the model shows (0 before the first step).
  public static func step(of model: Model) -> Int {
    if let walk = model.transposed, walk.view == .stamps { return walk.step + 1 }
    return model.timeline.unit(containing: model.state.tick, .window) + 1
  }

  /// How many window steps the model's phase has (in the sample shown); in a transposed
  /// layer's stamp view, its input cells (or the update's steps).
  public static func stepCount(of model: Model) -> Int {
    if let walk = model.transposed, walk.view == .stamps { return walk.stepCount }
    return model.timeline.windowCount
  }

  /// The phase shown (the stamp view's own).
  public static func phase(of model: Model) -> Phase {
    model.transposed.flatMap { $0.view == .stamps ? $0.phase : nil } ?? model.phase
  }

  /// A title naming the layer, the phase and the step, e.g.
  /// `convscope · A 3×3 filter slides over a 7×7 image · forward, step 17 of 49`.
  public static func title(of model: Model) -> String {
    var parts = ["convscope"]
    if !model.scenario.title.isEmpty { parts.append(model.scenario.title) }
    parts.append("\(phase(of: model)), step \(step(of: model)) of \(stepCount(of: model))")
    return parts.joined(separator: " · ")
  }

  // MARK: Frames

  /// The model's frame drawn for `capabilities` (the screen's own capabilities are ignored).
  public static func frame(of model: Model, capabilities: Capabilities) -> CellBuffer {
    view(model, caps: capabilities)
  }

  /// The contents of a file holding `buffer` in `format`.
  ///
  /// - ``ExportFormat/svg``: ``TermUI/CellBuffer/svg(capabilities:options:)`` with `title` as the
  ///   SVG's `<title>`; nothing time-dependent, so the same frame always gives the same file.
  /// - ``ExportFormat/html``: ``TermUI/CellBuffer/html(capabilities:title:options:)``.
  /// - ``ExportFormat/txt``: ``TermUI/CellBuffer/plainText`` and a final newline.
  /// - ``ExportFormat/ansi``: ``TermUI/CellBuffer/ansiText(capabilities:lineEnding:)`` and a
  ///   final newline.
  /// - ``ExportFormat/asciicast``: a recording of this one frame held for a second (no
  ///   timestamp), see ``SessionRecorder``.
  public static func encode(
    _ buffer: CellBuffer, as format: ExportFormat, capabilities: Capabilities, title: String
  ) -> String {
    switch format {
    case .svg:
      return buffer.svg(capabilities: capabilities, options: SVGOptions(title: title))
    case .html:
      return buffer.html(capabilities: capabilities, title: title)
    case .txt:
      return buffer.plainText + "\n"
    case .ansi:
      return buffer.ansiText(capabilities: capabilities) + "\n"
    case .asciicast:
      var recorder = SessionRecorder(capabilities: capabilities)
      recorder.record(buffer, at: 0)
      return recorder.cast(title: title)
    }
  }

  /// The model's current frame as the contents of a file in `format`.
  ///
  /// The frame is drawn for ``ExportFormat/capabilities(color:unicode:)`` — `color`, or the
  /// format's default (24-bit colour; none for text) — keeping the model's choice of Unicode or
  /// ASCII glyphs. It shows exactly what the model shows, overlays and message included.
  /// `title` defaults to ``title(of:)``.
  public static func export(
    _ model: Model, as format: ExportFormat, color: Capabilities.ColorLevel? = nil,
    title: String? = nil
  ) -> String {
    let caps = format.capabilities(color: color, unicode: model.capabilities.unicode)
    return encode(
      frame(of: model, capabilities: caps), as: format, capabilities: caps,
      title: title ?? self.title(of: model))
  }

  // MARK: Walking

  /// Draws window steps `steps` (1-based, inclusive; clamped to the phase's steps) in order:
  /// a copy of `model` is moved to the end of each step (``Model/seek(window:)``), drawn for
  /// `capabilities` and handed to `body` with its step number and the moved model (for
  /// ``title(of:)``). One frame lives at a time, so a long walk needs no more memory than one.
  public static func walk(
    _ model: Model, steps: ClosedRange<Int>, capabilities: Capabilities,
    _ body: (_ step: Int, _ model: Model, _ frame: CellBuffer) throws -> Void
  ) rethrows {
    let count = stepCount(of: model)
    let first = max(1, steps.lowerBound)
    let last = min(count, steps.upperBound)
    guard first <= last else { return }
    var m = model
    m.granularity = .window
    for k in first...last {
      if m.transposed?.view == .stamps {
        m.transposed?.step = k - 1
      } else {
        m.seek(window: k - 1)
      }
      try body(k, m, frame(of: m, capabilities: capabilities))
    }
  }

  // MARK: File names

  /// The file name of step `step` when every step of a phase gets its own file:
  /// `<phase>-step-<k>.<extension>`, `k` zero-padded to the digits of `stepCount` so the files
  /// sort in step order (`forward-step-07.svg` of 49).
  public static func stepFileName(
    phase: Phase, step: Int, stepCount: Int, format: ExportFormat
  ) -> String {
    let digits = String(max(1, stepCount)).count
    let k = String(max(0, step))
    let padded = String(repeating: "0", count: max(0, digits - k.count)) + k
    return "\(phase.rawValue)-step-\(padded).\(format.fileExtension)"
  }

  /// A file name for the model's current frame: `convscope-<phase>-step-<k>.<extension>`
  /// (e.g. `convscope-forward-step-17.svg`), for the viewer's export key.
  public static func fileName(for model: Model, format: ExportFormat) -> String {
    "convscope-\(phase(of: model).rawValue)-step-\(step(of: model)).\(format.fileExtension)"
  }
}
