import ConvCore
import ConvFormats
import Foundation
import Testing

// MARK: - Weight files read by NumPy

/// The weight files convscope writes, read back by NumPy: the `.npz` with `np.load`, the
/// `.safetensors` by the spec's layout with `struct`, `json` and `np.frombuffer` (and by
/// Hugging Face's `safetensors.numpy.load_file` too when that package is installed).
@Suite("Weight files: read back by NumPy")
struct WeightFilesNumPyTests {
  /// Prints `name shape : values` (float32 as `%.9g`, which reads back exactly) for every array
  /// of the .npz and the .safetensors given as arguments, and `same` when the safetensors
  /// library (if present) reads the same as the hand-written reader.
  static let script = #"""
    import json, struct, sys
    import numpy as np

    def show(kind, arrays):
        for name, a in arrays:
            assert a.dtype == np.float32, (kind, name, a.dtype)
            values = " ".join("%.9g" % v for v in a.ravel())
            print(kind, name, " ".join(map(str, a.shape)), ":", values)

    with np.load(sys.argv[1]) as z:
        show("npz", [(k, z[k]) for k in z.files])

    raw = open(sys.argv[2], "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    assert n % 8 == 0 and raw[8:9] == b"{", "header"
    header = json.loads(raw[8:8 + n])
    assert header.pop("__metadata__") == {"format": "pt"}
    data = raw[8 + n:]
    order = sorted(header.items(), key=lambda kv: kv[1]["data_offsets"])
    end = 0
    arrays = []
    for name, info in order:
        begin, stop = info["data_offsets"]
        assert begin == end and info["dtype"] == "F32", name
        end = stop
        a = np.frombuffer(data[begin:stop], dtype="<f4").reshape(info["shape"])
        arrays.append((name, a))
    assert end == len(data), "the data is covered exactly"
    show("safetensors", arrays)
    try:
        from safetensors.numpy import load_file
    except ImportError:
        pass
    else:
        loaded = load_file(sys.argv[2])
        assert sorted(loaded) == sorted(header)
        assert all(np.array_equal(loaded[k], a) for k, a in arrays)
        print("same")
    """#

  @Test(
    "np.load reads the .npz of digits.net, and the .safetensors reads by the spec",
    .enabled(
      if: CodeCommandTests.hasNumPy, "python3 with numpy is not available (scripts/setup.sh)"))
  func numpyReadsWeights() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-weights-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let net = Binary.root.appendingPathComponent("nets/digits.net").path
    let network = try NetFile.load(path: net).spec.initialized(input: [1, 1, 8, 8], seed: 3)
    let npz = dir.appendingPathComponent("digits.npz").path
    let safetensors = dir.appendingPathComponent("digits.safetensors").path
    try NetworkWeights.save(network, to: npz)
    try NetworkWeights.save(network, to: safetensors)
    let script = dir.appendingPathComponent("read.py")
    try Data(Self.script.utf8).write(to: script)
    let r = try Binary.execute(
      "/usr/bin/env", ["python3", script.path, npz, safetensors], timeout: 120)
    try #require(r.status == 0, "\(r.stderr)")
    var expected: [String] = []
    for kind in ["npz", "safetensors"] {
      for (name, t) in NetworkWeights.named(network) {
        let values = t.data.map { String(format: "%.9g", Double($0)) }.joined(separator: " ")
        let shape = t.shape.map(String.init).joined(separator: " ")
        expected.append("\(kind) \(name) \(shape) : \(values)")
      }
    }
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(Array(lines.prefix(expected.count)) == expected)
    #expect(lines.count == expected.count || lines.dropFirst(expected.count) == ["same"])
  }
}
