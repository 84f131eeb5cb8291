import ConvCore
import ConvFormats

// MARK: - Digits

/// The built-in digits: the UCI ML hand-written digits as scikit-learn ships them
/// (`sklearn/datasets/data/digits.csv.gz`, embedded unchanged from `assets/datasets/`; source,
/// licence CC BY 4.0 and checksum in `assets/ATTRIBUTION.md`).
///
/// The file is 1797 lines of 65 integers: 64 pixels (8×8, row by row, 0…16) and the digit. The
/// images are `[1797, 1, 8, 8]`, each pixel divided by 16 (so 0…1), and the fixed split puts
/// every 5th image (index 4 mod 5, in the file's order) in the test set: 359 test, 1438 train.
enum Digits {
  /// The embedded file's name, for messages.
  static let source = "assets/datasets/digits.csv.gz"
  /// The number of images and the pixels of one.
  static let count = 1797
  static let pixels = 64
  /// The pixels' full scale.
  static let maxValue = 16

  /// The split, decoded once.
  static let split: Result<DataSplit, InputError> = {
    do {
      return .success(
        try Datasets.splitEveryFifth(all(), name: Datasets.builtinName, what: "the file"))
    } catch let error as InputError {
      return .failure(error)
    } catch {
      return .failure(InputError(source: source, "\(error)"))
    }
  }()

  /// Every image, in the file's order.
  static func all() throws -> LabelledImages {
    // The CSV is about 300 KB: the limit only guards against a damaged trailer.
    let text = try Gzip.decompress(PackageResources.digits_csv_gz, source: source, limit: 1 << 22)
    let (values, labels) = try parse(text)
    let x = try Tensor(shape: [count, 1, 8, 8], data: values, name: source)
    return LabelledImages(x: x, labels: labels, classes: Datasets.numberedClasses(10))
  }

  /// The pixels (scaled to 0…1) and the labels of the CSV `text`; throws unless it is exactly
  /// ``count`` lines of 64 integers in 0…16 and a digit 0…9.
  static func parse(_ text: [UInt8]) throws -> (values: [Float], labels: [Int]) {
    var values: [Float] = []
    values.reserveCapacity(count * pixels)
    var labels: [Int] = []
    var field: Int?
    var fields = 0
    func fail(_ message: String) -> InputError {
      InputError(source: source, "line \(labels.count + 1): \(message)")
    }
    for byte in text {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        let next = (field ?? 0) * 10 + Int(byte - UInt8(ascii: "0"))
        guard next <= maxValue else { throw fail("a value over \(maxValue)") }
        field = next
      case UInt8(ascii: ","), UInt8(ascii: "\n"):
        guard let value = field else { throw fail("an empty field") }
        field = nil
        fields += 1
        if byte == UInt8(ascii: ",") {
          guard fields <= pixels else { throw fail("more than \(pixels + 1) fields") }
          values.append(Float(value) / Float(maxValue))
        } else {
          guard fields == pixels + 1, value <= 9 else {
            throw fail("\(fields) fields ending in \(value); expected 64 pixels and a digit")
          }
          labels.append(value)
          fields = 0
        }
      default:
        throw fail("an unexpected byte \(byte)")
      }
    }
    guard field == nil, fields == 0, labels.count == count else {
      throw InputError(source: source, "\(labels.count) whole lines; expected \(count)")
    }
    return (values, labels)
  }
}
