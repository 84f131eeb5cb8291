import ConvCore
import ConvStepper
import TermUI
import TestSupport
import Testing

@testable import ConvApp

// MARK: - Playback speeds

@Suite("Playback: speeds that scale with the phase")
struct PlaybackTests {
  @Test("the ladder doubles from 0.5/s; its top plays a phase within 4 s, never below 256/s")
  func ladder() {
    #expect(Playback.speeds.first == 0.5)
    for i in 1..<Playback.speeds.count { #expect(Playback.speeds[i] == 2 * Playback.speeds[i - 1]) }
    for steps in [1, 49, 16_384, 1_048_576, 16_777_216] {
      let top = Playback.speeds[Playback.topIndex(steps: steps)]
      #expect(top >= 256)
      #expect(Double(steps) / top <= Playback.wholePhaseSeconds)
      // And the rung below would not: the top is the first that does (or 256/s).
      if top > 256 { #expect(Double(steps) / (top / 2) > Playback.wholePhaseSeconds) }
    }
    #expect(Playback.label(0.5) == "0.5/s" && Playback.label(512) == "512/s")
    #expect(Playback.label(16_384) == "16k/s" && Playback.label(4_194_304) == "4.2M/s")
  }

  @Test("up to 60/s a tick is a step; faster, ticks come at the frame rate and carry many steps")
  func ticks() {
    #expect(Playback.milliseconds(4) == 250 && Playback.stepsPerPeriod(4) == 1)
    #expect(Playback.milliseconds(32) == 31 && Playback.stepsPerPeriod(32) == 1)
    #expect(Playback.milliseconds(1024) == 16)
    #expect(abs(Playback.stepsPerPeriod(1024) - 16.384) < 1e-9)
  }

  @Test("+ stops at the phase's top speed and says so; a tick moves speed × time, late ones more")
  func topAndTicks() throws {
    var m = try Model(scenario: .article(), capabilities: .plain, width: 120, height: 40)
    let steps = m.timeline.unitCount(m.granularity)
    for _ in 0..<40 { _ = update(&m, .key(.character("+"))) }
    #expect(m.speedIndex == Playback.topIndex(steps: steps))
    #expect(m.message?.text.contains(": the top for this phase, all of it in") == true)
    _ = update(&m, .key(.character(" ")))
    let start = stepNumber(m)
    _ = update(&m, .tick(periods: 1))
    let one = stepNumber(m) - start
    #expect(
      Double(one) <= Playback.stepsPerPeriod(m.speed)
        && Double(one) >= Playback.stepsPerPeriod(m.speed) - 1)
    _ = update(&m, .tick(periods: 3))
    let four = stepNumber(m) - start
    #expect(abs(Double(four) - 4 * Playback.stepsPerPeriod(m.speed)) < 1.001)
    // Played to the end, it stops there.
    for _ in 0..<400 where m.playing { _ = update(&m, .tick(periods: 1)) }
    #expect(!m.playing && stepNumber(m) == steps)
  }

  @Test("in the loop: 1024 steps/s for a second is about 1024 steps in about 60 frames")
  func loop() throws {
    // The article's 16 384 windows a phase; 4/s by default, eight + make it 1024/s.
    var script = (0..<8).map { at(10 + $0, "+") }
    script += [at(1000, "Space"), at(2000, "q")]
    let terminal = FakeTerminal(script: script)
    let model = try Model(scenario: .article(), capabilities: .plain, width: 120, height: 40)
    let (status, loop) = try runLoop(terminal, model: model)
    #expect(status == 0)
    #expect(loop.model.speed == 1024)
    let moved = stepNumber(loop.model) - 1
    #expect((1000...1040).contains(moved), "moved \(moved) steps")
    let frames = terminal.frames.filter { $0.time > Duration.milliseconds(1000) }.count
    #expect((55...64).contains(frames), "\(frames) frames")
  }
}
