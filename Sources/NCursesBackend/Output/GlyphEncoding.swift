import CNCurses

// MARK: - GlyphEncoding

/// Turns a cell's `Character` into the NUL-terminated wide characters `setcchar` takes, never
/// letting a glyph break the grid: one column per cell, whatever the buffer holds.
enum GlyphEncoding {
  /// What replaces a glyph the locale cannot draw in one column (wide, unencodable, lone
  /// combining mark).
  static let replacement: wchar_t = 0x3F  // "?"

  /// Writes `glyph` into `out` (capacity `out.count`, at least 2) as a spacing character, then
  /// as many of its combining characters as fit, then a NUL.
  ///
  /// - ASCII controls become a blank; printable ASCII is kept.
  /// - Other characters are kept when `width` (the locale's `wcwidth`) says their first scalar
  ///   takes exactly one column (so `█` survives in a UTF-8 locale, and turns into `?` under
  ///   `LANG=C`, where ncurses would silently draw a blank); later scalars are kept only when
  ///   they take no column.
  static func encode(
    _ glyph: Character, into out: inout [wchar_t], width: (wchar_t) -> Int32 = { cnc_wcwidth($0) }
  ) {
    guard out.count >= 2 else { return }
    var scalars = glyph.unicodeScalars.makeIterator()
    guard let first = scalars.next() else {
      out[0] = 0x20
      out[1] = 0
      return
    }
    let head = wchar_t(bitPattern: first.value)
    if first.isASCII {
      if first.value < 0x20 || first.value == 0x7F {
        out[0] = 0x20
        out[1] = 0
        return
      }
    } else if width(head) != 1 {
      out[0] = replacement
      out[1] = 0
      return
    }
    out[0] = head
    var n = 1
    while n < out.count - 1, let next = scalars.next() {
      let w = wchar_t(bitPattern: next.value)
      if width(w) == 0 {
        out[n] = w
        n += 1
      }
    }
    out[n] = 0
  }
}
