#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - SafeFile

/// Writes files so that a failed write never damages what was there: the bytes go to a new
/// temporary file in the target's folder, are flushed to disk (`fsync`), and only then take the
/// target's name (`rename`, atomic). A full disk leaves the old file whole; a symbolic link
/// planted at the target is replaced, never followed, so the file it points to is untouched and
/// no dangling link's target is created.
public enum SafeFile {
  /// Writes `bytes` to `path` atomically; errors are one ``InputError`` line naming the path and
  /// the system's reason (`No space left on device`).
  public static func write(_ bytes: [UInt8], to path: String) throws(InputError) {
    let (folder, name) = split(path)
    guard !name.isEmpty, name != ".", name != ".." else {
      throw InputError(source: path, "cannot write: not a file name")
    }
    var info = stat()
    let exists = lstat(path, &info) == 0
    if exists, (info.st_mode & S_IFMT) == S_IFDIR {
      throw InputError(source: path, "cannot write: it is a folder")
    }
    // A device, a pipe or a socket (/dev/null, /dev/full, a FIFO) and a link under /dev or
    // /proc (/dev/stdout leads to /proc/self/fd/1) are written into, never replaced: a rename
    // there would put a regular file in place of the device or the link. (A regular file, even
    // in /dev/shm, is replaced atomically as anywhere else.)
    let systemLink =
      (info.st_mode & S_IFMT) == S_IFLNK && (path.hasPrefix("/dev/") || path.hasPrefix("/proc/"))
    if exists && (isSpecial(info.st_mode) || systemLink) {
      try writeThrough(bytes, to: path)
      return
    }
    let temporary = "\(folder)/.\(name).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o666)
    guard fd >= 0 else { throw failure(path, errno) }
    if let code = writeAll(fd, bytes) ?? (fsync(fd) == 0 ? nil : errno) {
      close(fd)
      unlink(temporary)
      throw failure(path, code)
    }
    if close(fd) != 0 {
      let code = errno
      unlink(temporary)
      throw failure(path, code)
    }
    guard rename(temporary, path) == 0 else {
      let code = errno
      unlink(temporary)
      throw failure(path, code)
    }
  }

  /// Whether a file of `mode` is a character or block device, a FIFO or a socket.
  static func isSpecial(_ mode: mode_t) -> Bool {
    let kind = mode & S_IFMT
    return kind == S_IFCHR || kind == S_IFBLK || kind == S_IFIFO || kind == S_IFSOCK
  }

  /// Writes `bytes` into the existing special file at `path` (nothing is created).
  static func writeThrough(_ bytes: [UInt8], to path: String) throws(InputError) {
    let fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else { throw failure(path, errno) }
    if let code = writeAll(fd, bytes) {
      close(fd)
      throw failure(path, code)
    }
    if close(fd) != 0 { throw failure(path, errno) }
  }

  /// Writes `text` as UTF-8 to `path` atomically (see ``write(_:to:)-([UInt8],_)``).
  public static func write(_ text: String, to path: String) throws(InputError) {
    try write(Array(text.utf8), to: path)
  }

  /// Writes every byte to `fd`, retrying interrupted and short writes; the `errno` of a failure.
  public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { raw in
        Glibc.write(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset)
      }
      if n < 0 {
        if errno == EINTR { continue }
        return errno
      }
      offset += n
    }
    return nil
  }

  /// The system's words for `code`: `No space left on device`.
  public static func reason(_ code: Int32) -> String {
    String(cString: strerror(code))
  }

  static func failure(_ path: String, _ code: Int32) -> InputError {
    InputError(source: path, "cannot write (\(reason(code)))")
  }

  /// The folder (`.` when none) and the last component of `path`.
  static func split(_ path: String) -> (folder: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    let folder = String(path[..<slash])
    return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
  }
}
