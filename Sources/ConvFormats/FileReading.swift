import Foundation

// MARK: - FileReading

/// Reads whole files with errors that name the path and say what is wrong in one line.
public enum FileReading {
  /// The largest file convscope reads (1 GiB); larger files are refused before reading.
  public static let maxFileSize = 1 << 30

  /// The bytes of the file at `path`.
  ///
  /// Throws an ``InputError`` for a missing path, a directory, an unreadable file or one larger
  /// than ``maxFileSize``.
  public static func contents(of path: String) throws -> Data {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw InputError(source: path, "no such file")
    }
    if isDirectory.boolValue {
      throw InputError(source: path, "is a directory, not a file")
    }
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw InputError(source: path, "permission denied")
    }
    if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
      size.intValue > maxFileSize
    {
      throw InputError(
        source: path, "file of \(size.intValue) bytes is larger than the \(maxFileSize)-byte limit")
    }
    do {
      return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw InputError(source: path, "cannot read (\(error.localizedDescription))")
    }
  }
}

extension FileReading {
  /// Whether something exists at `path`.
  public static func exists(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: path)
  }
}
