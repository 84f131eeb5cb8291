import ConvCore
import TermUI

// MARK: - What a click lands on

/// What is under a screen position on the overview.
public enum NetHit: Sendable, Equatable {
  /// A layer's column, outside its maps (its header, a feature vector, the space between maps).
  case layer(Int)
  /// A cell of a map in layer `layer`'s column: the receptive field's anchor.
  case cell(layer: Int, map: Int, row: Int, column: Int)
}

extension NetPainter {
  /// What the overview draws at (`x`, `y`): found from the same placements the drawing uses,
  /// so a click always lands on what the user sees there. Nil outside the layer columns.
  func hit(x: Int, y: Int) -> NetHit? {
    guard let (columns, _) = columnPlacements(area: layersArea) else { return nil }
    guard let column = columns.first(where: { $0.area.contains(x: x, y: y) }) else { return nil }
    let k = column.layer
    let shape = model.activations.values[k + 1].shape
    guard shape.count == 4 else { return .layer(k) }
    let area = Self.mapsArea(column: column.area)
    let placed = mapPlacements(
      shape, area: area, cell: (column.cellWidth, column.across), activation: k + 1)
    let (h, w) = (shape[2], shape[3])
    for map in placed.maps {
      let (line, dx) = (y - map.y, x - map.x)
      guard line >= 0, line < placed.lines, dx >= 0, dx < w * column.cellWidth else { continue }
      // A line of a tall map holds two rows: a click takes the upper one.
      let row = placed.halved ? 2 * line : line
      guard row < h, x < area.maxX, y < area.maxY else { continue }
      return .cell(layer: k, map: map.channel, row: row, column: dx / column.cellWidth)
    }
    return .layer(k)
  }
}
