import ConvCore
import ConvStepper

// MARK: - ReferenceData

/// A layer's inputs and its correct results in `Double`, with the per-cell magnitudes the
/// tolerance needs.
///
/// The values come from ConvCore's oracle, ``ReferenceConv`` (plain loops, accumulated in
/// `Double` from the float32 inputs): the best answer a float32 layer can aim at. The magnitudes
/// (`Σ|terms|` per cell) come from the same data run through ``TapEngine``.
struct ReferenceData: Sendable {
  let geometry: ConvGeometry
  /// The input, channels first.
  let x: [Double]
  /// The weights `[F, C/G, KH, KW]`.
  let w: [Double]
  /// The biases.
  let b: [Double]
  /// The convolution's output gradient (the trace's resolved `dy`).
  let dy: [Double]
  /// The correct tensors, channels first.
  let expected: [CheckedTensor: ExpectedTensor]

  init(trace: LayerTrace) {
    let g = trace.geometry
    let s = trace.scenario
    geometry = g
    x = s.input.doubles
    w = s.weight.doubles
    b = s.bias.doubles
    dy = trace.convGradient.doubles
    let plan = TapPlan(g)
    var y = TapEngine.forward(plan, x: x, w: w, b: b)
    y.values = ReferenceConv.forward(x: x, w: w, b: b, geometry: g)
    var result: [CheckedTensor: ExpectedTensor] = [.y: y]
    if var grads = TapEngine.backward(
      plan, x: x, w: w, dy: dy, inputShape: g.inputShape, weightShape: g.weightShape)
    {
      let r = ReferenceConv.backward(x: x, w: w, dy: dy, geometry: g)
      grads.dx.values = r.dx
      grads.dw.values = r.dw
      grads.db.values = r.db
      result[.dx] = grads.dx
      result[.dw] = grads.dw
      result[.db] = grads.db
    }
    expected = result
  }
}
