// MARK: - FastConv

/// The fast path for whole-layer work.
///
/// Agrees with ``ReferenceConv`` within the tolerance documented in `docs/performance.md`.
enum FastConv {
  static func forward(x: Tensor, weight: Tensor, bias: Tensor, geometry g: ConvGeometry) -> Tensor {
    CanonicalConv.forward(x: x, weight: weight, bias: bias, geometry: g)
  }

  static func backward(x: Tensor, weight: Tensor, dy: Tensor, geometry g: ConvGeometry)
    -> Conv2DGradients
  {
    CanonicalConv.backward(x: x, weight: weight, dy: dy, geometry: g)
  }
}
