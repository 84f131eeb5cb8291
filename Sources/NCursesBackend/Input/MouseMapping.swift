import CNCurses
import TermUI

// MARK: - MouseMapping

/// Maps ncurses mouse states (`MEVENT.bstate`) to `MouseEvent.Kind`s.
enum MouseMapping {
  /// The buttons ncurses numbers 1–3, in that order.
  private static let buttons: [(number: Int32, button: MouseEvent.Button)] = [
    (1, .left), (2, .middle), (3, .right),
  ]

  /// The events the backend asks ncurses for: press, release and click of buttons 1–3, the
  /// wheel (buttons 4 and 5 pressed), and motion (with this, ncurses asks xterm-like terminals
  /// for every motion: mode 1003).
  static var wantedMask: mmask_t {
    var mask = cnc_button_pressed(4) | cnc_button_pressed(5) | cnc_report_mouse_position()
    for (n, _) in buttons {
      mask |= cnc_button_pressed(n) | cnc_button_released(n) | cnc_button_clicked(n)
    }
    return mask
  }

  /// The kind of a mouse state, or `nil` when it holds nothing convscope uses. Motion is a drag
  /// of `held` (the button pressed and not yet released: ncurses reports motion alone, with no
  /// button, whether one is held or not), and nothing when no button is held.
  static func kind(bstate: mmask_t, held: MouseEvent.Button? = nil) -> MouseEvent.Kind? {
    if bstate & cnc_report_mouse_position() != 0 {
      return held.map { .drag($0) }
    }
    if bstate & cnc_button_pressed(4) != 0 { return .wheelUp }
    if bstate & cnc_button_pressed(5) != 0 { return .wheelDown }
    for (n, button) in buttons {
      if bstate & cnc_button_pressed(n) != 0 { return .press(button) }
      if bstate & cnc_button_released(n) != 0 { return .release(button) }
      if bstate & cnc_button_clicked(n) != 0 { return .click(button) }
    }
    return nil
  }
}
