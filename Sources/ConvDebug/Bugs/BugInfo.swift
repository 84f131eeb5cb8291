import ConvCore
import ConvStepper

// MARK: - BugInfo

/// A common mistake in a convolution layer that convscope recognises, in plain words.
public struct BugInfo: Sendable, Hashable, Identifiable {
  /// A stable identifier, e.g. `kernel-flipped` (used by `--json`, tests and the UI).
  public let id: String
  /// What went wrong, in one line.
  public let title: String
  /// What the code does and why it gives these numbers.
  public let explanation: String
  /// What to change.
  public let fix: String
  /// Data on which the mistake shows (to tell it apart from the correct layer or another bug).
  public let separatingHint: String
  /// The row of `docs/article-errata.md` when the blog article's code makes this mistake.
  public let erratum: Int?
  /// The tensors the mistake can change.
  public let affects: [CheckedTensor]

  /// A mistake's description.
  public init(
    id: String, title: String, explanation: String, fix: String, separatingHint: String,
    erratum: Int? = nil, affects: [CheckedTensor]
  ) {
    self.id = id
    self.title = title
    self.explanation = explanation
    self.fix = fix
    self.separatingHint = separatingHint
    self.erratum = erratum
    self.affects = affects
  }
}

// MARK: - VariantResult

/// What a buggy variant computes for a layer: the tensors the mistake changes (channels first
/// unless a tensor says otherwise), and an optional detail for the title
/// (e.g. `the padding value is 1`).
struct VariantResult {
  var tensors: [CheckedTensor: ExpectedTensor]
  var detail: String?

  init(_ tensors: [CheckedTensor: ExpectedTensor], detail: String? = nil) {
    self.tensors = tensors
    self.detail = detail
  }
}

// MARK: - BugVariant

/// A mistake and the function that recomputes a layer with it (nil when the mistake cannot
/// show with this configuration, e.g. a flipped 1×1 kernel).
struct BugVariant: Sendable {
  let info: BugInfo
  let compute: @Sendable (BugContext) -> VariantResult?
}

// MARK: - BugContext

/// Everything a variant needs to recompute the layer the buggy way.
struct BugContext {
  /// The correct geometry.
  let geometry: ConvGeometry
  /// The data and the correct results.
  let reference: ReferenceData
  /// The output gradient the user's backward pass saw: the correct `dy`, or their own `y`
  /// when the gradient is the output itself (`--grad output`, the article's `dOut = out`).
  let dy: [Double]
  /// Whether ``dy`` is the user's `y` rather than the correct gradient.
  let dyIsUsersY: Bool
  /// Whether the scenario's gradient is the layer's own output (and no ReLU or pooling).
  let gradientIsOutput: Bool
  /// The scenario's gradient source when it is the convolution's own `dy` (no ReLU or pooling
  /// after it); nil otherwise.
  var gradientSource: GradientSource? = nil
  /// The SGD learning rate.
  let learningRate: Double
  /// The user's tensors, for mistakes with a parameter to estimate.
  let user: UserTensors
  /// The tensors worth computing (the ones the user gave).
  let wanted: Set<CheckedTensor>
  /// The tensors the user gave that differ from the correct ones.
  var differing: Set<CheckedTensor> = []
  /// The tolerance (for variants that pick among candidates).
  let tolerance: Tolerance

  var x: [Double] { reference.x }
  var w: [Double] { reference.w }
  var b: [Double] { reference.b }
  var config: Conv2DConfig { geometry.config }
  /// The correct layer as a plan, to modify.
  var plan: TapPlan { TapPlan(geometry) }

  /// The correct value of `name`.
  func correct(_ name: CheckedTensor) -> ExpectedTensor? { reference.expected[name] }

  /// Runs `plan` forward (when `forward` and `y` is wanted) and backward with ``dy`` (when a gradient in
  /// `gradients` is wanted and the plan's output has the shape of `dy`).
  func run(
    _ plan: TapPlan, forward: Bool = true, gradients: Set<CheckedTensor> = [.dx, .dw]
  ) -> [CheckedTensor: ExpectedTensor] {
    var result: [CheckedTensor: ExpectedTensor] = [:]
    if forward, wanted.contains(.y) { result[.y] = TapEngine.forward(plan, x: x, w: w, b: b) }
    let needed = gradients.intersection(wanted)
    if !needed.isEmpty, plan.outputShape == geometry.outputShape,
      let g = TapEngine.backward(
        plan, x: x, w: w, dy: dy, inputShape: geometry.inputShape,
        weightShape: geometry.weightShape)
    {
      if needed.contains(.dx) { result[.dx] = g.dx }
      if needed.contains(.dw) { result[.dw] = g.dw }
      if needed.contains(.db) { result[.db] = g.db }
    }
    return result
  }

  /// Sample `n` alone: a one-sample plan with its input and output gradient.
  func sample(_ n: Int) -> (plan: TapPlan, x: [Double], dy: [Double], inputShape: [Int])? {
    let g = geometry
    guard n >= 0, n < g.batch,
      let one = try? ConvGeometry(config: config, inputShape: [1] + g.inputShape.dropFirst())
    else { return nil }
    let xs = one.inputShape.reduce(1, *)
    let ys = one.outputShape.reduce(1, *)
    return (
      TapPlan(one), Array(x[n * xs..<(n + 1) * xs]), Array(dy[n * ys..<(n + 1) * ys]),
      one.inputShape
    )
  }

  /// The correct backward pass with ``dy`` (which may be the user's `y`).
  func correctBackward() -> (dx: ExpectedTensor, dw: ExpectedTensor, db: ExpectedTensor)? {
    TapEngine.backward(
      plan, x: x, w: w, dy: dy, inputShape: geometry.inputShape,
      weightShape: geometry.weightShape)
  }
}
