import ConvCore
import TermUI

// MARK: - Tall maps: two rows a line

extension NetPainter {
  /// Maps taller than this are drawn two rows a line (an MNIST 28×28 image takes 14 lines).
  static let tallRows = 16

  /// Whether a map of `rows` rows is drawn two rows a line: when it is tall, or when it would
  /// not fit `room` lines otherwise.
  static func halves(rows: Int, room: Int) -> Bool { rows > tallRows || rows > room }

  /// The lines a map of `rows` rows takes.
  static func lines(rows: Int, halved: Bool) -> Int { halved ? (rows + 1) / 2 : rows }

  /// Draws a grid two rows a line: with colours and Unicode, an upper half block `▀` in the
  /// upper row's colour over the lower row's; otherwise the shade of the two rows' mean.
  func drawHalvedGrid(
    into buffer: inout CellBuffer, at origin: (x: Int, y: Int), size: (rows: Int, cols: Int),
    cellWidth: Int, clip: Rect, shader: Shader, mark: (Int, Int) -> GridMark,
    value: (Int, Int) -> Float?
  ) {
    let blocks = caps.unicode && caps.color != .none
    for line in 0..<Self.lines(rows: size.rows, halved: true) {
      let y = origin.y + line
      guard y < clip.maxY else { return }
      let (top, bottom) = (2 * line, 2 * line + 1)
      for c in 0..<size.cols {
        let x = origin.x + c * cellWidth
        guard x + cellWidth <= clip.maxX else { break }
        guard let upper = value(top, c) else { continue }
        let lower = bottom < size.rows ? value(bottom, c) : nil
        let marks = [mark(top, c), bottom < size.rows ? mark(bottom, c) : .none]
        let strongest: GridMark =
          marks.contains(.focus) ? .focus : (marks.contains(.field) ? .field : .none)
        if blocks {
          var style = Style(
            fg: shader.fillColor(upper), bg: lower.map { shader.fillColor($0) } ?? .default)
          style = marked(style, strongest)
          for k in 0..<cellWidth { buffer.put("▀", x: x + k, y: y, style: style, clip: clip) }
        } else {
          let shade = shader.shade(lower.map { (upper + $0) / 2 } ?? upper)
          let style = marked(shade.style, strongest)
          if cellWidth == 1 {
            buffer.put(shade.glyph, x: x, y: y, style: style, clip: clip)
          } else {
            buffer.put(shade.lead, x: x, y: y, style: style, clip: clip)
            buffer.put(shade.trail, x: x + 1, y: y, style: style, clip: clip)
          }
        }
      }
    }
  }
}

// MARK: - Colour pictures

extension NetPainter {
  /// Whether the input is drawn as one colour picture: three channels (RGB) on a terminal with
  /// 256 colours or more and Unicode (two rows a line, half blocks); else channel by channel.
  func drawsPicture(channels: Int) -> Bool {
    channels == 3 && caps.unicode && caps.color >= .ansi256
  }

  /// Draws `[1, 3, H, W]` `image` as a colour picture, two rows a line, each channel scaled by
  /// the image's largest value (negative values as 0); returns the lines used. `marks`: the
  /// receptive field and the pen are tinted on it (the overview's input, not the test strip).
  func drawPicture(
    _ image: Tensor, into buffer: inout CellBuffer, at origin: (x: Int, y: Int), cellWidth: Int,
    clip: Rect, marks: Bool = true
  ) -> Int {
    let (h, w) = (image.shape[2], image.shape[3])
    let top = max(image.data.max() ?? 1, .leastNormalMagnitude)
    func colour(_ r: Int, _ c: Int) -> Color {
      let v = (0..<3).map { UInt8(max(0, min(1, image[n: 0, c: $0, h: r, w: c] / top)) * 255) }
      return Color(RGB(v[0], v[1], v[2])).downgraded(to: caps.color)
    }
    let lines = Self.lines(rows: h, halved: true)
    Self.fillCells(
      into: &buffer, size: (lines, w), at: origin, cellWidth: cellWidth, clip: clip
    ) { line, c in
      var style = Style(
        fg: colour(2 * line, c), bg: 2 * line + 1 < h ? colour(2 * line + 1, c) : .default)
      if marks { style = marked(style, mark(activation: 0, channel: 0, 2 * line, c)) }
      return Cell("▀", style: style)
    }
    return lines
  }

  /// Fills a grid of `size` cells from `origin`, `cellWidth` columns each, with `cell(line,
  /// column)`; what falls outside `clip` is left out.
  static func fillCells(
    into buffer: inout CellBuffer, size: (lines: Int, columns: Int), at origin: (x: Int, y: Int),
    cellWidth: Int, clip: Rect, cell: (Int, Int) -> Cell
  ) {
    for line in 0..<size.lines {
      let y = origin.y + line
      guard y < clip.maxY else { return }
      for c in 0..<size.columns {
        let x = origin.x + c * cellWidth
        guard x + cellWidth <= clip.maxX else { break }
        let drawn = cell(line, c)
        for k in 0..<cellWidth {
          buffer.put(drawn.glyph, x: x + k, y: y, style: drawn.style, clip: clip)
        }
      }
    }
  }

  /// Draws kernel `k` of `weight` `[F, 3, KH, KW]` as a colour picture, a cell a tap: each
  /// channel's weight as that colour's intensity, mid-grey at 0, full at `+range`, none at
  /// `-range` (the usual picture of a first layer's filters on colour images).
  func drawColourKernel(
    _ weight: Tensor, _ k: Int, range: Float, into buffer: inout CellBuffer,
    at origin: (x: Int, y: Int), cellWidth: Int, clip: Rect
  ) {
    let (kh, kw) = (weight.shape[2], weight.shape[3])
    let scale = max(range, .leastNormalMagnitude)
    Self.fillCells(
      into: &buffer, size: (kh, kw), at: origin, cellWidth: cellWidth, clip: clip
    ) { r, c in
      let v = (0..<3).map { ch in
        UInt8(max(0, min(1, 0.5 + 0.5 * weight[n: k, c: ch, h: r, w: c] / scale)) * 255)
      }
      return Cell(" ", style: Style(bg: Color(RGB(v[0], v[1], v[2])).downgraded(to: caps.color)))
    }
  }
}
