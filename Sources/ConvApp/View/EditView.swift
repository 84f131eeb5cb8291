import ConvCore
import ConvStepper
import TermUI

// MARK: - The edit panel

extension PhasePanels {
  /// In edit mode, one panel: the map of the tensor being edited, with the cursor.
  static func editing(_ model: Model, _ e: EditState) -> [GridPanel] {
    let t = model.editTensor(e.target)
    var (grid, range) = mapGrid(model.trace, t, n: e.map, f: e.channel)
    grid.current = GridCell(row: e.row, col: e.column)
    grid.marked = model.origin.marked(e.target, map: e.map, channel: e.channel)
    let s = t.shape
    var title = "Editing \(e.target.label)"
    if e.target != .bias { title += ValueFormat.index("", e.map, e.channel, nil, nil) }
    return [
      GridPanel(
        title: title, note: "\(s[2])×\(s[3]) · Tab next tensor · Esc done", grid: grid,
        role: .other, range: range)
    ]
  }
}

// MARK: - Picker overlay

/// A centred box listing a picker's items, the selection highlighted.
enum PickerOverlay {
  /// The widest the name column gets; longer names are cut.
  static let maximumNameWidth = 24
  /// Columns for an item's summary after its name.
  static let summaryWidth = 60
  /// The narrowest box, when the screen allows.
  static let preferredMinimumWidth = 40
  /// The smallest box drawn at all.
  static let minimumSize = (width: 10, height: 4)

  static func render(
    _ picker: Picker, capabilities: Capabilities, theme: Theme, into buffer: inout CellBuffer
  ) {
    let nameWidth = min(maximumNameWidth, picker.items.map(\.name.count).max() ?? 0)
    let width = min(buffer.width - 4, max(preferredMinimumWidth, nameWidth + summaryWidth))
    let height = min(buffer.height - 2, picker.items.count + 4)
    guard width >= minimumSize.width, height >= minimumSize.height else { return }
    let box = Rect(
      x: (buffer.width - width) / 2, y: (buffer.height - height) / 2, width: width, height: height)
    let inner = Panel(
      title: picker.title, note: "↑↓ choose · Enter loads · Esc", focused: true,
      capabilities: capabilities, theme: theme
    ).render(into: &buffer, area: box)
    let visible = max(1, inner.height)
    let top = min(max(0, picker.selection - visible / 2), max(0, picker.items.count - visible))
    for (row, i) in (top..<min(picker.items.count, top + visible)).enumerated() {
      let item = picker.items[i]
      let selected = i == picker.selection
      let style = selected ? Style(fg: .default, bg: .default, attributes: [.reverse]) : theme.text
      let text =
        item.name.padding(toLength: nameWidth + 2, withPad: " ", startingAt: 0) + item.summary
      let line = TextFit.truncate(
        " " + text, width: inner.width, ellipsis: capabilities.symbols.ellipsis)
      buffer.fill(
        Rect(x: inner.x, y: inner.y + row, width: inner.width, height: 1),
        with: Cell(" ", style: style))
      buffer.write(
        capabilities.drawable(line), x: inner.x, y: inner.y + row, style: style, clip: inner)
    }
  }
}
