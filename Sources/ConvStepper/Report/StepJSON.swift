import ConvCore

// MARK: - StepLine

/// One step as `convscope steps --json` writes it (encode it with ConvFormats' `JSONOutput`):
/// `step`, `phase`, `sample`, `filter`, `out` `[i, j]`, `value`, `formula`, and the phase's
/// details — `origin`, `bias`, `channel_sums`, `taps` (forward), `taps` (backward), `argmax`
/// (pooling). Details a phase does not have are left out.
public struct StepLine: Encodable, Sendable {
  /// The step's number within the timeline, from 1 (as the viewer counts).
  public var step: Int
  /// The phase's name (`forward`, `backward`, …).
  public var phase: String
  /// The sample `n`.
  public var sample: Int
  /// The filter (or channel) `f`.
  public var filter: Int
  /// The output cell `[i, j]`.
  public var out: [Int]
  /// What the step stands for (``StepReport/value(of:)``).
  public var value: JSONFloat
  /// Forward: the window's top-left corner in the padded input `[row, column]`.
  public var origin: [Int]?
  /// Forward: the filter's bias.
  public var bias: JSONFloat?
  /// Forward: the window's sum per input channel it reads (with groups, its group's channels in
  /// order).
  public var channelSums: [JSONFloat]?
  /// Forward and backward: the kernel taps.
  public var taps: [StepTap]?
  /// Pooling: the input cell holding the maximum `[row, column]`.
  public var argmax: [Int]?
  /// The step's formula with its numbers.
  public var formula: String

  enum CodingKeys: String, CodingKey {
    case step, phase, sample, filter, out, value, origin, bias, taps, argmax, formula
    case channelSums = "channel_sums"
  }
}

/// One kernel tap of a step: `c` (the input channel), `p`, `q`, `input` (`[row, column]` of the
/// cell read, or `"padding"` for a zero), `x`, `w`, `product`; with groups `wc` (the weight's
/// channel, `c` less the group's first channel); on a padding cell that copies an input cell
/// (reflect, replicate, circular) `padding_at` (`[row, column]` of the padding cell, unpadded
/// coordinates) while `input` names the cell copied.
public struct StepTap: Encodable, Sendable {
  /// The tap.
  public var tap: Tap

  /// Writes the tap's members.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: JSONKey.self)
    try c.encode(tap.channel, forKey: JSONKey("c"))
    if tap.weightChannel != tap.channel { try c.encode(tap.weightChannel, forKey: JSONKey("wc")) }
    try c.encode(tap.kernelRow, forKey: JSONKey("p"))
    try c.encode(tap.kernelColumn, forKey: JSONKey("q"))
    if tap.isPadding {
      try c.encode("padding", forKey: JSONKey("input"))
    } else {
      try c.encode([tap.sourceRow, tap.sourceColumn], forKey: JSONKey("input"))
    }
    if tap.copies {
      try c.encode([tap.inputRow, tap.inputColumn], forKey: JSONKey("padding_at"))
    }
    try c.encode(JSONFloat(tap.x), forKey: JSONKey("x"))
    try c.encode(JSONFloat(tap.w), forKey: JSONKey("w"))
    try c.encode(JSONFloat(tap.isPadding ? 0 : tap.x * tap.w), forKey: JSONKey("product"))
  }
}

// MARK: - StepStateReport

/// The state after a step as `convscope steps --at K --json` writes it: flat row-major arrays,
/// `null` for values not computed yet (or not finite).
public struct StepStateReport: Encodable, Sendable {
  /// A flat tensor; `nil` cells are not computed yet.
  public typealias Values = [JSONFloat?]

  /// The phase's name.
  public var phase: String
  /// The step's number, from 1 (as the viewer counts).
  public var step: Int
  /// Steps run (`step + 1`).
  public var done: Int
  /// The layer's output (null where the forward pass has not reached).
  public var y: Values
  /// ReLU's output, for a layer with ReLU.
  public var relu: Values?
  /// Max pooling's output, for a layer with pooling.
  public var pool: Values?
  /// Pool backward: the gradient reaching the pooling input so far.
  public var poolInputGradient: Values?
  /// ReLU backward: the gradient reaching the convolution so far.
  public var convGradient: Values?
  /// The input gradient (partial sums in the backward pass, zeros before it).
  public var dx: Values
  /// The weight gradient.
  public var dw: Values
  /// The bias gradient.
  public var db: Values
  /// Update: the weights, updated up to this step's filter.
  public var w: Values?
  /// Update: the biases, updated up to this step's filter.
  public var b: Values?
  /// Windows (per filter) reading each input cell `[H, W]`; 0 where stride or dilation skip it.
  public var reads: [Int]
  /// Input rows the floor in the output-size formula drops.
  public var droppedRows: [Int]
  /// Input columns the floor drops.
  public var droppedColumns: [Int]

  enum CodingKeys: String, CodingKey {
    case phase, step, done, y, relu, pool, dx, dw, db, w, b, reads
    case poolInputGradient = "pool_input_gradient"
    case convGradient = "conv_gradient"
    case droppedRows = "dropped_rows"
    case droppedColumns = "dropped_columns"
  }
}
