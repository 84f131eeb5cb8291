import ConvCore
import ConvStepper
import NumberText
import TermUI

// MARK: - PictureView

/// The input of the forward pass shown as the picture it is (`p`), instead of one channel's
/// values in the signed palette.
///
/// Three channels are red, green and blue; one channel is grey; with a channel chosen (`c`)
/// that channel alone is drawn in its own colour (red, green or blue; grey beyond three). Values
/// map to 0–255 by the range the whole input lies in: images are read into [0, 1] (or [−1, 1]
/// with `--center`, see `ConvFormats`' `ImageConversion`), so `v` in [0, 1] gives `255·v`, `v` in
/// [−1, 1] gives `255·(v + 1)/2`, and any other input is stretched from its least to its
/// greatest value. A picture needs 256 colours or more (24-bit when the terminal has it, else
/// the nearest of xterm's 256); with fewer the per-channel view stays.
enum PictureView {
  /// How the input's values map to 0–255.
  enum Scale: Hashable, Sendable {
    /// Values in [0, 1]: `255·v` (how images are read).
    case unit
    /// Values in [−1, 1]: `255·(v + 1)/2` (images read with `--center`).
    case signed
    /// Anything else: from the least value `lo` (0) to the greatest `hi` (255).
    case stretched(lo: Float, hi: Float)

    /// The scale of `values` (finite ones; an input with none is `unit`).
    init(of values: [Float]) {
      var lo = Float.infinity
      var hi = -Float.infinity
      // A plain loop over a pointer: the view asks every frame, a photo has 200 000 values,
      // and a debug build runs an iterator four times slower. `v − v == 0` only when finite.
      values.withUnsafeBufferPointer { buffer in
        guard let p = buffer.baseAddress else { return }
        var i = 0
        while i < buffer.count {
          let v = p[i]
          if v - v == 0 {
            if v < lo { lo = v }
            if v > hi { hi = v }
          }
          i += 1
        }
      }
      if lo > hi || (lo >= 0 && hi <= 1) {
        self = .unit
      } else if lo >= -1 && hi <= 1 {
        self = .signed
      } else {
        self = .stretched(lo: lo, hi: hi)
      }
    }

    /// `v` as a channel level 0–255, nil for NaN and ±∞.
    func level(_ v: Float) -> UInt8? {
      guard v.isFinite else { return nil }
      let t: Float
      switch self {
      case .unit: t = v
      case .signed: t = (v + 1) / 2
      case .stretched(let lo, let hi): t = hi > lo ? (v - lo) / (hi - lo) : 0.5
      }
      return UInt8((min(1, max(0, t)) * 255).rounded())
    }

    /// The mapping in words, for the panel's note: `0…1 → 0…255`.
    func describe(ascii: Bool) -> String {
      let dash = ascii ? "..." : "…"
      let arrow = ascii ? "->" : "→"
      switch self {
      case .unit: return "0\(dash)1 \(arrow) 0\(dash)255"
      case .signed: return "\(ascii ? "-" : "−")1\(dash)1 \(arrow) 0\(dash)255"
      case .stretched(let lo, let hi):
        let f = { (v: Float) in NumberFormat.short(v, ascii: ascii) }
        return "\(f(lo))\(dash)\(f(hi)) \(arrow) 0\(dash)255"
      }
    }
  }

  /// What the picture shows.
  enum Content: Hashable {
    /// Channels 0, 1, 2 as red, green and blue.
    case rgb
    /// One channel in grey.
    case grey(channel: Int)
    /// One of three channels in its own colour (0 red, 1 green, 2 blue).
    case tinted(channel: Int)

    /// How the panel's title names it: `RGB`, `grey`, `red`…
    var name: String {
      switch self {
      case .rgb: return "RGB"
      case .grey: return "grey"
      case .tinted(let c): return ["red", "green", "blue"][min(2, max(0, c))]
      }
    }
  }

  /// Whether the input is shown as a picture: the user's choice (`p`), else on for a colour
  /// picture (three channels of values in [0, 1] or [−1, 1]); never below 256 colours.
  static func isOn(_ model: Model) -> Bool { scale(model) != nil }

