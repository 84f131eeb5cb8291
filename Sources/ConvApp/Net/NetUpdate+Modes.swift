import TermUI

// MARK: - Drawing and the focused cell

/// The keys of the net screen's two modes, drawing (`d`) and a focused cell (`c`), and the keys
/// that open them. Nil when the key is not theirs (the overview's keys handle it); otherwise
/// false (they never quit).
///
/// Drawing: arrows (h/j/k/l) move the pen, Space puts it down or lifts it, `x` (Backspace,
/// Delete) rubs out under it, `c` clears, `i` starts from the test image shown, Tab/Shift-Tab
/// the next/previous layer, `d` or Esc back to the test images.
///
/// A focused cell: arrows (h/j/k/l) move it in its map, Tab/Shift-Tab the next/previous map,
/// `[`/`]` the previous/next layer, `c` or Esc let it go.
func netModeKey(_ model: inout NetModel, _ key: Key) -> Bool? {
  // The training view (`v`) has keys of its own; the modes wait on the overview.
  if model.dashboard.showsTraining { return nil }
  if model.canvas != nil { return canvasKey(&model, key) }
  if model.focus != nil, let handled = focusKey(&model, key) { return handled }
  switch key {
  case .character("d"): model.startDrawing()
  case .character("c"): model.startFocus()
  default: return nil
  }
  return false
}

/// A mouse event on the net screen: while drawing, the left button paints the pixel under it and
/// the right one rubs it out. On the overview a left click on a map's cell focuses it (its
/// receptive field tinted, as `c` does), and on a layer's column selects the layer.
func netMouse(_ model: inout NetModel, _ event: MouseEvent) {
  guard model.canvas != nil else {
    overviewClick(&model, event)
    return
  }
  guard var canvas = model.canvas, let button = event.button else { return }
  let grid = NetPainter.inputGrid(model)
  let (dx, line) = (event.column - grid.x, event.row - grid.y)
  let row = line * grid.rowsPerLine  // a line of a tall canvas holds two rows: the upper one
  guard dx >= 0, line >= 0, row < canvas.height, dx / grid.cellWidth < canvas.width else { return }
  let column = dx / grid.cellWidth
  switch (event.kind, button) {
  case (.release, _), (_, .middle): return
  case (_, .left):
    canvas.place(row, column)
    canvas.paint(row, column)
  case (_, .right):
    canvas.place(row, column)
    canvas.erase(row, column)
  }
  model.canvas = canvas
  model.classifyCanvas()
}

/// A left click (press) on the overview: the cell or the layer under it.
private func overviewClick(_ model: inout NetModel, _ event: MouseEvent) {
  switch event.kind {
  case .press(.left), .click(.left): break
  default: return
  }
  // The keys' box, the training view and the backward walk keep the screen as it is.
  guard !model.showsHelp, !model.dashboard.showsTraining, model.backward == nil else { return }
  let painter = NetPainter(model: model, theme: .standard(for: model.capabilities))
  switch painter.hit(x: event.column, y: event.row) {
  case .cell(let layer, let map, let row, let column):
    model.selectedLayer = layer
    model.startFocus(keeping: NetFocus(map: map, row: row, column: column))
  case .layer(let layer):
    let previous = model.focus
    model.selectedLayer = layer
    if previous != nil { model.startFocus(keeping: previous) }
  case nil: return
  }
}

