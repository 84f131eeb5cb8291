import ConvCore
import ConvStepper
import NumberText
import TermUI

// MARK: - view

/// Draws the model: a pure function from the model (and the output's capabilities) to cells.
public func view(_ model: Model, caps: Capabilities? = nil) -> CellBuffer {
  var m = model
  if let caps { m.capabilities = caps }
  let layout = ScreenLayout(m)
  var buffer = CellBuffer(width: m.width, height: m.height)
  let theme = Theme.standard(for: m.capabilities)
  if layout.tooSmall {
    TooSmall(
      required: (ScreenLayout.minimumWidth, ScreenLayout.minimumHeight),
      actual: (m.width, m.height), capabilities: m.capabilities, theme: theme
    ).render(into: &buffer, area: buffer.area)
    return buffer
  }
  Chrome.title(m, theme: theme, into: &buffer, area: layout.title)
  if !layout.subtitle.isEmpty {
    buffer.write(
      TextFit.truncate(
        m.capabilities.drawable(" " + m.scenario.text), width: layout.subtitle.width,
        ellipsis: m.capabilities.symbols.ellipsis),
      x: 0, y: layout.subtitle.y, style: theme.dim)
  }
  for p in layout.panels {
    // A map asked for numbers but too narrow for one says it is in shades.
    let shaded =
      p.panel.grid.mode != .shades && p.panel.grid.mode != .auto
      && p.layout.resolution != .numbers && p.panel.role != .kernel
    let inner = Panel(
      title: panelTitle(p, shaded: shaded),
      note: p.panel.role == .kernel ? "" : p.panel.note,
      footer: p.panel.role == .kernel ? p.panel.note : "", focused: p.panel.role == .output,
      capabilities: m.capabilities, theme: theme
    ).render(into: &buffer, area: p.box)
    _ = HeatGrid(model: p.panel.grid, capabilities: m.capabilities, theme: theme)
      .render(into: &buffer, area: inner)
  }
  if !layout.facts.isEmpty {
    let inner = Panel(title: "Notes", capabilities: m.capabilities, theme: theme)
      .render(into: &buffer, area: layout.facts)
    _ = TextBlock(
      layout.notes.map { TextBlock.Paragraph($0) }, spacing: false,
      capabilities: m.capabilities, theme: theme
    ).render(into: &buffer, area: inner)
  }
  Chrome.formula(m, theme: theme, into: &buffer, area: layout.formula)
  Chrome.legend(m, layout: layout, theme: theme, into: &buffer, area: layout.legend)
  Chrome.message(m, theme: theme, into: &buffer, area: layout.message)
  Chrome.statusLine(m, theme: theme, into: &buffer, area: layout.status)
  if case .picker(let p) = m.overlay {
    PickerOverlay.render(p, capabilities: m.capabilities, theme: theme, into: &buffer)
  }
  if case .help(let scroll) = m.overlay {
    _ = helpOverlay(m, scroll: scroll, theme: theme).render(into: &buffer, area: buffer.area)
  }
  if let practice = m.practice {
    PracticeView.render(practice, capabilities: m.capabilities, theme: theme, into: &buffer)
  }
  return buffer
}

/// A map panel's title: whole when it fits in the box, else without its words (`y[0,0,:,:]`);
/// ` · shades (too narrow for numbers)` when a map asked for numbers is drawn in shades.
func panelTitle(_ p: ScreenLayout.PlacedPanel, shaded: Bool) -> String {
  let suffix = shaded ? " · shades (too narrow for numbers)" : ""
  let room = p.box.width - 4
  if p.panel.title.count + suffix.count <= room { return p.panel.title + suffix }
  return p.panel.shortTitle + suffix
}

/// The help overlay as `view` draws it (and `update` measures it, to keep its scroll in range).
func helpOverlay(_ m: Model, scroll: Int, theme: Theme? = nil) -> HelpOverlay {
  // Opened from another screen, q goes back to it rather than quitting.
  let back = m.backTo.map { " · then Esc or q back to \($0)" } ?? ""
  return HelpOverlay(
    title: "convscope keys", sections: KeyBindings.helpSections(backTo: m.backTo),
    footer: "Esc closes" + back,
    scrollingFooter: "Esc closes · ↑↓ PgUp PgDn scroll", scroll: scroll,
    capabilities: m.capabilities, theme: theme)
}

