import ConvCore
import ConvFormats
import ConvLessons
import Foundation

// MARK: - BenchPhoto

/// The bench's 1024×1024 RGB photograph: the built-in 256×256 one (`photo:large`) enlarged
/// four times with bilinear interpolation, written as a binary PPM.
enum BenchPhoto {
  /// Writes the photograph to `path`; returns `path`.
  static func write1024(to path: String) throws -> String {
    var options = LoadOptions()
    options.maxSize = 0
    let loaded = try InputPresets.make("photo:large", options: options)
    let x = loaded.tensor
    let (h, w) = (x.shape[2], x.shape[3])
    let side = 1024
    var bytes = Array("P6\n\(side) \(side)\n255\n".utf8)
    bytes.reserveCapacity(bytes.count + side * side * 3)
    for r in 0..<side {
      let fy = max(0, min(Double(h - 1), (Double(r) + 0.5) * Double(h) / Double(side) - 0.5))
      let y0 = Int(fy)
      let y1 = min(h - 1, y0 + 1)
      let ty = Float(fy - Double(y0))
      for c in 0..<side {
        let fx = max(0, min(Double(w - 1), (Double(c) + 0.5) * Double(w) / Double(side) - 0.5))
        let x0 = Int(fx)
        let x1 = min(w - 1, x0 + 1)
        let tx = Float(fx - Double(x0))
        for ch in 0..<3 {
          let plane = ch * h * w
          func v(_ yy: Int, _ xx: Int) -> Float { x.data[plane + yy * w + xx] }
          let top = v(y0, x0) * (1 - tx) + v(y0, x1) * tx
          let bottom = v(y1, x0) * (1 - tx) + v(y1, x1) * tx
          let value = (top * (1 - ty) + bottom * ty) * 255
          bytes.append(UInt8(max(0, min(255, value.rounded()))))
        }
      }
    }
    try SafeFile.write(bytes, to: path)
    return path
  }
}
