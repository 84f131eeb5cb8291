// MARK: - Snapshot text

extension Attributes: CustomStringConvertible {
  /// The attribute names joined with `+` (`bold+underline`), or `none`.
  public var description: String {
    var names: [String] = []
    if contains(.bold) { names.append("bold") }
    if contains(.dim) { names.append("dim") }
    if contains(.underline) { names.append("underline") }
    if contains(.reverse) { names.append("reverse") }
    if contains(.italic) { names.append("italic") }
    return names.isEmpty ? "none" : names.joined(separator: "+")
  }
}

extension Style: CustomStringConvertible {
  /// The parts that differ from the default, e.g. `fg=#ff0000 bg=idx(236) bold`, or `plain`.
  public var description: String {
    var parts: [String] = []
    if fg != .default { parts.append("fg=\(fg)") }
    if bg != .default { parts.append("bg=\(bg)") }
    if !attributes.isEmpty { parts.append(attributes.description) }
    return parts.isEmpty ? "plain" : parts.joined(separator: " ")
  }
}

extension CellBuffer {
  /// A text picture of the buffer for snapshot tests: the size, the rows framed by `|` with
  /// row numbers, then the styles.
  ///
  /// Styles are shown as a second framed grid where each cell is a key letter (`.` for the
  /// plain style) followed by the legend of keys (`A: fg=#b2182b bg=default bold`). With more
  /// than 62 distinct styles the grid is replaced by a list of style runs per row.
  public func snapshotText() -> String {
    var out = "\(width)x\(height)\n"
    let numberWidth = String(max(0, height - 1)).count
    func label(_ y: Int) -> String {
      let s = String(y)
      return String(repeating: " ", count: numberWidth - s.count) + s
    }
    let rule =
      String(repeating: " ", count: numberWidth) + " +"
      + String(repeating: "-", count: width) + "+\n"
    out += rule
    for y in 0..<height { out += label(y) + " |" + line(y) + "|\n" }
    out += rule

    // Distinct non-plain styles in order of first appearance.
    var keys: [Style: Character] = [:]
    var order: [Style] = []
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    for cell in cells where cell.style != .plain && keys[cell.style] == nil {
      if order.count < alphabet.count { keys[cell.style] = alphabet[order.count] }
      order.append(cell.style)
    }
    if order.isEmpty {
      out += "styles: plain\n"
      return out
    }
    if order.count <= 62 {
      out += "styles:\n" + rule
      for y in 0..<height {
        var row = ""
        for x in 0..<width {
          let s = cells[y * width + x].style
          row.append(s == .plain ? "." : (keys[s] ?? "?"))
        }
        out += label(y) + " |" + row + "|\n"
      }
      out += rule
      for s in order { out += "\(keys[s] ?? "?"): \(s)\n" }
    } else {
      out += "styles (\(order.count) distinct, as runs x+length):\n"
      for y in 0..<height {
        let runs = styleRuns(row: y).filter { $0.style != .plain }
        guard !runs.isEmpty else { continue }
        out +=
          label(y) + ": " + runs.map { "\($0.x)+\($0.length) \($0.style)" }.joined(separator: "; ")
          + "\n"
      }
    }
    return out
  }
}
