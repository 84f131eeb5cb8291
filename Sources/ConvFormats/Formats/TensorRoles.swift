import ConvCore

// MARK: - Roles

/// Shaping a loaded tensor for the part it plays in a layer. Every mismatch is an
/// ``InputError`` naming the source and both shapes.
extension LoadedTensor {
  /// The tensor as an input batch `[N, C, H, W]`: `[H, W]` becomes `[1, 1, H, W]` and
  /// `[C, H, W]` becomes `[1, C, H, W]`. Every dimension must be at least 1. With `layout`
  /// `nhwc` an array (not an image) is `[N, H, W, C]` or `[H, W, C]` and is made channels first.
  public func asInput(layout: DataLayout = .nchw) throws -> LoadedTensor {
    if layout == .nhwc, !isImage, tensor.rank >= 3 {
      var moved = self
      moved.tensor = layout.activationToNCHW(tensor)
      moved.notes.append("channels last \(ConvError.format(tensor.shape)) read as channels first")
      return try moved.asInput()
    }
    let shape = tensor.shape
    let target: [Int]
    switch shape.count {
    case 2: target = [1, 1] + shape
    case 3: target = [1] + shape
    case 4: target = shape
    default:
      throw InputError(
        source: source,
        "an input must be [H, W], [C, H, W] or [N, C, H, W], but this has shape "
          + "\(ConvError.format(shape))")
    }
    try requireNonEmpty(target, role: "an input")
    return try reshaped(target)
  }

  /// The tensor as convolution weights `[F, C, KH, KW]` for an input with `inChannels`
  /// channels.
  ///
  /// `[KH, KW]` is one filter and `[F, KH, KW]` is F filters; with an input of several channels
  /// each such filter is **replicated across the channels** (the same kernel applied to every
  /// channel and summed — for RGB, the kernel applied to R + G + B). A note says so. A 4-D
  /// kernel must have exactly `inChannels` channels. With `layout` `nhwc` an array is HWIO
  /// `[KH, KW, C, F]` (or `[KH, KW, F]`), as TensorFlow writes kernels. With `groups` above 1,
  /// `inChannels` is what one filter reads, `C/G` of the input's `C` (the kernel is
  /// `[F, C/G, KH, KW]`), and the notes and errors say so.
  public func asKernel(inChannels: Int, layout: DataLayout = .nchw, groups: Int = 1) throws
    -> LoadedTensor
  {
    if layout == .nhwc, !isImage, tensor.rank >= 3 {
      return try hwioKernel(inChannels: inChannels, groups: groups)
    }
    let shape = tensor.shape
    guard inChannels >= 1 else {
      throw InputError(source: source, "the input has no channels")
    }
    var result = self
    switch shape.count {
    case 2, 3:
      let filters = shape.count == 3 ? shape[0] : 1
      let kh = shape[shape.count - 2]
      let kw = shape[shape.count - 1]
      let target = [filters, inChannels, kh, kw]
      try requireNonEmpty(target, role: "a kernel")
      if inChannels == 1 { return try reshaped(target) }
      var data: [Float] = []
      data.reserveCapacity(filters * inChannels * kh * kw)
      for f in 0..<filters {
        let filter = tensor.data[(f * kh * kw)..<((f + 1) * kh * kw)]
        for _ in 0..<inChannels { data.append(contentsOf: filter) }
      }
      result.tensor = try make(target, data)
      var note =
        "each filter replicated across the \(inChannels) input channels"
        + (groups > 1 ? " of its group (of \(inChannels * groups), groups \(groups))" : "")
      if shape.count == 3, shape[0] == inChannels {
        note +=
          " (read as \(filters) filters; save one filter over \(inChannels) channels as "
          + "\(ConvError.format([1, inChannels, kh, kw])))"
      }
      result.notes.append(note)
      return result
    case 4:
      guard shape[1] == inChannels else {
        let hint =
          shape[2] == inChannels
          ? "; a TensorFlow kernel [KH, KW, C, F]? give --layout nhwc" : ""
        let reads =
          groups > 1
          ? "but with --groups \(groups) each filter reads C/G = \(inChannels) of the input's "
            + "\(inChannels * groups)" : "but the input has \(inChannels)"
        throw InputError(
          source: source,
          "kernel \(ConvError.format(shape)) has \(shape[1]) channel\(shape[1] == 1 ? "" : "s") "
            + "\(reads); it must be \(ConvError.format([shape[0], inChannels, shape[2], shape[3]])) "
            + (groups > 1 ? "[F, C/G, KH, KW]" : "[F, C, KH, KW]") + hint)
      }
      try requireNonEmpty(shape, role: "a kernel")
      return self
    default:
      throw InputError(
        source: source,
        "a kernel must be [KH, KW], [F, KH, KW] or [F, C, KH, KW], but this has shape "
          + "\(ConvError.format(shape))")
    }
  }

