// MARK: - MouseEvent

/// A mouse action at a screen cell (0-based `column` from the left, `row` from the top).
public struct MouseEvent: Sendable, Hashable {
  /// A mouse button.
  public enum Button: Sendable, Hashable, CaseIterable {
    /// The left (primary) button.
    case left
    /// The middle button (or wheel press).
    case middle
    /// The right (secondary) button.
    case right
  }

  /// What the mouse did.
  public enum Kind: Sendable, Hashable {
    /// A button went down.
    case press(Button)
    /// A button went up.
    case release(Button)
    /// A press and its release reported as one event (backends that resolve clicks).
    case click(Button)
    /// The mouse moved with a button held (a drag; terminals that report motion).
    case drag(Button)
    /// The wheel turned up (away from the user).
    case wheelUp
    /// The wheel turned down (towards the user).
    case wheelDown
  }

  /// Column of the cell, 0 at the left.
  public var column: Int
  /// Row of the cell, 0 at the top.
  public var row: Int
  /// What happened there.
  public var kind: Kind

  /// A mouse event at `(column, row)`.
  public init(column: Int, row: Int, kind: Kind) {
    self.column = column
    self.row = row
    self.kind = kind
  }

  /// The button involved, `nil` for the wheel.
  public var button: Button? {
    switch kind {
    case .press(let b), .release(let b), .click(let b), .drag(let b): return b
    case .wheelUp, .wheelDown: return nil
    }
  }
}

// MARK: - Description

extension MouseEvent.Button: CustomStringConvertible {
  /// `left`, `middle` or `right`.
  public var description: String {
    switch self {
    case .left: return "left"
    case .middle: return "middle"
    case .right: return "right"
    }
  }
}

extension MouseEvent.Kind: CustomStringConvertible {
  /// `left press`, `right click`, `wheel up`, …
  public var description: String {
    switch self {
    case .press(let b): return "\(b) press"
    case .release(let b): return "\(b) release"
    case .click(let b): return "\(b) click"
    case .drag(let b): return "\(b) drag"
    case .wheelUp: return "wheel up"
    case .wheelDown: return "wheel down"
    }
  }
}

extension MouseEvent: CustomStringConvertible {
  /// `left press at 12,3` (column, row).
  public var description: String { "\(kind) at \(column),\(row)" }
}
