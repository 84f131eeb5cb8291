import ConvCore
import ConvDebug
import ConvFormats
import ConvStepper

// MARK: - A transposed layer to check or export

extension LayerSource {
  /// The transposed layer `check` and `code` take their transposed path for: a
  /// `conv_transpose2d` case (`--case`), or the flags or a lesson with `--transposed`
  /// (``transposed()``); its output gradient resolved, where a case's tensors came from
  /// (`setup`, nil for the flags) and the notes of loading. nil for a conv2d — and for a case
  /// that does not load or flags that do not parse: the usual path reports those (a kernel
  /// that fits no window is diagnosed there).
  func transposedLayer() throws -> (layer: TransposedLayer, setup: LayerSetup?, notes: [String])? {
    if let casePath {
      guard let c = try? ConvCase.load(path: casePath), c.op == .convTranspose2d, c.general != nil
      else { return nil }
      guard !layer.article, !layer.shapesLayer else {
        throw InputError(
          "give either --case or the layer and data flags (--input, --stride, …), not both")
      }
    } else {
      guard (try? layer.request())?.transposed == true else { return nil }
    }
    guard let (s, notes) = try transposed() else { return nil }
    let dy = try TransposedTrace(s).dy
    let transposed = try TransposedLayer(
      x: s.input, w: s.weight, b: s.bias, dy: dy, spec: s.spec)
    guard let casePath else { return (transposed, nil, notes) }
    let from = "from \(casePath)"
    var ones = false
    if case .ones = s.gradient { ones = true }
    var origins = ["x", "w", "b"].map { LayerSetup.Origin(tensor: $0, source: from) }
    origins.append(LayerSetup.Origin(tensor: "dy", source: ones ? "ones" : from))
    return (
      transposed,
      LayerSetup(defaults: ones ? ["dy = ones"] : [], origins: origins), notes
    )
  }
}
