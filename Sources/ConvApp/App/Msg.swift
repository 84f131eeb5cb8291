import TermUI

// MARK: - Msg

/// Everything that can happen to the app: the terminal's events, the ticks of playback and what
/// came of the effects the runtime ran.
public enum Msg: Sendable, Hashable {
  /// A key press.
  case key(Key)
  /// A mouse action.
  case mouse(MouseEvent)
  /// The terminal's new size.
  case resize(width: Int, height: Int)
  /// What the terminal can show (sent by the runtime once it has started the terminal).
  case capabilities(Capabilities)
  /// A playback tick (only while ticks run, see ``Effect/startTicks(milliseconds:)``):
  /// `periods` tick intervals have passed since the last one (more than one when drawing took
  /// longer than an interval; playback catches up instead of slowing down).
  case tick(periods: Int)
  /// What came of an effect (a file written, or why not), shown as a message.
  case notice(Message)
  /// The recording reached its limits (``SessionRecorder/Limits``): it is saved as if `X` had
  /// been pressed.
  case recordingFull
  /// The program is about to end without `q` (Ctrl-C, SIGTERM, a hang-up): what must not be
  /// lost is saved (a recording in progress). The runtime then exits.
  case ending
  /// Slow work (``Effect/run(_:)``) finished; dropped when the model has moved on since it was
  /// asked for (a newer request, or another layer).
  case finished(WorkResult)
}

// MARK: - Effect

/// What `update` asks the runtime to do. Effects are values, so tests can check them.
public enum Effect: Sendable, Hashable {
  /// Deliver ``Msg/tick`` every `milliseconds` until stopped (replaces a running timer).
  case startTicks(milliseconds: Int)
  /// Stop delivering ticks.
  case stopTicks
  /// Restore the terminal and exit with status 0.
  case quit
  /// Write `contents` to `path` (creating or replacing it); the runtime answers with
  /// ``Msg/notice(_:)`` saying whether `what` was written.
  case writeFile(path: String, contents: String, what: String)
  /// Write a program (`script`, e.g. `convscope_layer.py`) and the data files it loads, in a
  /// new folder beside it named after it (`convscope_layer_data`). The runtime picks the first
  /// name free for both (`convscope_layer-2.py` with `convscope_layer-2_data`), so an earlier
  /// export is never overwritten; answered with ``Msg/notice(_:)``.
  case writeCode(script: String, source: String, data: [DataFile], what: String)
  /// Start recording every drawn frame (see ``SessionRecorder``).
  case startRecording
  /// Stop recording and write the `.cast` file to `path` (`full`: because it reached its
  /// limits); answered with ``Msg/notice(_:)``.
  case stopRecording(path: String, full: Bool = false)
  /// Do slow work off the loop (see ``Work``); its result comes back as ``Msg/finished(_:)``.
  /// Input keeps being handled meanwhile.
  case run(Work)
}

// MARK: - DataFile

/// A binary file for ``Effect/writeCode(script:source:data:what:)``: its name in the data folder
/// and its bytes.
public struct DataFile: Sendable, Hashable {
  /// The file's name (no folder).
  public var name: String
  /// Its contents.
  public var bytes: [UInt8]

  /// A data file.
  public init(name: String, bytes: [UInt8]) {
    self.name = name
    self.bytes = bytes
  }
}
