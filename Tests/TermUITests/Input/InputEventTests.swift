import TermUI
import Testing

// MARK: - Mouse and event descriptions

@Suite("InputEvent")
struct InputEventTests {
  @Test("mouse events name their button")
  func mouseButton() {
    #expect(MouseEvent(column: 1, row: 2, kind: .press(.left)).button == .left)
    #expect(MouseEvent(column: 1, row: 2, kind: .click(.right)).button == .right)
    #expect(MouseEvent(column: 1, row: 2, kind: .wheelUp).button == nil)
  }

  @Test("events describe themselves")
  func descriptions() {
    #expect(InputEvent.key(.ctrl("c")).description == "key Ctrl-C")
    #expect(
      InputEvent.mouse(MouseEvent(column: 3, row: 4, kind: .press(.left))).description
        == "mouse left press at 3,4")
    #expect(
      InputEvent.mouse(MouseEvent(column: 0, row: 0, kind: .wheelDown)).description
        == "mouse wheel down at 0,0")
    #expect(InputEvent.resize(width: 80, height: 24).description == "resize 80x24")
    #expect(InputEvent.interrupted(signal: 15).description == "interrupted by signal 15")
  }
}
