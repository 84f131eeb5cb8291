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
    try checkRegularFile(path)
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
      throw InputError(source: path, "cannot read (\(SafeFile.reason(errno)))")
    }
  }

  /// Throws unless `path` names a regular file (through symbolic links): a missing path, a loop
  /// of symbolic links, a folder, or a device, pipe or socket (`/dev/zero`, a FIFO, `/dev/stdin`,
  /// which would never end or block) each get a sentence of their own.
  public static func checkRegularFile(_ path: String) throws(InputError) {
    var info = stat()
    guard stat(path, &info) == 0 else {
      switch errno {
      case ENOENT, ENOTDIR: throw InputError(source: path, "no such file")
      case ELOOP: throw InputError(source: path, "a loop of symbolic links, not a file")
      case EACCES: throw InputError(source: path, "permission denied")
      default: throw InputError(source: path, "cannot read (\(SafeFile.reason(errno)))")
      }
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return
    case S_IFDIR: throw InputError(source: path, "is a directory, not a file")
    default:
      throw InputError(source: path, "not a regular file (a device, pipe or socket)")
    }
  }
}

extension FileReading {
  /// Whether something is at `path`, a symbolic link that leads nowhere included (reading it
  /// then says why it cannot be read).
  public static func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
  }
}

extension FileReading {
  /// The bytes of the file at `path`, refused from its size (`stat`) before reading when it is
  /// over `limit` bytes; `kind` names the file in that message ("case file", "text grid").
  public static func contents(of path: String, limit: Int, kind: String) throws -> Data {
    try checkRegularFile(path)
    var info = stat()
    if stat(path, &info) == 0, Int(info.st_size) > limit {
      throw InputError(
        source: path,
        "\(kind) of \(info.st_size) bytes, over the \(sizeText(limit)) limit for a \(kind); "
          + "refused before reading")
    }
    return try contents(of: path)
  }

  /// A size in bytes for messages: `64 MiB` when it is a whole number of MiB, else `N bytes`.
  public static func sizeText(_ bytes: Int) -> String {
    bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
  }
}
