import ArgumentParser
import ConvCore
import ConvFormats
import ConvLessons
import ConvStepper
import Foundation

// MARK: - LayerSource

/// The layer and its data for `check`, `gradcheck` and `code`: the layer and data flags of
/// ``ScenarioOptions``, or a case file in the conv-vectors format (`--case`).
struct LayerSource: ParsableArguments {
  @OptionGroup var layer: ScenarioOptions

  @Option(
    name: .customLong("case"),
    help: ArgumentHelp(
      "Take the layer and its tensors (x, w, b, dy) from a case file in the conv-vectors JSON "
        + "format instead of the layer flags.", valueName: "CASE.json"))
  var casePath: String?

  /// What the flags describe: a layer, or one whose kernel fits no window.
  enum Resolved {
    /// A valid layer.
    case layer(Scenario)
    /// No window fits (the error says along which axis), with the layer's stride.
    case noWindow(ConvError, stride: Size2)
  }

  /// The scenario; throws a one-line error (no window fitting included).
  func scenario() throws -> Scenario {
    switch try resolve() {
    case .layer(let s): return s
    case .noWindow(let error, _): throw error
    }
  }

  /// The scenario, or the reason no window fits.
  func resolve() throws -> Resolved {
    guard let casePath else {
      do {
        return .layer(try layer.scenario())
      } catch let error as ConvError {
        if case .kernelDoesNotFit = error { return .noWindow(error, stride: layer.stride ?? 1) }
        throw error
      }
    }
    guard !layer.article, !layer.shapesLayer else {
      throw InputError(
        "give either --case or the layer and data flags (--input, --stride, …), not both")
    }
    let c: ConvCase
    do {
      c = try ConvCase.load(path: casePath)
    } catch let error as InputError {
      if let noWindow = LayerSource.noWindow(casePath: casePath) { return noWindow }
      throw error
    }
    var s = try c.scenario()
    if let lr = layer.learningRate {
      s.learningRate = lr
      try s.validate()
    }
    return .layer(s)
  }

  /// For a conv2d case file whose kernel fits no window: the error and the stride.
  static func noWindow(casePath: String) -> Resolved? {
    guard let data = FileManager.default.contents(atPath: casePath),
      let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      root["op"] as? String == "conv2d",
      let shapes = root["shapes"] as? [String: Any],
      let x = shapes["x"] as? [Int], x.count == 4,
      let w = shapes["w"] as? [Int], w.count == 4
    else { return nil }
    let params = root["params"] as? [String: Any] ?? [:]
    func pair(_ key: String) -> Size2 {
      guard let v = params[key] as? [Int], v.count == 2 else { return 1 }
      return Size2(v[0], v[1])
    }
    let padding = (params["padding"] as? [Int]).flatMap {
      $0.count == 2 ? Size2($0[0], $0[1]) : nil
    }
    let config = Conv2DConfig(
      inChannels: w[1], filters: w[0], kernel: Size2(w[2], w[3]), stride: pair("stride"),
      padding: padding ?? 0, dilation: pair("dilation"))
    do {
      _ = try config.outputSize(input: Size2(x[2], x[3]))
      return nil
    } catch let error as ConvError {
      if case .kernelDoesNotFit = error { return .noWindow(error, stride: config.stride) }
      return nil
    } catch {
      return nil
    }
  }
}
