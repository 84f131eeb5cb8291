// MARK: - Rect geometry

extension Rect {
  /// A rectangle of at most `width` × `height` centred in this one (rounded up-left).
  public func centered(width w: Int, height h: Int) -> Rect {
    let cw = min(max(0, w), width)
    let ch = min(max(0, h), height)
    return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
  }

  /// The rectangle shrunk by the given amounts on each side (never negative).
  public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
    Rect(x: x + left, y: y + top, width: width - left - right, height: height - top - bottom)
  }

  /// The top `n` rows (clamped to the height).
  public func top(_ n: Int) -> Rect { Rect(x: x, y: y, width: width, height: min(height, n)) }

  /// The bottom `n` rows (clamped to the height).
  public func bottom(_ n: Int) -> Rect {
    let h = min(height, max(0, n))
    return Rect(x: x, y: maxY - h, width: width, height: h)
  }

  /// The left `n` columns (clamped to the width).
  public func left(_ n: Int) -> Rect { Rect(x: x, y: y, width: min(width, n), height: height) }

  /// The right `n` columns (clamped to the width).
  public func right(_ n: Int) -> Rect {
    let w = min(width, max(0, n))
    return Rect(x: maxX - w, y: y, width: w, height: height)
  }
}
