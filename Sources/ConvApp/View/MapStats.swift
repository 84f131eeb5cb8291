import ConvCore
import ConvStepper
import TermUI

// MARK: - MapStats

/// The whole-map facts a frame needs — the largest magnitude (the colour scale) and the widest
/// number (the column width) — computed once per map of the trace's own tensors
/// (``LayerTrace/memo(_:_:)``), and with one tight loop for the tensors of a position.
enum MapStats {
  /// The largest finite magnitude of `t.data[range]` (0 when none).
  static func maxAbs(_ t: Tensor, _ range: Range<Int>, trace: LayerTrace) -> Float {
    guard let key = trace.storageKey(of: t) else { return maxAbs(t.data[range]) }
    return trace.memo("maxAbs \(key) \(range)") { maxAbs(t.data[range]) }
  }

  /// The columns the numbers of `t.data[range]` take (``HeatGridLayout/numberWidth``).
  static func numberWidth(_ t: Tensor, _ range: Range<Int>, trace: LayerTrace, unicode: Bool = true)
    -> Int
  {
    guard let key = trace.storageKey(of: t) else {
      return HeatGridLayout.numberWidth(of: t.data[range], unicode: unicode)
    }
    return trace.memo("numberWidth \(key) \(range) \(unicode)") {
      HeatGridLayout.numberWidth(of: t.data[range], unicode: unicode)
    }
  }

  /// The largest finite magnitude of `values` (0 when none).
  static func maxAbs(_ values: ArraySlice<Float>) -> Float {
    values.withUnsafeBufferPointer { b in
      var m: Float = 0
      for v in b where v.isFinite { m = Swift.max(m, Swift.abs(v)) }
      return m
    }
  }
}
