import ConvCore
import TermUI

// MARK: - NetCanvas

/// A picture drawn by hand on the net screen (`d`), the size of the network's input: the
/// network classifies it after every stroke, and the columns show its feature maps.
///
/// A pen moves over the pixels with the arrows. Space puts the pen down (painting the pixel
/// under it and every pixel it then moves onto) or lifts it; `x` rubs out the pixel under it. A
/// painted pixel takes the full ink of the data (its brightest value) and its four neighbours
/// at least ``edgeInk`` of it, so a stroke has the soft edge the scanned digits have.
public struct NetCanvas: Sendable, Equatable {
  /// The channels of a pixel (every channel is painted alike: grey, or grey as RGB).
  public let channels: Int
  /// The rows of the picture.
  public let height: Int
  /// The columns of the picture.
  public let width: Int
  /// The brightest value a pixel takes (the test images' largest, 1 for the digits).
  public let ink: Float
  /// The pixels `[C, H, W]`, row by row; 0 is blank.
  public internal(set) var pixels: [Float]
  /// The pen's row.
  public internal(set) var row: Int
  /// The pen's column.
  public internal(set) var column: Int
  /// Whether the pen is down (moving it paints).
  public internal(set) var penDown = false

  /// The share of the ink a painted pixel's neighbours get at least.
  public static let edgeInk: Float = 0.4

  /// A blank canvas for inputs shaped `[1, C, H, W]`, painting with `ink`; nil for an input
  /// that is not a picture (rank other than 4, or empty).
  public init?(inputShape shape: [Int], ink: Float) {
    guard shape.count == 4, shape[1] > 0, shape[2] > 0, shape[3] > 0 else { return nil }
    channels = shape[1]
    height = shape[2]
    width = shape[3]
    self.ink = ink.isFinite && ink > 0 ? ink : 1
    pixels = [Float](repeating: 0, count: shape[1] * shape[2] * shape[3])
    row = shape[2] / 2
    column = shape[3] / 2
  }

  /// The picture as a batch of one, `[1, C, H, W]`.
  public var tensor: Tensor {
    (try? Tensor(shape: [1, channels, height, width], data: pixels))
      ?? Tensor(shape: [1, channels, height, width])
  }

  /// The value of pixel (`r`, `c`) in channel 0 (all channels are alike).
  public func value(_ r: Int, _ c: Int) -> Float { pixels[r * width + c] }

  /// Whether nothing is painted.
  public var isBlank: Bool { pixels.allSatisfy { $0 == 0 } }

  // MARK: Drawing

  /// Moves the pen by (`dr`, `dc`), stopping at the edges; paints where it lands when it is
  /// down.
  mutating func move(_ dr: Int, _ dc: Int) {
    row = min(max(row + dr, 0), height - 1)
    column = min(max(column + dc, 0), width - 1)
    if penDown { paint(row, column) }
  }

  /// Puts the pen at (`r`, `c`) (clamped to the picture).
  mutating func place(_ r: Int, _ c: Int) {
    row = min(max(r, 0), height - 1)
    column = min(max(c, 0), width - 1)
  }

  /// Puts the pen down (painting under it) or lifts it.
  mutating func togglePen() {
    penDown.toggle()
    if penDown { paint(row, column) }
  }

  /// Paints pixel (`r`, `c`) with the full ink and raises its four neighbours to the edge ink.
  mutating func paint(_ r: Int, _ c: Int) {
    set(r, c, ink)
    for (dr, dc) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
      let (nr, nc) = (r + dr, c + dc)
      guard nr >= 0, nr < height, nc >= 0, nc < width else { continue }
      set(nr, nc, max(value(nr, nc), ink * Self.edgeInk))
    }
  }

  /// Rubs out pixel (`r`, `c`) and lifts the pen.
  mutating func erase(_ r: Int, _ c: Int) {
    penDown = false
    set(r, c, 0)
  }

  /// Rubs out everything and lifts the pen.
  mutating func clear() {
    penDown = false
    pixels = [Float](repeating: 0, count: pixels.count)
  }

  /// Copies `image` (`[1, C, H, W]`, this canvas's shape) to start from; other shapes are
  /// ignored.
  mutating func copy(_ image: Tensor) {
    guard image.shape == [1, channels, height, width] else { return }
    pixels = image.data
  }

  private mutating func set(_ r: Int, _ c: Int, _ v: Float) {
    for ch in 0..<channels { pixels[(ch * height + r) * width + c] = v }
  }
}
