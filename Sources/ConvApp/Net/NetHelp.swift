import TermUI

// MARK: - The keys (`?`)

extension NetPainter {
  /// The net screen's keys by section; training's only when the screen can train.
  var helpSections: [HelpSection] {
    typealias E = HelpSection.Entry
    var sections = [
      HelpSection(
        "Images and layers",
        [
          E("←/→ h/l", "previous/next test image"), E("PgUp/PgDn", "ten images back/on"),
          E("Home/End", "first/last image"), E("↑/↓ k/j", "select a layer"),
          E(
            "Enter",
            "open the layer (conv, ReLU, max-pool) in the single-layer viewer, on "
              + "this image's tensors; Esc comes back"),
        ])
    ]
    if model.trainable {
      sections.append(
        HelpSection(
          "Training",
          [
            E("Space", "train on / pause"), E("s", "one SGD step"),
            E("e", "train to the end of the epoch"), E("+/-", "training speed"),
            E("v", "training view: curves, kernels, confusion matrix, predictions"),
            E("w", "save the weights to \(model.savePath)"),
          ]))
    }
    sections += [
      HelpSection(
        "Draw a digit",
        [
          E("d", "draw on a canvas, classified as you draw; d or Esc back"),
          E("arrows", "move the pen"), E("Space", "pen down / up"), E("x", "rub out"),
          E("c", "clear"), E("i", "start from the test image"),
          E("mouse", "left button draws, right rubs out"),
        ]),
      HelpSection(
        "Receptive field",
        [
          E(
            "c",
            "focus a cell of the layer: its field is marked in every earlier layer; c or "
              + "Esc let go"),
          E("arrows", "move the cell"), E("Tab", "its map"), E("[ ]", "previous/next layer"),
          E("click", "a map's cell focuses it; a column selects its layer"),
        ]),
      HelpSection(
        "Backward through the network",
        [
          E(
            "b",
            "walk from the loss toward the input, one layer's backward pass a press: "
              + "the columns show ∂loss/∂activation"),
          E("↑/↓ k/j", "one layer back / forward"), E("Esc", "leave the walk"),
        ]),
      HelpSection(
        "Screen",
        [
          E("?", "these keys (↑/↓ scroll, any other key closes)"),
          E("q", "quit (asks first if training is not written; Esc only closes what is open)"),
        ]),
    ]
    return sections
  }

  /// The keys as a box over the screen, scrolled by ``NetModel/helpScroll``; returns where it
  /// went and how far it scrolls.
  @discardableResult
  func drawHelp(into buffer: inout CellBuffer) -> HelpOverlayLayout {
    let sections = helpSections.map { section in
      HelpSection(
        text(section.title), section.entries.map { .init(text($0.keys), text($0.description)) })
    }
    return HelpOverlay(
      title: "convscope net · keys", sections: sections, footer: "any other key closes",
      scrollingFooter: text("↑/↓ scroll · any other key closes"), scroll: model.helpScroll,
      capabilities: caps, theme: theme
    ).render(into: &buffer, area: buffer.area)
  }
}

// MARK: - Keys while the box is open

extension NetModel {
  /// A key while the keys' box is open: ↑/↓ (k/j, PgUp/PgDn) scroll it, any other closes it.
  mutating func helpKey(_ key: Key) {
    let step: Int
    switch key {
    case .up, .character("k"): step = -1
    case .down, .character("j"): step = 1
    case .pageUp: step = -10
    case .pageDown: step = 10
    default:
      showsHelp = false
      helpScroll = 0
      return
    }
    var scratch = CellBuffer(width: width, height: height)
    let painter = NetPainter(model: self, theme: Theme.standard(for: capabilities))
    let limit = painter.drawHelp(into: &scratch).maxScroll
    helpScroll = min(max(0, helpScroll + step), limit)
  }
}
