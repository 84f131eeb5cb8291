import ConvDebug
import ConvStepper
import TermUI

// MARK: - Work

/// Slow work that `update` hands to the runtime instead of doing it itself, so the screen never
/// freezes: the runtime calls ``perform()`` on a background thread and delivers its result as
/// ``Msg/finished(_:)``.
///
/// Each request carries the model's generation at the time it was made; `update` drops a result
/// whose generation is no longer the one it waits for (the user asked again, closed it, or
/// changed the layer meanwhile). Equality is by kind and generation, so tests can compare effects.
///
/// While work runs, the status bar says "computing …" and every key works on what is shown:
/// `D` again says the check is still running (Esc cancels it); a change to the layer (an edit,
/// `R`, `r`, a preset) while a big layer is being recomputed starts from the layer shown and
/// supersedes the running request.
public struct Work: Sendable, Hashable {
  /// What is being computed.
  public let kind: WorkKind
  /// The request's generation (see ``Model/work``).
  public let generation: Int
  let job: @Sendable () -> WorkResult.Payload

  init(_ kind: WorkKind, generation: Int, job: @escaping @Sendable () -> WorkResult.Payload) {
    self.kind = kind
    self.generation = generation
    self.job = job
  }

  /// Does the work (slow; call it off the loop) and returns the message that carries the result.
  public func perform() -> Msg {
    .finished(WorkResult(kind: kind, generation: generation, payload: job()))
  }

  /// Same kind and generation.
  public static func == (a: Work, b: Work) -> Bool {
    a.kind == b.kind && a.generation == b.generation
  }

  /// Hashes the kind and the generation.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(kind)
    hasher.combine(generation)
  }
}

/// The kinds of slow work.
public enum WorkKind: String, Sendable, Hashable {
  /// The finite-difference gradient check (`D`).
  case gradientCheck = "gradient check"
  /// Recomputing a big layer after a change (an edit, a preset, randomise, reset).
  case layer = "layer"
}

/// The result of a ``Work``, as it comes back to `update`. Equality is by kind and generation.
public struct WorkResult: Sendable, Hashable {
  /// What was computed.
  public let kind: WorkKind
  /// The generation of the request.
  public let generation: Int
  let payload: Payload

  /// What the work produced.
  enum Payload: Sendable {
    /// The gradient check, or why it failed.
    case gradientCheck(Result<GradcheckResult, WorkFailure>)
    /// The recomputed layer, or why it failed; then where its data came from, the notes (if
    /// new) and the message to show.
    case layer(
      Result<LayerTrace, WorkFailure>, origin: DataOrigin, notes: [String]?, message: Message)
  }

  /// Same kind and generation.
  public static func == (a: WorkResult, b: WorkResult) -> Bool {
    a.kind == b.kind && a.generation == b.generation
  }

  /// Hashes the kind and the generation.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(kind)
    hasher.combine(generation)
  }
}

/// Why slow work failed, in words for the screen.
struct WorkFailure: Error, Sendable {
  let text: String
}