// MARK: - Chrome

/// The title, formula, legend, message and status lines.
enum Chrome {
  /// Columns the title bar keeps for the title before it shows the configuration on the right.
  static let minimumTitleRoom = 10
  /// The most lines of the user's own values under the formula.
  static let maximumComparisonLines = 2

  static func title(_ m: Model, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
    buffer.fill(area, with: Cell(" ", style: theme.statusBar))
    let cfg = m.scenario.config
    let left = m.capabilities.drawable(
      " convscope · " + (m.scenario.title.isEmpty ? "convolution layer" : m.scenario.title))
    var parts = [
      "C\(cfg.inChannels)→F\(cfg.filters)", "k \(cfg.kernel.h)×\(cfg.kernel.w)",
      "stride \(cfg.stride)",
      "pad \(cfg.padding)" + (cfg.paddingMode == .zeros ? "" : " \(cfg.paddingMode.rawValue)"),
    ]
    if cfg.dilation != Size2(1) { parts.append("dil \(cfg.dilation)") }
    if cfg.groups != 1 {
      parts.insert(cfg.groups == cfg.inChannels ? "depthwise" : "groups \(cfg.groups)", at: 1)
    }
    if m.scenario.relu { parts.append("ReLU") }
    if let p = m.scenario.pool { parts.append("pool \(p.kernel.h)×\(p.kernel.w)/\(p.stride)") }
    if let walk = m.transposed {
      parts = TransposedChrome.titleParts(walk)
      if walk.view != .stamps { parts.append("a conv2d C\(cfg.inChannels)→F\(cfg.filters)") }
      // Narrow: the layer's parameters go first, the view's name stays.
      while parts.count > 2,
        parts.joined(separator: " · ").count + minimumTitleRoom + 2 > area.width
      {
        parts.remove(at: parts.count - (walk.view == .stamps ? 2 : 3))
      }
    }
    let right = m.capabilities.drawable(parts.joined(separator: " · ") + " ")
    let room = max(0, area.width - right.count - 1)
    buffer.write(
      TextFit.truncate(left, width: room, ellipsis: m.capabilities.symbols.ellipsis), x: 0,
      y: area.y, style: theme.statusBar)
    // The configuration shows only with room left for the start of the title.
    if area.width > right.count + minimumTitleRoom {
      buffer.write(right, x: area.width - right.count, y: area.y, style: theme.statusBar)
    }
  }

  /// One line of the step's arithmetic as the formula panel draws it.
  enum FormulaBlock {
    /// A list of values (`lhs: a, b, c` and a note): one line, cut with an ellipsis.
    case list(text: String, note: String)
    /// A sum, wrapped over as many lines as it needs.
    case sum(FormulaText)

    /// The lines the block needs at `width` to show every term.
    func linesNeeded(width: Int) -> Int {
      switch self {
      case .list(let text, let note): return max(1, FormulaBlock.wrapped(text, note, width).count)
      case .sum(let f): return max(1, f.lines(width: width, maxLines: 64).count)
      }
    }

    /// A list wrapped between values, continuation lines indented by two columns like a sum's,
    /// with the note (dim) on the last line when it fits there, else on a line of its own.
    static func wrapped(_ text: String, _ note: String, _ width: Int) -> [(
      text: String, note: String
    )] {
      guard width > 2 else { return [] }
      let first = TextFit.wrap(text, width: width)
      var lines = first.prefix(1).map { $0 }
      if first.count > 1 {
        let rest = first.dropFirst().joined(separator: " ")
        lines += TextFit.wrap(rest, width: width - 2).map { "  " + $0 }
      }
      var out = lines.map { (text: $0, note: "") }
      guard !note.isEmpty else { return out }
      if let last = out.last, last.text.count + note.count <= width {
        out[out.count - 1].note = note
      } else {
        out.append((text: "", note: note.drop { $0 == " " }.description))
      }
      return out
    }
  }

