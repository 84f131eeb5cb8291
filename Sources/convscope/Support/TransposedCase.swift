import ConvCore
import ConvDebug
import ConvFormats
import ConvStepper

// MARK: - A transposed case

extension LayerSource {
  /// The layer of `--case` when it is a `conv_transpose2d` case (for `check` and `code`, which
  /// take the transposed path), with where its tensors came from; nil for any other case or
  /// the layer flags (and for a case that does not load: the usual path reports why).
  func transposedCase() throws -> (layer: TransposedLayer, setup: LayerSetup)? {
    guard let casePath, let c = try? ConvCase.load(path: casePath),
      let spec = c.general, spec.transposed
    else { return nil }
    guard !layer.article, !layer.shapesLayer else {
      throw InputError(
        "give either --case or the layer and data flags (--input, --stride, …), not both")
    }
    let transposed: TransposedLayer
    do {
      transposed = try TransposedLayer(
        x: c.tensor("x"), w: c.tensor("w"), b: c.tensor("b"), dy: c.tensors["dy"], spec: spec)
    } catch let error as ConvError {
      throw InputError(source: casePath, "\(error)")
    }
    let from = "from \(casePath)"
    var origins = ["x", "w", "b"].map { LayerSetup.Origin(tensor: $0, source: from) }
    origins.append(LayerSetup.Origin(tensor: "dy", source: c.tensors["dy"] == nil ? "ones" : from))
    return (
      transposed,
      LayerSetup(defaults: c.tensors["dy"] == nil ? ["dy = ones"] : [], origins: origins)
    )
  }
}
