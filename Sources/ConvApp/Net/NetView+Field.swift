import ConvCore
import TermUI

// MARK: - Highlights: the receptive field, the focused cell, the pen

/// How a cell of a shaded grid is marked.
enum GridMark {
  /// Not marked.
  case none
  /// In the focused cell's receptive field: tinted amber (underlined without 256 colours).
  case field
  /// The focused cell, or the pen: reversed.
  case focus
}

extension NetPainter {
  /// Where the input's first channel is drawn: its top-left cell, the columns a pixel takes and
  /// the rows a line holds (the mouse draws there; see ``drawImage(into:area:)``, which puts the
  /// grid under a title and a shape line and a blank one).
  static func inputGrid(_ model: NetModel) -> (x: Int, y: Int, cellWidth: Int, rowsPerLine: Int) {
    let shape = model.activations.values[0].shape
    let (h, w) = (shape.count == 4 ? shape[2] : 1, shape.last ?? 1)
    let area = NetPainter(model: model, theme: .standard(for: model.capabilities)).imageArea
    let halved = halves(rows: h, room: area.height - 5)
    return (area.x, area.y + 3, cellWidth(mapColumns: w, fits: 24), halved ? 2 : 1)
  }

  /// `style` with `mark`'s highlight.
  func marked(_ style: Style, _ mark: GridMark) -> Style {
    var s = style
    switch mark {
    case .none: break
    case .field:
      if caps.color >= .ansi256 {
        let base = s.bg.toRGB() ?? RGB(24, 24, 28)
        let wasReadable = s.bg != .default
        s.bg = Color(base.mixed(with: theme.windowTint, theme.tintAmount)).downgraded(
          to: caps.color)
        if wasReadable { s.fg = Color.readableForeground(on: s.bg, level: caps.color) }
      } else {
        s.attributes.insert(.underline)
      }
    case .focus:
      s.attributes.insert(.reverse)
      s.attributes.insert(.bold)
    }
    return s
  }

  /// The mark of cell (`r`, `c`) of activation `index` (0: the input), channel `channel`: the
  /// pen on the canvas, the focused cell, its receptive field.
  func mark(activation index: Int, channel: Int, _ r: Int, _ c: Int) -> GridMark {
    if index == 0, let canvas = model.canvas {
      return canvas.row == r && canvas.column == c ? .focus : .none
    }
    guard let field = model.field, field.indices.contains(index) else { return .none }
    if index == field.count - 1, let focus = model.focus {
      return focus.map == channel && focus.row == r && focus.column == c ? .focus : .none
    }
    return field[index]?.contains(r, c) == true ? .field : .none
  }

  /// The line about the focused cell: `map 3 (2, 5) sees 5×5 of the input, rows 0–4, columns 3–7`.
  var focusLine: String? {
    guard let focus = model.focus, let field = model.field else { return nil }
    let x = symbols.times
    let span = ReceptiveField.span(of: model.network, layer: model.selectedLayer)
    var line =
      "cell (\(focus.row), \(focus.column)) of map \(focus.map + 1): receptive field "
      + "\(span.rows)\(x)\(span.columns)"
    if let input = field.first, let input {
      let cut = input.rows.count != span.rows || input.columns.count != span.columns
      line +=
        cut
        ? " (\(input.size(times: x)) inside the image: rows \(input.rows.lowerBound)–"
          + "\(input.rows.upperBound), columns \(input.columns.lowerBound)–"
          + "\(input.columns.upperBound))"
        : " at rows \(input.rows.lowerBound)–\(input.rows.upperBound), columns "
          + "\(input.columns.lowerBound)–\(input.columns.upperBound)"
    } else {
      line += " (all padding in the input)"
    }
    return line
  }
}

// MARK: - The words of the modes

extension NetPainter {
  /// The title bar while drawing, longest first.
  var drawingTitles: [String] {
    let s = symbols.separator
    return [
      " convscope net \(s) \(model.netName) \(s) your drawing, classified as you draw",
      " convscope net \(s) \(model.netName) \(s) your drawing",
      " \(model.netName) \(s) drawing",
    ].map(text)
  }

  /// The status line while drawing or focusing a cell, longest first (nil otherwise).
  var modeNotes: [String]? {
    if let canvas = model.canvas {
      let pen = canvas.penDown ? "pen down" : "pen up"
      let space = canvas.penDown ? "Space lift" : "Space pen down"
      return [
        "drawing \(symbols.separator) \(pen) \(symbols.separator) arrows move  \(space)  "
          + "x rub out  c clear  i copy image \(model.imageIndex + 1)  Tab layer  Esc done",
        "\(pen) \(symbols.separator) arrows  \(space)  x rub out  c clear  i image  Esc done",
        "\(pen) \(symbols.separator) arrows  Space  x  c  Esc",
      ].map(text)
    }
    guard let line = focusLine, let focus = model.focus, let field = model.field else {
      return nil
    }
    let x = symbols.times
    let span = ReceptiveField.span(of: model.network, layer: model.selectedLayer)
    let inside = field.first.flatMap { $0 }.map {
      " rows \($0.rows.lowerBound)–\($0.rows.upperBound) cols \($0.columns.lowerBound)–"
        + "\($0.columns.upperBound)"
    }
    let short =
      "map \(focus.map + 1) (\(focus.row), \(focus.column)): field \(span.rows)\(x)\(span.columns)"
      + (inside ?? " (padding)")
    return [
      "\(line) \(symbols.separator) arrows move  Tab map  [ ] layer  c done",
      "\(line) \(symbols.separator) c done", line,
      "\(short) \(symbols.separator) arrows  Tab map  [ ] layer  c done",
      "\(short) \(symbols.separator) c done", short,
    ].map(text)
  }

  /// The lines under the canvas.
  func canvasCaption(_ canvas: NetCanvas) -> [(String, Style)] {
    [
      ("your drawing", theme.accent),
      (canvas.penDown ? "pen down" : "pen up", canvas.penDown ? theme.success : theme.text),
      ("Esc: test images", theme.dim),
    ]
  }
}
