import ConvCore

// MARK: - QuizLevels

/// The layers the three levels of a set ask about, from the layer on screen: level 0 is a
/// warm-up on the same layer made plain (one sample, one input channel, stride and dilation 1,
/// its numbers rounded to integers, or to one decimal when its weights are small); level 1 the
/// same with the real numbers and channels; level 2 the layer as it is. A level equal to the
/// one above it is that one.
struct QuizLevels: Sendable {
  /// The layer of each level (0, 1, 2).
  let traces: [LayerTrace]
  /// What each level changed, said before its questions (empty for the layer itself).
  let notes: [String]

  init(_ trace: LayerTrace) {
    let s = trace.scenario
    let plainGeometry = QuizLevels.derived(
      s, channels: s.config.inChannels, integers: false)
    let warmUp = QuizLevels.derived(s, channels: 1, integers: true)
    let one = plainGeometry.flatMap { try? LayerTrace($0) } ?? trace
    let zero = warmUp.flatMap { try? LayerTrace($0) } ?? one
    traces = [zero, one, trace]
    notes = [
      zero === trace ? "" : QuizLevels.describe(zero.scenario, against: s, level: 0),
      one === trace ? "" : QuizLevels.describe(one.scenario, against: s, level: 1),
      "",
    ]
  }

  /// `s` with one sample, stride and dilation 1, the first `channels` input channels, and (with
  /// `integers`) every number rounded; nil when that is the layer itself or fits no window.
  static func derived(_ s: Scenario, channels: Int, integers: Bool) -> Scenario? {
    var config = s.config
    config.stride = Size2(1)
    config.dilation = Size2(1)
    config.inChannels = min(channels, s.config.inChannels)
    // Fewer channels than the layer's: one group (the first channels of each filter's weights).
    if config.inChannels < s.config.inChannels { config.groups = 1 }
    let shape = s.input.shape
    let unit = QuizLevels.roundingUnit(s)
    func round(_ v: [Float]) -> [Float] {
      integers ? v.map { ($0 / unit).rounded() * unit } : v
    }
    /// The first `keep` channels of each of `planes` (samples or filters): contiguous.
    func slice(_ t: Tensor, planes: Int, keep: Int, plane: Int) -> [Float] {
      var out: [Float] = []
      for p in 0..<planes {
        let start = p * t.shape[1] * plane
        out += t.data[start..<start + keep * plane]
      }
      return round(out)
    }
    let inputPlane = shape[2] * shape[3]
    let kernelPlane = config.kernel.h * config.kernel.w
    guard
      let input = try? Tensor(
        shape: [1, config.inChannels, shape[2], shape[3]],
        data: slice(s.input, planes: 1, keep: config.inChannels, plane: inputPlane)),
      let weight = try? Tensor(
        shape: config.weightShape,
        data: slice(
          s.weight, planes: config.filters, keep: config.groupChannels, plane: kernelPlane)),
      let bias = try? Tensor(shape: config.biasShape, data: round(s.bias.data))
    else { return nil }
    var d = s
    d.config = config
    d.input = input
    d.weight = weight
    d.bias = bias
    if case .tensor = s.gradient { d.gradient = .ones }
    d.practice = nil
    guard d != s, (try? d.validated()) != nil else { return nil }
    return d
  }

  /// What the warm-up rounds to: 1 (integers), or 0.1 when the weights are all below 2 (so a
  /// kernel of small weights does not round to zeros).
  static func roundingUnit(_ s: Scenario) -> Float {
    (s.weight.data.map(abs).max() ?? 0) >= 2 ? 1 : 0.1
  }

  /// What a derived layer changed: "Warm-up: this layer with stride 1, one input channel and
  /// its numbers rounded to integers." (`level` 0), "Next: this layer with stride 1." (1).
  static func describe(_ d: Scenario, against s: Scenario, level: Int) -> String {
    var changes: [String] = []
    if d.input.shape[0] != s.input.shape[0] { changes.append("one sample") }
    if d.config.stride != s.config.stride { changes.append("stride 1") }
    if d.config.dilation != s.config.dilation { changes.append("dilation 1") }
    if d.config.inChannels != s.config.inChannels { changes.append("one input channel") }
    if level == 0,
      d.input.data != Array(s.input.data.prefix(d.input.count))
        || d.weight.data != s.weight.data || d.bias.data != s.bias.data
    {
      changes.append(
        roundingUnit(s) == 1
          ? "its numbers rounded to integers" : "its numbers rounded to one decimal")
    }
    guard !changes.isEmpty else { return "" }
    let list =
      changes.count == 1
      ? changes[0] : changes.dropLast().joined(separator: ", ") + " and " + (changes.last ?? "")
    return (level == 0 ? "Warm-up" : "Next") + ": this layer with \(list)."
  }
}