  /// The formula panel's blocks for the current step (none before the first step).
  static func formulaBlocks(_ m: Model, theme: Theme) -> [FormulaBlock] {
    if let walk = m.transposed, walk.view == .stamps {
      return TransposedChrome.formulaBlocks(m, walk, theme: theme)
    }
    guard let detail = m.detail else { return [] }
    let ascii = !m.capabilities.unicode
    let sub = m.state.window == nil ? nil : m.state.subStepsDone
    let f = detail.arithmetic(symbolic: m.display.symbolic, subStepsDone: sub, ascii: ascii)
    return f.lines.map { line in
      guard let total = line.total else {
        let body = line.terms.map(\.text).joined(separator: line.separator)
        let text = ascii ? TextFit.ascii(line.lhs + ": " + body) : line.lhs + ": " + body
        return .list(text: text, note: ascii ? TextFit.ascii(line.note) : line.note)
      }
      let highlight = line.terms.firstIndex { $0.isCurrent }
      let tf = Formula(
        lhs: line.lhs, symbolic: line.symbolic, terms: line.terms.map(\.text),
        total: total + line.note, highlight: highlight, joiner: line.separator)
      return .sum(FormulaText(formula: tf, capabilities: m.capabilities, theme: theme))
    }
  }

  /// The lines inside the formula panel that show every term at `width` columns, the user's
  /// own values included (at least the 2 of an empty panel).
  static func formulaLinesNeeded(_ m: Model, width: Int) -> Int {
    let theme = Theme.standard(for: m.capabilities)
    let blocks = formulaBlocks(m, theme: theme).reduce(0) { $0 + $1.linesNeeded(width: width) }
    let checks = DebugChrome.comparisonLines(m, limit: maximumComparisonLines).count
    return max(2, blocks + checks)
  }

  /// The lines the notes' text (`notes`, see ``Facts/lines(_:)``) takes at `width` columns.
  static func notesLinesNeeded(_ notes: [String], _ m: Model, width: Int) -> Int {
    TextBlock(
      notes.map { TextBlock.Paragraph($0) }, spacing: false,
      capabilities: m.capabilities
    ).lines(width: width).count
  }

  static func formula(_ m: Model, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
    let panel = Panel(
      title: m.display.symbolic ? "Formula (symbols · e)" : "Formula (numbers · e)",
      note: "\(m.transposed.flatMap { $0.view == .stamps ? $0.phase : nil } ?? m.phase)",
      capabilities: m.capabilities, theme: theme
    ).render(into: &buffer, area: area)
    let blocks = formulaBlocks(m, theme: theme)
    guard !blocks.isEmpty else { return }
    // The user's own values for this step come last, in the error style.
    let checks = DebugChrome.comparisonLines(m, limit: maximumComparisonLines)
    let inner = Rect(
      x: panel.x, y: panel.y, width: panel.width, height: max(0, panel.height - checks.count))
    for (k, line) in checks.enumerated().reversed() {
      let y = panel.maxY - (checks.count - k)
      guard y >= panel.y else { continue }
      buffer.write(
        TextFit.truncate(
          m.capabilities.drawable(line.text), width: inner.width,
          ellipsis: m.capabilities.symbols.ellipsis),
        x: panel.x, y: y, style: line.differs ? theme.error : theme.success, clip: panel)
    }
    // Each block gets the lines it needs, keeping one for every block after it.
    var y = inner.y
    let ellipsis = m.capabilities.symbols.ellipsis
    for (i, block) in blocks.enumerated() where y < inner.maxY {
      let after = blocks.count - i - 1
      let height = max(1, min(block.linesNeeded(width: inner.width), inner.maxY - y - after))
      switch block {
      case .list(let text, let note):
        let lines = FormulaBlock.wrapped(text, note, inner.width)
        for (k, line) in lines.prefix(height).enumerated() {
          // A list cut short ends with an ellipsis on its last line shown.
          let cut = k == height - 1 && lines.count > height
          let shown =
            cut
            ? TextFit.truncate(line.text + " …", width: inner.width, ellipsis: ellipsis)
            : line.text
          let x = buffer.write(shown, x: inner.x, y: y, style: theme.text, clip: inner)
          if !cut { buffer.write(line.note, x: x, y: y, style: theme.dim, clip: inner) }
          y += 1
        }
      case .sum(let text):
        y += max(
          1,
          text.render(
            into: &buffer, area: Rect(x: inner.x, y: y, width: inner.width, height: height)))
      }
    }
  }

