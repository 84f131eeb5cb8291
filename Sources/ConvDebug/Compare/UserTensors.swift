import ConvCore

// MARK: - UserTensors

/// The user's own results for a layer, with the layout they are in. The caller reads them (the
/// CLI's `--check-…` files); ConvDebug reads no files.
///
/// Shapes are kept exactly as given: a tensor of the wrong shape is reported (and may be
/// explained by a bug that changes the shape), never refused.
public struct UserTensors: Sendable {
  /// The user's `y`, if given.
  public var y: Tensor?
  /// The user's `dx`, if given.
  public var dx: Tensor?
  /// The user's `dw`, if given.
  public var dw: Tensor?
  /// The user's `db`, if given.
  public var db: Tensor?
  /// The layout of the rank-4 tensors.
  public var layout: DataLayout
  /// Where each tensor came from (a file name), for messages.
  public var sources: [CheckedTensor: String]
  /// The element type each tensor was stored in, as NumPy names it (`float16`, `float64`),
  /// where the file says; a `float16` tensor's differences are checked against float16's
  /// rounding.
  public var storedTypes: [CheckedTensor: String] = [:]
  /// What reading the files did (`y.npy: float64 values rounded to float32`), for the report.
  public var notes: [String] = []

  /// The user's tensors; any may be nil.
  public init(
    y: Tensor? = nil, dx: Tensor? = nil, dw: Tensor? = nil, db: Tensor? = nil,
    layout: DataLayout = .nchw, sources: [CheckedTensor: String] = [:]
  ) {
    self.y = y
    self.dx = dx
    self.dw = dw
    self.db = db
    self.layout = layout
    self.sources = sources
  }

  /// The tensor for `name`.
  public subscript(_ name: CheckedTensor) -> Tensor? {
    get {
      switch name {
      case .y: return y
      case .dx: return dx
      case .dw: return dw
      case .db: return db
      }
    }
    set {
      switch name {
      case .y: y = newValue
      case .dx: dx = newValue
      case .dw: dw = newValue
      case .db: db = newValue
      }
    }
  }

  /// The tensors given, in the order y, dx, dw, db.
  public var given: [CheckedTensor] { CheckedTensor.allCases.filter { self[$0] != nil } }

  /// The tensor `name` as channels first with exactly `expected` (its channels-first shape),
  /// when its shape is `expected` in ``layout`` up to axes of size 1; nil otherwise.
  public func channelsFirst(_ name: CheckedTensor, expected: [Int]) -> Tensor? {
    guard let t = self[name] else { return nil }
    let inLayout = layout.shape(fromNCHW: expected)
    guard DataLayout.sameUpToUnitAxes(t.shape, inLayout),
      let shaped = try? Tensor(shape: inLayout, data: t.data)
    else { return nil }
    return layout.toNCHW(shaped)
  }
}

// MARK: - A TensorFlow kernel gradient

extension UserTensors {
  /// Under `nhwc`, a `dw` laid out HWIO `[KH, KW, C, F]` (as TensorFlow writes a kernel and its
  /// gradient, and as `--kernel` is read under `--layout nhwc`) is taken as the report's
  /// channels-last `[F, KH, KW, C]`, with a note saying so. A shape that is both (or neither) is
  /// left as it is.
  public mutating func adoptHWIOWeights(_ config: Conv2DConfig) {
    guard layout == .nhwc, let w = dw, w.rank == 4 else { return }
    let (f, c, k) = (config.filters, config.groupChannels, config.kernel)
    let hwio = [k.h, k.w, c, f]
    let fhwc = [f, k.h, k.w, c]
    guard w.shape == hwio, w.shape != fhwc else { return }
    dw = w.permuted([3, 0, 1, 2])
    notes.append(
      "\(sources[.dw] ?? "dw"): HWIO \(ConvError.format(hwio)) read as [F, KH, KW, C] "
        + ConvError.format(fhwc))
  }
}
