import ConvKernels

// MARK: - KernelBuffers

/// A layer's tensors handed to a kernel of `ConvKernels` as buffers, after this checked target
/// has checked them against the geometry: the one place the fast path (``FastConv``) and the
/// canonical order (``CanonicalConv``) turn tensors into pointers.
enum KernelBuffers {
  /// Runs `body` with `x`, `weight` and `bias` to read and a zero `y[N, F, OH, OW]` to write;
  /// returns `y`.
  static func forward(
    x: Tensor, weight: Tensor, bias: Tensor, geometry g: ConvGeometry,
    _ body: (
      ConvShape, UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>,
      UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>
    ) -> Void
  ) -> Tensor {
    precondition(x.shape == g.inputShape && weight.shape == g.weightShape)
    precondition(bias.shape == [g.config.filters])
    var y = Tensor(shape: g.outputShape)
    x.data.withUnsafeBufferPointer { xb in
      weight.data.withUnsafeBufferPointer { wb in
        bias.data.withUnsafeBufferPointer { bb in
          y.data.withUnsafeMutableBufferPointer { yb in body(ConvShape(g), xb, wb, bb, yb) }
        }
      }
    }
    return y
  }

  /// Runs `body` with `x`, `weight` and `dy` to read and zero `dx`, `dw`, `db` to accumulate
  /// into; returns the three.
  static func backward(
    x: Tensor, weight: Tensor, dy: Tensor, geometry g: ConvGeometry,
    _ body: (
      ConvShape, UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>,
      UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>,
      UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>
    ) -> Void
  ) -> Conv2DGradients {
    precondition(x.shape == g.inputShape && weight.shape == g.weightShape)
    precondition(dy.shape == g.outputShape)
    var dx = Tensor(shape: g.inputShape)
    var dw = Tensor(shape: g.weightShape)
    var db = Tensor(shape: [g.config.filters])
    x.data.withUnsafeBufferPointer { xb in
      weight.data.withUnsafeBufferPointer { wb in
        dy.data.withUnsafeBufferPointer { dyb in
          dx.data.withUnsafeMutableBufferPointer { dxb in
            dw.data.withUnsafeMutableBufferPointer { dwb in
              db.data.withUnsafeMutableBufferPointer { dbb in
                body(ConvShape(g), xb, wb, dyb, dxb, dwb, dbb)
              }
            }
          }
        }
      }
    }
    return Conv2DGradients(dx: dx, dw: dw, db: db)
  }
}