/// A key while drawing.
private func canvasKey(_ model: inout NetModel, _ key: Key) -> Bool? {
  guard var canvas = model.canvas else { return nil }
  let lastLayer = model.network.layers.count - 1
  switch key {
  case .escape, .character("d"):
    model.canvas = nil
    model.show(image: model.imageIndex, again: true)
    return false
  case .up, .character("k"): canvas.move(-1, 0)
  case .down, .character("j"): canvas.move(1, 0)
  case .left, .character("h"): canvas.move(0, -1)
  case .right, .character("l"): canvas.move(0, 1)
  case .character(" "): canvas.togglePen()
  case .character("x"), .backspace, .delete: canvas.erase(canvas.row, canvas.column)
  case .character("c"): canvas.clear()
  case .character("i"): canvas.copy(model.test.batch([model.imageIndex]).x)
  case .tab: model.selectedLayer = min(lastLayer, model.selectedLayer + 1)
  case .backTab: model.selectedLayer = max(0, model.selectedLayer - 1)
  // The test images stay where they are while drawing.
  case .pageUp, .pageDown, .home, .end: return false
  default: return nil
  }
  model.canvas = canvas
  model.classifyCanvas()
  return false
}

/// A key while a cell is focused; nil for the overview's keys.
private func focusKey(_ model: inout NetModel, _ key: Key) -> Bool? {
  guard var focus = model.focus, let map = model.selectedMapShape else {
    model.focus = nil
    return nil
  }
  switch key {
  case .escape, .character("c"):
    model.focus = nil
    return false
  case .up, .character("k"): focus.row -= 1
  case .down, .character("j"): focus.row += 1
  case .left, .character("h"): focus.column -= 1
  case .right, .character("l"): focus.column += 1
  case .tab: focus.map = (focus.map + 1) % map.channels
  case .backTab: focus.map = (focus.map + map.channels - 1) % map.channels
  case .character("["), .character("]"):
    let step = key == .character("[") ? -1 : 1
    model.selectedLayer = min(max(0, model.selectedLayer + step), model.network.layers.count - 1)
    model.startFocus(keeping: focus)
    return false
  default: return nil
  }
  focus.row = min(max(focus.row, 0), map.height - 1)
  focus.column = min(max(focus.column, 0), map.width - 1)
  model.focus = focus
  return false
}

// MARK: - Opening the modes

extension NetModel {
  /// The selected layer's output as maps (channels, rows, columns); nil when it is a vector.
  var selectedMapShape: (channels: Int, height: Int, width: Int)? {
    let k = min(max(selectedLayer, 0), activations.values.count - 2)
    let out = activations.values[k + 1].shape
    guard out.count == 4, out[1] > 0, out[2] > 0, out[3] > 0 else { return nil }
    return (out[1], out[2], out[3])
  }

  /// Opens a blank canvas the shape of the network's input (the pen in the middle); a
  /// backward walk ends.
  mutating func startDrawing() {
    let shape = test.batch([imageIndex]).x.shape
    guard let blank = NetCanvas(inputShape: shape, ink: test.x.data.max() ?? 1) else {
      notice = "this network's input is not a picture: there is nothing to draw on"
      return
    }
    focus = nil
    backward = nil  // the walk is of a test image
    canvas = blank
    classifyCanvas()
  }

  /// Focuses a cell of the selected layer: `previous`'s place, clamped, when given, else the
  /// middle of its first map. A layer without maps says why it cannot.
  mutating func startFocus(keeping previous: NetFocus? = nil) {
    guard let map = selectedMapShape else {
      focus = nil
      notice =
        "receptive fields are for layers with maps (conv, ReLU, pool): a feature of this "
        + "layer sees the whole input"
      return
    }
    backward = nil  // the columns show activations again
    let start = previous ?? NetFocus(map: 0, row: map.height / 2, column: map.width / 2)
    focus = NetFocus(
      map: min(start.map, map.channels - 1), row: min(start.row, map.height - 1),
      column: min(start.column, map.width - 1))
  }

  /// The focused cell's receptive field in every activation up to the selected layer's output
  /// (see ``ReceptiveField/regions(of:shapes:layer:row:column:)``); nil without a focus.
  public var field: [FieldRegion?]? {
    guard let focus else { return nil }
    return ReceptiveField.regions(
      of: network, shapes: activations.values.map(\.shape), layer: selectedLayer,
      row: focus.row, column: focus.column)
  }
}
