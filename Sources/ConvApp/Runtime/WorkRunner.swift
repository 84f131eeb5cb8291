import Foundation
import Synchronization

// MARK: - WorkRunner

/// Runs the app's slow work (``Effect/run(_:)``) away from the loop and hands back the results
/// as messages. ``ThreadWorkRunner`` is the real one; the tests have one on a fake clock.
public protocol WorkRunner: AnyObject {
  /// Whether work is running or results wait to be collected.
  var isBusy: Bool { get }
  /// Starts `work`; returns at once.
  func start(_ work: Work)
  /// The results that arrived since the last call, oldest first.
  func results() -> [Msg]
}

// MARK: - ThreadWorkRunner

/// Runs each piece of work on a thread of its own. A stale request is not stopped: it runs to
/// its end and `update` drops its result.
public final class ThreadWorkRunner: WorkRunner, Sendable {
  private let state = Mutex<(running: Int, done: [Msg])>((0, []))

  /// A runner with nothing running.
  public init() {}

  /// Whether work is running or results wait to be collected.
  public var isBusy: Bool {
    state.withLock { $0.running > 0 || !$0.done.isEmpty }
  }

  /// Starts `work` on a new thread; returns at once.
  public func start(_ work: Work) {
    state.withLock { $0.running += 1 }
    Thread.detachNewThread {
      let message = work.perform()
      self.state.withLock {
        $0.running -= 1
        $0.done.append(message)
      }
    }
  }

  /// The results that arrived since the last call, oldest first.
  public func results() -> [Msg] {
    state.withLock {
      let done = $0.done
      $0.done = []
      return done
    }
  }
}
