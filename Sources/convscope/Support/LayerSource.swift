import ArgumentParser
import ConvCore
import ConvFormats
import ConvLessons
import ConvStepper
import Foundation

// MARK: - LayerSource

/// The layer and its data for every command that takes a layer (the viewer, `render`, `export`,
/// `check`, `gradcheck`, `code`): the layer and data flags of ``ScenarioOptions``, or a case
/// file in the conv-vectors format (`--case`).
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
    /// A valid layer, with its defaults in use and where its tensors came from.
    case layer(Scenario, LayerSetup)
    /// No window fits (the error says along which axis), with the layer's stride.
    case noWindow(ConvError, stride: Size2)
  }

  /// The scenario and the notes for the status bar (where data came from); a case file has
  /// none. For the viewer, `render` and `export`.
  func build() throws -> (scenario: Scenario, notes: [String]) {
    guard casePath != nil else {
      let built = try layer.build()
      return (built.scenario, built.notes)
    }
    return (try scenario(), [])
  }

  /// The scenario; throws a one-line error (no window fitting included).
  func scenario() throws -> Scenario { try layerAndSetup().scenario }

  /// The scenario with its defaults in use and its tensors' origins; throws a one-line error
  /// (no window fitting included).
  func layerAndSetup() throws -> (scenario: Scenario, setup: LayerSetup) {
    switch try resolve() {
    case .layer(let s, let setup): return (s, setup)
    case .noWindow(let error, _): throw error
    }
  }

  /// The scenario, or the reason no window fits.
  func resolve() throws -> Resolved { try resolveNoted().resolved }

  /// ``resolve()`` and what reading the data flags' files did (`x.npy: float64 values rounded
  /// to float32`); a case file has no notes.
  func resolveNoted() throws -> (resolved: Resolved, notes: [String]) {
    guard let casePath else {
      do {
        let built = try layer.build()
        return (.layer(built.scenario, built.setup), built.notes)
      } catch let error as ConvError {
        if case .kernelDoesNotFit = error {
          return (.noWindow(error, stride: layer.stride ?? 1), [])
        }
        throw error
      }
    }
    return (try resolveCase(casePath), [])
  }

  /// The scenario of the case file at `casePath`, or the reason no window fits.
  func resolveCase(_ casePath: String) throws -> Resolved {
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
    let from = "from \(casePath)"
    return .layer(
      s,
      LayerSetup(
        defaults: layer.learningRate == nil ? ["lr \(s.learningRate)"] : [],
        origins: ["x", "w", "b", "dy"].map { LayerSetup.Origin(tensor: $0, source: from) }))
  }

  /// For a conv2d case file whose kernel fits no window: the error and the stride.
  static func noWindow(casePath: String) -> Resolved? {
    guard let data = FileManager.default.contents(atPath: casePath),
      let file = try? JSONDecoder().decode(CaseGeometry.self, from: data),
      file.op == "conv2d", file.x.count == 4, file.w.count == 4
    else { return nil }
    let (x, w) = (file.x, file.w)
    func pair(_ v: [Int]?) -> Size2? {
      guard let v, v.count == 2 else { return nil }
      return Size2(v[0], v[1])
    }
    let config = Conv2DConfig(
      inChannels: w[1], filters: w[0], kernel: Size2(w[2], w[3]),
      stride: pair(file.stride) ?? 1, padding: pair(file.padding) ?? 0,
      dilation: pair(file.dilation) ?? 1)
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

/// The parts of a conv2d case file that ``LayerSource/noWindow(casePath:)`` reads: `op`, the
/// shapes of `x` and `w`, and the `[h, w]` parameters (nil when absent or not a pair of integers).
struct CaseGeometry: Decodable {
  var op: String
  var x: [Int]
  var w: [Int]
  var stride: [Int]?
  var padding: [Int]?
  var dilation: [Int]?

  init(from decoder: any Decoder) throws {
    let root = try decoder.container(keyedBy: JSONKey.self)
    op = try root.decode(String.self, forKey: JSONKey("op"))
    let shapes = try root.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("shapes"))
    x = try shapes.decode([Int].self, forKey: JSONKey("x"))
    w = try shapes.decode([Int].self, forKey: JSONKey("w"))
    let params = try? root.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("params"))
    stride = try? params?.decode([Int].self, forKey: JSONKey("stride"))
    padding = try? params?.decode([Int].self, forKey: JSONKey("padding"))
    dilation = try? params?.decode([Int].self, forKey: JSONKey("dilation"))
  }
}
