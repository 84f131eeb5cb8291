import TermUI

// MARK: - NetDashboard

/// The net screen's training view and training speed: `v` switches between the overview and
/// the training view (curves, the first layer's kernels, the confusion matrix, test images and
/// their predictions), `+` (or `=`) and `-` choose how many steps a second Space trains.
public struct NetDashboard: Sendable, Equatable {
  /// The speeds `+`/`-` step through, in steps a second; nil: as fast as it can.
  public static let speeds: [Int?] = [1, 2, 5, 10, 25, 100, nil]

  /// Whether the training view is shown (else the overview).
  public internal(set) var showsTraining = false
  /// The speed chosen, an index into ``speeds`` (the last, no limit, at first).
  public internal(set) var speedIndex = NetDashboard.speeds.count - 1

  /// A dashboard showing the overview, training as fast as it can.
  public init() {}

  /// The limit on Space's training, in steps a second (nil: none).
  public var stepsPerSecond: Int? {
    Self.speeds[min(max(speedIndex, 0), Self.speeds.count - 1)]
  }

  /// `10 steps/s`, `1 step/s`, or `max speed`.
  public var speedText: String {
    guard let rate = stepsPerSecond else { return "max speed" }
    return rate == 1 ? "1 step/s" : "\(rate) steps/s"
  }

  /// `10/s` or `max speed`, for a tight status line.
  public var shortSpeedText: String { stepsPerSecond.map { "\($0)/s" } ?? "max speed" }
}

// MARK: - Keys

extension NetModel {
  /// `v` switches views; `+`/`=` and `-` choose the next faster or slower speed (when the screen
  /// trains), ask the trainer for it and say so in a notice.
  mutating func dashboardKey(_ key: Key) {
    switch key {
    case .character("v"):
      dashboard.showsTraining.toggle()
    case .character("+"), .character("="), .character("-"):
      guard trainable else { return }
      let faster = key != .character("-")
      let index = dashboard.speedIndex + (faster ? 1 : -1)
      dashboard.speedIndex = min(max(index, 0), NetDashboard.speeds.count - 1)
      requests.append(.limit(stepsPerSecond: dashboard.stepsPerSecond))
      let edge =
        index != dashboard.speedIndex ? (faster ? " (the fastest)" : " (the slowest)") : ""
      notice = "speed: \(dashboard.speedText)\(edge) · Space trains at it · + faster  - slower"
    default:
      break
    }
  }
}
