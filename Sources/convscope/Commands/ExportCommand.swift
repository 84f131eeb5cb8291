import ArgumentParser
import ConvApp
import ConvCore
import Foundation
import TermUI

// MARK: - ExportCommand

/// `convscope export`: frames of the viewer as files for slides and handouts — one step as SVG,
/// HTML, text or ANSI, one file per step, or a walk of steps as an asciinema recording.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export a step as SVG, HTML, text or ANSI, or a walk as an asciinema recording.",
    discussion: """
      Takes the viewer's layer flags and --phase/--step (no flag: the first lesson).

      One frame (standard output without --output):
        convscope export --step 17 --format svg --output step17.svg

      A recording of window steps A to B at --fps frames a second (asciinema v2; \
      without --steps the whole phase):
        convscope export --steps 1..49 --format asciicast --output lesson.cast

      One file per step, in a folder that is created when missing:
        convscope export --steps 1..9 --format svg --output slides
        (slides/forward-step-01.svg … slides/forward-step-09.svg)

      --format may be left out when --output ends in .svg, .html, .txt, .ans or \
      .cast. Existing files are overwritten. Colours are 24-bit unless --color \
      says otherwise (txt has none). A recording's timestamp is SOURCE_DATE_EPOCH \
      when that is set.

      Limits, checked before the walk from the first frame: at most 2^26 cells drawn \
      (steps × width × height; 2^22 for svg and html), 64 MiB of recording and 256 MiB \
      of files. Progress is shown on standard error when that is a terminal; Ctrl-C \
      stops with status 130 and leaves no partial file.
      """)

  @OptionGroup var source: LayerSource
  @OptionGroup var display: DisplayFlags
  @OptionGroup var check: CheckFlags

  @Option(
    help: ArgumentHelp(
      "Keys pressed before the frame is taken, as help spells them, separated by spaces "
        + "(e.g. \"Tab v\", \"?\" for the help screen).", valueName: "KEYS"))
  var keys: String?

  @Option(help: "svg, html, txt, ansi or asciicast (default: from --output's extension).")
  var format: ExportFormat?

  @Option(help: "Window steps A..B (1-based, inclusive): a recording, or one file per step.")
  var steps: String?

  @Option(
    parsing: .unconditional, help: "Frames a second of a recording, 0 < fps ≤ 60 (default 2).")
  var fps: Double?

  @Option(help: "Frame size WxH (default 100x32).") var size: FrameSize?

  @Option(
    name: .shortAndLong,
    help: "The file, or the folder for one file per step (default: standard output).")
  var output: String?

  @Option(help: "Title of the SVG, page or recording (default: layer, phase and step).")
  var title: String?

  /// `--size`, 100×32 when not given.
  private var frameSize: FrameSize { size ?? FrameSize(width: 100, height: 32) }

  /// Frames a recording may hold and files one export may write.
  static let limits = SessionRecorder.Limits.standard

  func run() throws {
    let format = try resolvedFormat()
    if fps != nil && !format.isRecording {
      throw fail("--fps only applies to --format asciicast")
    }
    var model = try reportingUserErrors { () throws -> Model in
      if let model = try display.transposedModel(
        source, capabilities: capabilities(for: format), width: frameSize.width,
        height: frameSize.height, checking: try check.load(layout: .nchw) != nil)
      {
        return model
      }
      let built = try source.build()
      var scenario = built.scenario
      try display.apply(to: &scenario)
      return try Model(
        scenario: scenario, capabilities: capabilities(for: format), width: frameSize.width,
        height: frameSize.height, notes: built.notes,
        check: try check.load(layout: source.layer.layout, for: scenario))
    }
    try press(keys, on: &model)
    try reportingUserErrors { try display.checkStep(in: model) }
    let count = FrameExport.stepCount(of: model)
    let range = try steps.map { try stepRange($0, count: count, model: model) }
    // (A walk of more frames than a recording may hold is refused by `record`, in its words.)
    if format.isRecording || range != nil, (range ?? 1...count).count <= Self.limits.maxFrames {
      try reportingUserErrors {
        try requireBudget(model, format: format, steps: range ?? 1...count)
      }
    }
    if format.isRecording {
      try record(model, steps: range ?? 1...count)
    } else if let range {
      try exportEachStep(model, format: format, steps: range)
    } else {
      try emit(
        FrameExport.export(model, as: format, color: colorChoice, title: title), to: output)
    }
  }

  // MARK: Flags

  /// Presses `--keys` on the model, as the viewer would; a key that is not a key is an error.
  private func press(_ keys: String?, on model: inout Model) throws {
    guard let keys else { return }
    for spelling in keys.split(separator: " ") {
      guard let key = Key(spelling: String(spelling)) else {
        throw fail("--keys: '\(spelling)' is not a key (e.g. Tab, Right, v, ?, Space)")
      }
      _ = update(&model, .key(key))
    }
  }

  /// `--format`, else the format `--output`'s extension names.
  private func resolvedFormat() throws -> ExportFormat {
    if let format { return format }
    if let output, let format = ExportFormat(fileName: output) { return format }
    throw fail(
      "--format is required: svg, html, txt, ansi or asciicast "
        + "(or an --output ending in .svg, .html, .txt, .ans or .cast)")
  }

  /// The colour level `--color` asks for, or nil for the format's default (`auto`).
  private var colorChoice: Capabilities.ColorLevel? {
    display.color == .auto ? nil : display.capabilities(environment: [:]).color
  }

  private func capabilities(for format: ExportFormat) -> Capabilities {
    format.capabilities(color: colorChoice, unicode: !display.ascii)
  }

  private func phaseName(_ model: Model) -> String { "the \(FrameExport.phase(of: model)) phase" }

  /// `A..B`, checked against the phase: 1 ≤ A ≤ B ≤ count.
  private func stepRange(_ text: String, count: Int, model: Model) throws -> ClosedRange<Int> {
    if display.step != nil { throw fail("--step and --steps: give one of them") }
    let parts = text.components(separatedBy: "..")
    guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]) else {
      throw fail("--steps \(text): expected A..B, e.g. 1..\(count)")
    }
    guard a >= 1 else { throw fail("--steps \(text): steps count from 1") }
    guard b >= a else { throw fail("--steps \(text): the last step comes before the first") }
    guard b <= count else {
      throw fail("--steps \(text): \(phaseName(model)) has \(count) steps")
    }
    guard b - a + 1 <= Self.limits.maxFrames else {
      throw fail(
        "--steps \(text): \(b - a + 1) steps, at most \(Self.limits.maxFrames) in one export")
    }
    return a...b
  }

  // MARK: The work

  /// Refuses, before any frame but the first is drawn, an export whose cells to draw or bytes
  /// to write (the first frame's size times the steps) pass ``WorkBudget``'s limits.
  private func requireBudget(
    _ model: Model, format: ExportFormat, steps: ClosedRange<Int>
  ) throws {
    let caps = model.capabilities
    var bytes = 0
    FrameExport.walk(model, steps: steps.lowerBound...steps.lowerBound, capabilities: caps) {
      _, moved, frame in
      if format.isRecording {
        var probe = SessionRecorder(capabilities: caps, limits: Self.limits)
        probe.record(frame, at: 0)
        bytes = probe.byteCount
      } else {
        bytes =
          FrameExport.encode(
            frame, as: format, capabilities: caps, title: title ?? FrameExport.title(of: moved)
          ).utf8.count
      }
    }
    let markup = format == .svg || format == .html
    let value =
      (self.steps ?? "\(steps.lowerBound)..\(steps.upperBound)")
      + " with --size \(frameSize.width)x\(frameSize.height)"
    try WorkBudget.requireExport(
      frames: steps.count, width: frameSize.width, height: frameSize.height, frameBytes: bytes,
      cellLimit: markup ? WorkBudget.maxMarkupExportCells : WorkBudget.maxExportCells,
      byteLimit: format.isRecording ? WorkBudget.maxRecordingBytes : WorkBudget.maxFolderBytes,
      flag: "--steps", value: value)
  }

  // MARK: Recording

  /// Walks `steps` and writes the asciinema recording: frame i at i / fps seconds, the last one
  /// held for max(1 s, one frame).
  private func record(_ model: Model, steps: ClosedRange<Int>) throws {
    let fps = self.fps ?? 2
    guard fps.isFinite, fps > 0, fps <= 60 else {
      throw fail("--fps \(fps): frames a second must be more than 0 and at most 60")
    }
    guard steps.count <= Self.limits.maxFrames else {
      throw fail(
        "\(phaseName(model)) has \(steps.count) steps, at most \(Self.limits.maxFrames) in one "
          + "recording: choose some with --steps A..B")
    }
    let caps = model.capabilities
    var recorder = SessionRecorder(capabilities: caps, limits: Self.limits)
    var full: Int?
    var line = ProgressLine("export", total: steps.count)
    FrameExport.walk(model, steps: steps, capabilities: caps) { step, _, frame in
      let t = Double(step - steps.lowerBound) / fps
      if full == nil, recorder.record(frame, at: t) == .full { full = step }
      line.update(step - steps.lowerBound + 1, detail: "frames")
    }
    line.finish()
    if let full {
      throw fail(
        "the recording passes \(Self.limits.maxBytes >> 20) MiB at step \(full): "
          + "choose fewer steps with --steps A..B or a smaller --size")
    }
    let environment = ProcessInfo.processInfo.environment
    let title = self.title ?? recordingTitle(model, steps: steps)
    let timestamp =
      environment["SOURCE_DATE_EPOCH"].flatMap { Int($0) }
      ?? Int(Date().timeIntervalSince1970)
    let cast = recorder.cast(
      title: title, timestamp: timestamp, shell: environment["SHELL"] ?? "/bin/sh",
      hold: max(1, 1 / fps))
    try emit(cast, to: output)
  }

  /// `convscope · <layer> · forward, steps 1–49 of 49`.
  private func recordingTitle(_ model: Model, steps: ClosedRange<Int>) -> String {
    var parts = ["convscope"]
    if !model.scenario.title.isEmpty { parts.append(model.scenario.title) }
    parts.append(
      "\(FrameExport.phase(of: model)), steps \(steps.lowerBound)…\(steps.upperBound) of "
        + "\(FrameExport.stepCount(of: model))")
    return parts.joined(separator: " · ")
  }

  // MARK: One file per step

  /// Writes every step of `steps` to its own file in the folder `--output` names.
  private func exportEachStep(
    _ model: Model, format: ExportFormat, steps: ClosedRange<Int>
  ) throws {
    guard let output, output != "-" else {
      throw fail(
        "--steps with --format \(format.rawValue) writes one file per step: "
          + "name a folder with --output")
    }
    let folder = URL(fileURLWithPath: output, isDirectory: true)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw fail("\(output): is a file; with --steps, --output names a folder")
      }
    } else {
      do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      } catch {
        throw fail("\(output): cannot create the folder (\(error.localizedDescription))")
      }
    }
    let caps = model.capabilities
    let count = FrameExport.stepCount(of: model)
    var line = ProgressLine("export", total: steps.count)
    try FrameExport.walk(model, steps: steps, capabilities: caps) { step, moved, frame in
      let name = FrameExport.stepFileName(
        phase: FrameExport.phase(of: moved), step: step, stepCount: count, format: format)
      let text = FrameExport.encode(
        frame, as: format, capabilities: caps, title: title ?? FrameExport.title(of: moved))
      try emit(text, to: folder.appendingPathComponent(name).path)
      line.update(step - steps.lowerBound + 1, detail: "files")
    }
    line.finish()
  }
}

extension ExportFormat: ExpressibleByArgument {}
