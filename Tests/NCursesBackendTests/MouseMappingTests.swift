import CNCurses
import TermUI
import Testing

@testable import NCursesBackend

// MARK: - Mouse mapping from MEVENT.bstate

@Suite("MouseMapping")
struct MouseMappingTests {
  @Test("buttons 1-3 map to left, middle, right; 4 and 5 to the wheel")
  func kinds() {
    #expect(MouseMapping.kind(bstate: cnc_button_pressed(1)) == .press(.left))
    #expect(MouseMapping.kind(bstate: cnc_button_released(1)) == .release(.left))
    #expect(MouseMapping.kind(bstate: cnc_button_clicked(1)) == .click(.left))
    #expect(MouseMapping.kind(bstate: cnc_button_pressed(2)) == .press(.middle))
    #expect(MouseMapping.kind(bstate: cnc_button_released(3)) == .release(.right))
    #expect(MouseMapping.kind(bstate: cnc_button_clicked(3)) == .click(.right))
    #expect(MouseMapping.kind(bstate: cnc_button_pressed(4)) == .wheelUp)
    #expect(MouseMapping.kind(bstate: cnc_button_pressed(5)) == .wheelDown)
  }

  @Test("motion is a drag of the button held, and nothing when none is")
  func motion() {
    let moved = cnc_report_mouse_position()
    #expect(MouseMapping.kind(bstate: moved, held: .left) == .drag(.left))
    #expect(MouseMapping.kind(bstate: moved, held: .right) == .drag(.right))
    #expect(MouseMapping.kind(bstate: moved) == nil, "the pointer passing over")
    #expect(MouseMapping.wantedMask & moved != 0)
    #expect(MouseEvent.Kind.drag(.left).description == "left drag")
    #expect(MouseEvent(column: 1, row: 2, kind: .drag(.right)).button == .right)
  }

  @Test("states without a wanted event give nil")
  func nothing() {
    #expect(MouseMapping.kind(bstate: 0) == nil)
    #expect(MouseMapping.kind(bstate: cnc_button_released(4)) == nil)
  }

  @Test("the mask asks for every event the mapping knows")
  func mask() {
    let mask = MouseMapping.wantedMask
    for n: Int32 in 1...3 {
      #expect(mask & cnc_button_pressed(n) != 0)
      #expect(mask & cnc_button_released(n) != 0)
      #expect(mask & cnc_button_clicked(n) != 0)
    }
    #expect(mask & cnc_button_pressed(4) != 0)
    #expect(mask & cnc_button_pressed(5) != 0)
  }
}