  /// An HWIO kernel `[KH, KW, C, F]` (or `[KH, KW, F]`) as ``asKernel(inChannels:layout:)``
  /// reads it channels first; an error names the file's own shape beside the transposed one.
  func hwioKernel(inChannels: Int, groups: Int) throws -> LoadedTensor {
    var moved = self
    moved.tensor = DataLayout.nhwc.kernelToNCHW(tensor)
    let read =
      "HWIO \(ConvError.format(tensor.shape)) read as \(ConvError.format(moved.tensor.shape))"
    moved.notes.append(read + " [F, C, KH, KW]")
    do {
      return try moved.asKernel(inChannels: inChannels, groups: groups)
    } catch let error as InputError {
      let said = "\(source): kernel \(ConvError.format(moved.tensor.shape))"
      guard error.message.hasPrefix(said) else { throw error }
      throw InputError(
        "\(source): HWIO kernel \(ConvError.format(tensor.shape)) read as "
          + "\(ConvError.format(moved.tensor.shape))" + error.message.dropFirst(said.count))
    }
  }

  /// The tensor as biases `[F]`: any shape holding exactly `filters` values along one axis
  /// (`[F]`, `[1, F]`, `[F, 1]`), or a single value, which is used for every filter (noted).
  public func asBias(filters: Int) throws -> LoadedTensor {
    let shape = tensor.shape
    if tensor.count == 1, filters != 1 {
      var result = self
      result.tensor = try make([filters], Array(repeating: tensor.data[0], count: filters))
      result.notes.append("the one value is used for all \(filters) filters")
      return result
    }
    guard tensor.count == filters, shape.filter({ $0 != 1 }).count <= 1 else {
      throw InputError(
        source: source,
        "biases have shape \(ConvError.format(shape)) but the kernel has \(filters) "
          + "filter\(filters == 1 ? "" : "s"): give \(filters) value\(filters == 1 ? "" : "s") "
          + "(shape \(ConvError.format([filters])))")
    }
    return try reshaped([filters])
  }

  /// The tensor as an output gradient of exactly `shape` (`[N, F, OH, OW]`); a file without
  /// the leading 1s (e.g. `[F, OH, OW]` for a batch of one) is accepted. With `layout` `nhwc` a
  /// rank-4 or rank-3 array is channels last (`[N, OH, OW, F]`).
  public func asGradient(shape expected: [Int], layout: DataLayout = .nchw) throws
    -> LoadedTensor
  {
    if layout == .nhwc, !isImage, tensor.rank >= 3 {
      var moved = self
      moved.tensor = layout.activationToNCHW(tensor)
      return try moved.asGradient(shape: expected)
    }
    var shape = tensor.shape
    while shape.count < expected.count, expected[expected.count - shape.count - 1] == 1 {
      shape.insert(1, at: 0)
    }
    guard shape == expected else {
      throw InputError(
        source: source,
        "the gradient has shape \(ConvError.format(tensor.shape)) but the layer's output is "
          + "\(ConvError.format(expected))")
    }
    return try reshaped(expected)
  }

  // MARK: Helpers

  func requireNonEmpty(_ shape: [Int], role: String) throws {
    guard shape.allSatisfy({ $0 >= 1 }) else {
      throw InputError(
        source: source,
        "\(role) needs at least one value along every axis, but this has shape "
          + "\(ConvError.format(tensor.shape))")
    }
  }

  func make(_ shape: [Int], _ data: [Float]) throws -> Tensor {
    do {
      return try Tensor(shape: shape, data: data, name: source)
    } catch {
      throw InputError(source: source, "\(error)")
    }
  }

  func reshaped(_ shape: [Int]) throws -> LoadedTensor {
    var result = self
    result.tensor = try make(shape, tensor.data)
    return result
  }
}