  /// The mapping of the input's values to 0–255 when the input is shown as a picture (see
  /// ``isOn(_:)``), else nil. Scans the input once, and only when a picture may be on.
  static func scale(_ model: Model) -> Scale? {
    guard model.capabilities.color >= .ansi256, model.display.picture != false else {
      return nil
    }
    let x = model.scenario.input
    let automatic = model.display.picture == nil
    if automatic, x.shape.count != 4 || x.shape[1] != 3 { return nil }
    // Once per layer: the scan covers the whole input, and the view asks every frame.
    let scale = model.trace.memo("pictureScale") { Scale(of: x.data) }
    if automatic, case .stretched = scale { return nil }
    return scale
  }

  /// What the picture of the model's input shows: RGB for three channels (one tinted channel
  /// when one is chosen with `c`), grey otherwise (the shown channel).
  static func content(_ model: Model, shownChannel: Int) -> Content {
    let c = model.trace.geometry.config.inChannels
    if c == 3 { return model.channel.map { .tinted(channel: $0) } ?? .rgb }
    return .grey(channel: shownChannel)
  }

  /// The colours of sample `n` of `x` `[N, C, H, W]` at padded position `(r, c)` (padding `ph`,
  /// `pw`; nil on zero padding and for values that are not finite; a copying padding mode's
  /// cell has the colour of the cell it copies).
  static func pixels(
    _ x: Tensor, sample n: Int, content: Content, scale: Scale, padding ph: Int, _ pw: Int,
    mode: PaddingMode = .zeros
  ) -> (Int, Int) -> RGB? {
    let (channels, h, w) = (x.shape[1], x.shape[2], x.shape[3])
    let data = x.data
    let plane = h * w
    let base = n * channels * plane
    return { r, c in
      guard let row = mode.source(r - ph, length: h), let col = mode.source(c - pw, length: w)
      else { return nil }
      let i = base + row * w + col
      switch content {
      case .rgb:
        guard let red = scale.level(data[i]), let green = scale.level(data[i + plane]),
          let blue = scale.level(data[i + 2 * plane])
        else { return nil }
        return RGB(red, green, blue)
      case .grey(let k):
        guard let v = scale.level(data[i + k * plane]) else { return nil }
        return RGB(v, v, v)
      case .tinted(let k):
        guard let v = scale.level(data[i + k * plane]) else { return nil }
        return RGB(k == 0 ? v : 0, k == 1 ? v : 0, k == 2 ? v : 0)
      }
    }
  }

  /// Turns the forward pass's input panel into the picture (when ``isOn(_:)``): colours, the
  /// title naming what it shows, the mapping in the note.
  static func apply(to panel: inout GridPanel, _ model: Model, sample n: Int, channel: Int) {
    guard let scale = scale(model) else { return }
    let x = model.scenario.input
    let cfg = model.trace.geometry.config
    let content = content(model, shownChannel: channel)
    panel.grid.pixels = pixels(
      x, sample: n, content: content, scale: scale, padding: cfg.padding.h, cfg.padding.w,
      mode: cfg.paddingMode)
    let index: String
    switch content {
    case .rgb: index = ValueFormat.index("x", n, nil, nil, nil)
    case .grey(let c), .tinted(let c): index = ValueFormat.index("x", n, c, nil, nil)
    }
    panel.title = "Input \(index) " + content.name
    panel.note += " · " + scale.describe(ascii: !model.capabilities.unicode)
  }

  /// The notes panel's line about the picture, when it is on.
  static func factLine(_ model: Model) -> String? {
    guard model.phase == .forward, let scale = scale(model) else { return nil }
    let content = content(model, shownChannel: 0)
    let what: String
    switch content {
    case .rgb: what = "channels 0, 1, 2 as red, green and blue"
    case .grey: what = "the channel in grey"
    case .tinted(let c): what = "channel \(c) alone, in \(content.name)"
    }
    return "Picture: the input drawn as an image (\(what)), each value mapped "
      + scale.describe(ascii: !model.capabilities.unicode)
      + "; p shows the values of one channel."
  }
}