  static func legend(
    _ m: Model, layout: ScreenLayout, theme: Theme, into buffer: inout CellBuffer, area: Rect
  ) {
    let output = layout.panels.first { $0.panel.role == .output } ?? layout.panels.last
    let range = output?.panel.grid.range ?? 1
    var items: [LegendItem] = [.pending]
    let g = m.trace.geometry
    let stamps = m.transposed?.view == .stamps
    if m.transposed?.view == .zeroInsertion { items.append(.padding) }
    if m.phase == .forward, !stamps {
      if g.config.padding != Size2(0) {
        items.append(g.config.paddingMode == .zeros ? .padding : .copy)
      }
      if !g.rowsDroppedByFloor().isEmpty || !g.columnsDroppedByFloor().isEmpty {
        items.append(.dropped)
      }
    }
    if m.phase == .forward || m.phase == .backward, !stamps,
      m.trace.hasUnreadInput
    {
      items.append(.unread)
    }
    if m.trace.hasNonFinite { items += [.nan, .infinity] }
    Legend(
      palette: m.display.palette, range: range,
      title: m.display.sharedScale ? "scale (shared)" : "scale (\(output?.panel.title ?? "map"))",
      items: items, capabilities: m.capabilities, theme: theme
    ).render(into: &buffer, area: area)
  }

  static func message(_ m: Model, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
    if case .goTo(let text) = m.overlay {
      let count = m.timeline.unitCount(m.granularity)
      // A key that is not a digit says why at once, beside what was typed.
      let refused = m.message.flatMap { $0.kind == .error ? $0.text : nil }
      MessageLine(
        ":\(text)▏ "
          + (refused.map { "\($0) · Esc cancels" }
            ?? "go to \(m.granularity) step \(ValueFormat.range(1, count)) · Enter goes · Esc cancels"),
        kind: refused == nil ? .info : .error, capabilities: m.capabilities, theme: theme
      ).render(into: &buffer, area: area)
      return
    }
    if case .writeLesson(let text) = m.overlay {
      MessageLine(
        "write lesson to: \(text)▏ Enter writes · Esc cancels", kind: .info,
        capabilities: m.capabilities, theme: theme
      ).render(into: &buffer, area: area)
      return
    }
    if let e = m.edit, m.message == nil || !e.text.isEmpty {
      let cell = m.cellEdit(e, value: 0)
      MessageLine(
        "\(cell.name) = \(NumberFormat.short(cell.old)) → \(e.text)▏"
          + " type a number, Enter sets it · arrows move · Tab next tensor · Esc done",
        kind: .info, capabilities: m.capabilities, theme: theme
      ).render(into: &buffer, area: area)
      return
    }
    if let msg = m.message {
      MessageLine(msg.text, kind: msg.kind, capabilities: m.capabilities, theme: theme)
        .render(into: &buffer, area: area)
    } else {
      MessageLine(
        m.transposed == nil
          ? "→ next  ← back  Space play  Tab phase  m step size  ? help  "
            + (m.backTo.map { "Esc back to \($0)" } ?? "q quit")
          : "→ next  ← back  Space play  Tab phase  t view: stamps / zero insertion / conv2d  ? help",
        kind: .info,
        capabilities: m.capabilities, theme: theme
      ).render(into: &buffer, area: area)
      buffer.restyle(area) { $0 = theme.dim }
    }
  }

  /// The status line: the stamp view's for a transposed layer in it, else the walk's.
  static func statusLine(_ m: Model, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
    if let walk = m.transposed, walk.view == .stamps {
      TransposedChrome.status(m, walk, theme: theme, into: &buffer, area: area)
    } else {
      status(m, theme: theme, into: &buffer, area: area)
    }
  }

