import ConvCore
import ConvFormats
import Foundation

// MARK: - TrainRecord

/// What `convscope train --json` prints: every epoch's figures, the final test figures, and the
/// run's settings (so that a record says how to reproduce it).
struct TrainRecord: Encodable, Equatable {
  /// One epoch's figures.
  struct Epoch: Encodable, Equatable {
    /// The epoch, from 1.
    var epoch: Int
    /// The mean loss of the epoch's steps (each taken before its update).
    var trainLoss: Double
    /// The fraction of training images the steps classified right, 0…1.
    var trainAccuracy: Double
    /// The test set's loss after the epoch.
    var testLoss: Double
    /// The fraction of test images classified right after the epoch, 0…1.
    var testAccuracy: Double
    /// Seconds the epoch's training steps took (the test evaluation not counted).
    var seconds: Double
  }

  /// The test figures at the end of the run.
  struct Final: Encodable, Equatable {
    /// The fraction of test images classified right, 0…1.
    var testAccuracy: Double
    /// The mean cross-entropy loss on the test images.
    var testLoss: Double
  }

  var epochs: [Epoch]
  var final: Final
  /// The network (`digits.net (built in)` or the file's path).
  var net: String
  /// The data (`digits`, a folder, a file) and how it was split.
  var data: String
  var split: String
  var trainImages: Int
  var testImages: Int
  var parameters: Int
  var seed: UInt64
  var batch: Int
  var lr: Double
  var momentum: Double
  var weightDecay: Double
  var threads: Int
  /// The weights' file read before training, if any.
  var loaded: String?
  /// Where the trained weights were written, if anywhere.
  var saved: String?
}

// MARK: - Lines

/// The text `convscope train` prints: its plan, a line per epoch and the result.
enum TrainText {
  /// `epoch  3/10  train loss 0.2134 acc 93.8%  test loss 0.1802 acc 95.3%  0.05 s` (78
  /// columns for up to 999 epochs, so it fits a terminal of 80).
  static func epochLine(_ e: TrainRecord.Epoch, of epochs: Int) -> String {
    let width = String(epochs).count
    let number =
      String(repeating: " ", count: max(0, width - String(e.epoch).count))
      + "\(e.epoch)"
    return "epoch \(number)/\(epochs)  train loss \(fixed(e.trainLoss, 4)) acc "
      + "\(percent(e.trainAccuracy))  test loss \(fixed(e.testLoss, 4)) acc "
      + "\(percent(e.testAccuracy))  \(fixed(e.seconds, 2)) s"
  }

  /// `text` broken at spaces into lines of at most `width` columns, the ones after the first
  /// indented by `indent` spaces (a word longer than a line stays whole).
  static func wrapped(_ text: String, width: Int = 80, indent: Int = 9) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
      let prefix = lines.isEmpty ? "" : String(repeating: " ", count: indent)
      if !line.isEmpty, (prefix + line).count + 1 + word.count > width {
        lines.append(prefix + line)
        line = String(word)
      } else {
        line = line.isEmpty ? String(word) : line + " " + word
      }
    }
    lines.append((lines.isEmpty ? "" : String(repeating: " ", count: indent)) + line)
    return lines
  }

  /// `93.8%` (one decimal).
  static func percent(_ fraction: Double) -> String { fixed(100 * fraction, 1) + "%" }

  /// `value` with `digits` decimals (`nan` and `inf` spelled out).
  static func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    return String(format: "%.\(digits)f", value)
  }

  /// `41.2k` for a rate.
  static func rate(_ perSecond: Double) -> String {
    guard perSecond.isFinite, perSecond >= 0 else { return "–" }
    if perSecond >= 1e6 { return fixed(perSecond / 1e6, 1) + "M" }
    if perSecond >= 1e4 { return fixed(perSecond / 1e3, 1) + "k" }
    return fixed(perSecond, 0)
  }

  /// `0:07`, `1:02:03` for a duration in seconds.
  static func clock(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "–" }
    let s = Int(seconds.rounded(.up))
    let (h, m, r) = (s / 3600, s / 60 % 60, s % 60)
    let mm = h > 0 && m < 10 ? "0\(m)" : "\(m)"
    return (h > 0 ? "\(h):" : "") + mm + ":" + (r < 10 ? "0\(r)" : "\(r)")
  }
}

// MARK: - TrainProgress

/// The progress bar of `convscope train` on standard error (a terminal only): epoch, a bar of
/// the epoch's batches, the running loss and accuracy, images a second and the time left.
/// Redrawn at most ten times a second; cleared by ``finish()`` and by Ctrl-C.
struct TrainProgress {
  private var line: ProgressLine

  /// A progress bar, drawn only when `enabled` (standard error is a terminal).
  init(enabled: Bool = isatty(2) == 1) {
    line = ProgressLine("train", total: 1, enabled: enabled)
  }

  /// The bar's text for a terminal `width` columns wide.
  static func line(
    epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double, accuracy: Double,
    imagesPerSecond: Double, secondsLeft: Double, width: Int
  ) -> String {
    let head = "epoch \(epoch)/\(epochs) "
    let tail =
      " \(batch)/\(batches)  loss \(TrainText.fixed(loss, 4))  acc "
      + "\(TrainText.percent(accuracy))  \(TrainText.rate(imagesPerSecond)) img/s  ETA "
      + TrainText.clock(secondsLeft)
    // Three columns to spare: the terminal echoes Ctrl-C as `^C` after the bar, and a bar that
    // wrapped then could not be cleared by one `\r`.
    let room = width - 3 - head.count - tail.count - 2
    guard room >= 4 else { return String((head + tail).prefix(max(0, width - 3))) }
    let cells = min(room, 30)
    let filled = batches > 0 ? cells * batch / batches : 0
    return head + "[" + String(repeating: "█", count: filled)
      + String(repeating: "░", count: cells - filled) + "]" + tail
  }

  /// Draws `text` over the last bar (at most ten times a second unless `always`).
  mutating func show(_ text: @autoclosure () -> String, always: Bool = false) {
    line.show(always: always, text)
  }

  /// Clears the bar.
  mutating func finish() { line.finish() }

  /// The terminal's width in columns (80 when it cannot be told).
  static var terminalWidth: Int {
    var size = winsize()
    guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
  }
}

extension TrainText {
  /// The lines before the first epoch: what is trained on what (`data`: the data's one-line
  /// summary, `notes`: what its loading changed), and how.
  static func plan(_ r: TrainRecord, epochs: Int, data: String, notes: [String]) -> String {
    let from = r.loaded.map { ", from \($0)" } ?? ""
    let lines =
      [
        "network  \(r.net), \(r.parameters) weights and biases\(from)",
        "data     \(data)",
        "split    \(r.split)",
      ] + notes.map { "note     \($0)" } + [
        "training \(epochs) epoch\(epochs == 1 ? "" : "s"), batches of \(r.batch), seed \(r.seed);"
          + " SGD lr \(r.lr), momentum \(r.momentum), weight decay \(r.weightDecay)"
      ]
    return lines.flatMap { wrapped($0) }.joined(separator: "\n") + "\n"
  }

  /// The lines after the last epoch: the test figures and where the weights went.
  static func summary(_ r: TrainRecord) -> String {
    var text =
      "test accuracy \(percent(r.final.testAccuracy)), test loss \(fixed(r.final.testLoss, 4))"
      + " (\(r.testImages) image\(r.testImages == 1 ? "" : "s"))\n"
    if let saved = r.saved { text += "weights written to \(saved)\n" }
    return text
  }
}
