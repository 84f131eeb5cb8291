import ConvCore

// MARK: - NetworkWeights

/// A network's weights in files PyTorch reads: `.npz` (NumPy) and `.safetensors`, with the
/// parameter names and layouts of the same layers in a `torch.nn.Sequential`.
///
/// Layer `k`'s weights are `k.weight` and its bias `k.bias`, where `k` counts every layer
/// (relu, maxpool and flatten too, as `nn.Sequential` numbers its modules): `digits.net` gives
/// `0.weight`, `0.bias`, `3.weight`, `3.bias`, `7.weight`, `7.bias`. A conv2d weight is
/// `[F, C/groups, KH, KW]` and a linear weight `[out, in]`, as in PyTorch, so
/// `model.load_state_dict(...)` takes the file's tensors as they are.
public enum NetworkWeights {
  /// The two file formats, chosen by the path's extension.
  public enum Format: String, Sendable {
    /// A NumPy archive of `<name>.npy` members (``NPZWriter``).
    case npz
    /// A safetensors file (``SafeTensors``).
    case safetensors

    /// The format of `path` by its extension (any case); a one-line error for any other.
    public init(path: String) throws(InputError) {
      let lower = path.lowercased()
      if lower.hasSuffix(".npz") {
        self = .npz
      } else if lower.hasSuffix(".safetensors") {
        self = .safetensors
      } else {
        throw InputError(
          source: path, "weights are saved as .npz or .safetensors; name the file so")
      }
    }
  }

  /// "0.weight", "0.bias", "3.weight", … : the index is the layer's index in the network (relu,
  /// maxpool and flatten count, as modules of nn.Sequential do); layouts are PyTorch's (conv
  /// [F, C/groups, KH, KW], linear [out, in]).
  public static func named(_ network: Network) -> [(name: String, tensor: Tensor)] {
    var result: [(name: String, tensor: Tensor)] = []
    for (k, layer) in network.layers.enumerated() where layer.hasWeights {
      if let weight = layer.weight { result.append(("\(k).weight", weight)) }
      if let bias = layer.bias { result.append(("\(k).bias", bias)) }
    }
    return result
  }

  /// Writes by the path's extension (.npz or .safetensors; anything else is a one-line error)
  /// through SafeFile (atomic: nothing half-written).
  ///
  /// A `.safetensors` file carries the metadata `{"format": "pt"}`, as PyTorch's `save_file`
  /// writes it.
  public static func save(_ network: Network, to path: String) throws {
    let tensors = named(network)
    let bytes: [UInt8]
    switch try Format(path: path) {
    case .npz:
      guard tensors.count <= NPZWriter.maxMembers,
        NPZWriter.archiveSize(tensors) <= NPZWriter.maxArchiveSize
      else {
        throw InputError(
          source: path, "the weights are too large for an .npz archive (4 GiB); use .safetensors")
      }
      bytes = NPZWriter.encode(tensors)
    case .safetensors:
      bytes = SafeTensors.encode(tensors, metadata: ["format": "pt"])
    }
    try SafeFile.write(bytes, to: path)
  }

  /// `network` (already built from a .net file, e.g. He-initialised) with every weight and bias
  /// replaced by the file's. One-line errors: a missing name, an unexpected name, a shape that
  /// differs (say both shapes and which layer), a non-finite value, a dtype that cannot be read.
  public static func load(_ path: String, into network: Network) throws -> Network {
    try apply(read(path), to: network, source: path)
  }

  /// Every tensor of the weight file at `path`, in file order.
  public static func read(_ path: String) throws -> [(name: String, tensor: Tensor)] {
    switch try Format(path: path) {
    case .safetensors:
      return try SafeTensors.decode(Array(FileReading.contents(of: path)), source: path)
    case .npz:
      let bytes = try FileBytes.map(path)
      guard let archive = try TensorArchive.open(bytes, source: path),
        case .npz = archive.content
      else { throw InputError(source: path, "not an .npz archive (a zip file of .npy arrays)") }
      let options = LoadOptions(maxSize: 0)
      return try archive.members.map { name in
        (name, try archive.load(name, options: options).tensor)
      }
    }
  }

  /// `network` with its weights and biases replaced by `tensors` (see ``load(_:into:)``).
  public static func apply(
    _ tensors: [(name: String, tensor: Tensor)], to network: Network, source: String
  ) throws(InputError) -> Network {
    func fail(_ m: String) -> InputError { InputError(source: source, m) }
    var byName: [String: Tensor] = [:]
    for (name, tensor) in tensors {
      guard byName.updateValue(tensor, forKey: name) == nil else {
        throw fail("holds '\(Printable.escape(name.prefix(60)))' twice")
      }
    }
    var result = network
    for (k, layer) in network.layers.enumerated() where layer.hasWeights {
      let label = "layer \(k) (\(layer.typeName))"
      for (suffix, current) in [("weight", layer.weight), ("bias", layer.bias)] {
        let name = "\(k).\(suffix)"
        guard let current else {
          throw fail("\(label) has no \(suffix) to replace: build the network first")
        }
        guard let given = byName.removeValue(forKey: name) else {
          throw fail(
            "no '\(name)' (the \(suffix) of \(label), \(ConvError.format(current.shape))); "
              + "the file holds " + listed(tensors.map(\.name)))
        }
        guard given.shape == current.shape else {
          throw fail(
            "'\(name)' is \(ConvError.format(given.shape)), but \(label) needs "
              + ConvError.format(current.shape))
        }
        let counts = NonFiniteCounts(counting: given.data)
        guard counts.total == 0 else { throw fail("'\(name)' holds non-finite values (\(counts))") }
        if suffix == "weight" {
          result.layers[k].weight = given
        } else {
          result.layers[k].bias = given
        }
      }
    }
    if let extra = tensors.map(\.name).first(where: { byName[$0] != nil }) {
      let expected = named(network).map(\.name)
      throw fail(
        "'\(Printable.escape(extra.prefix(60)))' is not a parameter of this network (it has "
          + listed(expected) + ")")
    }
    return result
  }

  /// Up to 12 names, for messages.
  static func listed(_ names: [String]) -> String {
    guard !names.isEmpty else { return "none" }
    return names.prefix(12).map { Printable.escape($0.prefix(40)) }.joined(separator: ", ")
      + (names.count > 12 ? ", …" : "")
  }
}