  static func status(_ m: Model, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
    let g = m.trace.geometry
    let t = m.timeline
    let unit = t.unit(containing: m.state.tick, m.granularity)
    let w = m.currentWindow
    // Phase and step survive longest, then `? help`; the formula goes first.
    var left: [StatusSegment] = [
      StatusSegment(" \(m.phase)", style: theme.statusKey, priority: 12)
    ]
    if g.batch > 1 {
      left.append(
        StatusSegment(
          "sample \(m.sample) of \(g.batch)", priority: 6,
          shorter: ["n \(m.sample) of \(g.batch)"]))
    }
    // Sample, filter and channel are indices counted from 0, as in the titles' y[n,f,:,:].
    let filter = "\(w?.filter ?? 0) of \(g.config.filters)"
    left.append(StatusSegment("filter " + filter, priority: 8, shorter: ["f " + filter]))
    if g.config.inChannels > 1 {
      let channel = m.channel.map { "channel \($0) of \(g.config.inChannels)" } ?? "channels all"
      // A channel the user chose with c stays in view; "channels all" goes early.
      left.append(
        StatusSegment(
          channel, priority: m.channel == nil ? 3 : 7,
          shorter: [channel.replacing("channel", with: "c")]))
    }
    let step = "\(unit + 1)/\(t.unitCount(m.granularity))"
    left.append(StatusSegment("step " + step, priority: 11, shorter: [step]))
    left.append(StatusSegment(m.granularity.rawValue, priority: 5))
    left += viewSegments(m)
    let speed = Playback.label(m.speed)
    let play =
      m.playing
      ? StatusSegment(
        "\(m.capabilities.symbols.play) playing \(speed)", priority: 6,
        shorter: ["\(m.capabilities.symbols.play) \(speed)"])
      : StatusSegment("paused \(speed)", priority: 6, shorter: ["paused"])
    left.append(play)
    if let segment = DebugChrome.statusSegment(m, theme: theme) { left.append(segment) }
    if m.recording {
      left.append(
        StatusSegment(
          "\(m.capabilities.symbols.record) REC", style: theme.error, priority: 9))
    }
    if let work = m.work {
      let dots = m.capabilities.unicode ? "…" : "..."
      left.append(
        StatusSegment("computing \(work.rawValue)\(dots)", style: theme.warning, priority: 9))
    }
    left += m.notes.map { StatusSegment($0, style: theme.warning, priority: 5) }
    var right = [outputSizeSegment(g), StatusSegment("? help ", priority: 10)]
    if let back = backSegment(m, theme: theme) { right.insert(back, at: 1) }
    var bar = StatusBar(left: left, right: right, capabilities: m.capabilities, theme: theme)
    if !m.capabilities.unicode {
      bar.left = bar.left.map { $0.mapText(TextFit.ascii) }
      bar.right = bar.right.map { $0.mapText(TextFit.ascii) }
    }
    bar.render(into: &buffer, area: area)
  }

  /// `Esc back to the network`, when another screen opened the viewer.
  static func backSegment(_ m: Model, theme: Theme) -> StatusSegment? {
    m.backTo.map {
      StatusSegment(
        "Esc back to \($0)", style: theme.statusKey, priority: 11, shorter: ["Esc back"])
    }
  }

  /// Which views are on: the input as a picture (`p`, forward pass), the maps' zoom when one is
  /// chosen (`z`).
  static func viewSegments(_ m: Model) -> [StatusSegment] {
    var out: [StatusSegment] = []
    if m.phase == .forward, PictureView.isOn(m) {
      out.append(StatusSegment("picture", priority: 5))
    }
    if let zoom = m.display.zoom {
      out.append(
        StatusSegment(
          "zoom: " + zoom.label, priority: 5, shorter: ["zoom: " + zoom.shortLabel]))
    }
    return out
  }

  /// The output-size formula (`O = ⌊(7 + 2·1 − 1·(3−1) − 1)/1⌋ + 1 = 7`), with the bare result
  /// (`O = 7`) as its shorter form.
  static func outputSizeSegment(_ g: ConvGeometry) -> StatusSegment {
    let rows = g.config.outputFormula(input: g.input.h, alongHeight: true)
    if g.input.h == g.input.w && g.config.kernel.isSquare && g.config.stride.isSquare
      && g.config.padding.isSquare && g.config.dilation.isSquare
    {
      return StatusSegment("O = " + rows, priority: 4, shorter: ["O = \(g.output.h)"])
    }
    let cols = g.config.outputFormula(input: g.input.w, alongHeight: false)
    return StatusSegment(
      "OH = " + rows + "  OW = " + cols, priority: 4,
      shorter: ["OH = \(g.output.h)  OW = \(g.output.w)"])
  }
}
