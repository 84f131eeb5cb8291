import Testing

@testable import TermUI

/// `m` drawn by a ``HeatGrid`` into a fresh `w`×`h` buffer, and where everything went.
func renderGrid(_ m: HeatGridModel, _ caps: Capabilities, _ w: Int, _ h: Int)
  -> (CellBuffer, HeatGridLayout)
{
  var b = CellBuffer(width: w, height: h)
  let layout = HeatGrid(model: m, capabilities: caps).render(into: &b, area: b.area)
  return (b, layout)
}
