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
      let data = try Data(contentsOf: URL(fileURLWithPath: path))
      AllocationProbe.current?.recordRead(data.count)
      return data
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

// MARK: - FileBytes

/// The bytes of a file, mapped into memory rather than read: nothing is copied, and only the
/// pages a reader touches are loaded, so a format check costs the first bytes and a reader
/// reads what its header says. Also wraps bytes already in memory (tests, archive members).
///
/// The file must not shrink while it is mapped (reading past a truncation is a bus error);
/// convscope reads its inputs once and promptly.
package final class FileBytes: @unchecked Sendable {
  // Immutable after init: safe to share.
  /// The bytes, valid as long as this object lives.
  package let raw: UnsafeRawBufferPointer
  private let owner: Owner

  private enum Owner {
    /// `raw` is a mapping to unmap.
    case mapped
    /// `raw` was allocated here.
    case allocated
    /// `raw` lies inside another buffer, kept alive.
    case inside(FileBytes)
  }

  /// A copy of `bytes`.
  package convenience init(_ bytes: [UInt8]) {
    self.init(uninitialized: bytes.count)
    bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(mutating: raw).copyMemory(from: $0) }
  }

  /// `count` bytes written by `fill` (which may throw: nothing leaks).
  package convenience init(
    count: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void
  ) throws {
    self.init(uninitialized: count)
    try fill(UnsafeMutableRawBufferPointer(mutating: raw))
  }

  private init(uninitialized count: Int) {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, count), alignment: 16)
    raw = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
    owner = .allocated
  }

  /// The bytes `slice` of `parent` (which must lie inside it), read in place.
  package init(slice: UnsafeRawBufferPointer, of parent: FileBytes) {
    raw = slice
    owner = .inside(parent)
  }

  private init(mapping base: UnsafeRawPointer, count: Int) {
    raw = UnsafeRawBufferPointer(start: base, count: count)
    owner = .mapped
  }

  deinit {
    switch owner {
    case .mapped:
      if let base = raw.baseAddress, raw.count > 0 {
        munmap(UnsafeMutableRawPointer(mutating: base), raw.count)
      }
    case .allocated:
      if let base = raw.baseAddress { base.deallocate() }
    case .inside: break
    }
  }

  /// The number of bytes.
  package var count: Int { raw.count }

  /// The byte at `i` (which must be in `0..<count`).
  package subscript(i: Int) -> UInt8 { raw[i] }

  /// Up to `count` bytes from `start` as an array (a small copy, for headers and messages).
  package func prefix(_ count: Int, from start: Int = 0) -> [UInt8] {
    let lo = min(max(0, start), raw.count)
    let hi = lo + min(max(0, count), raw.count - lo)
    return Array(raw[lo..<hi])
  }

  /// Whether the bytes start with `magic`.
  package func starts(with magic: [UInt8]) -> Bool {
    raw.count >= magic.count && magic.indices.allSatisfy { raw[$0] == magic[$0] }
  }

  /// Maps the regular file at `path` (checked as ``FileReading/contents(of:)`` checks it);
  /// an empty file is an empty buffer.
  package static func map(_ path: String) throws -> FileBytes {
    try FileReading.checkRegularFile(path)
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      if errno == EACCES { throw InputError(source: path, "permission denied") }
      throw InputError(source: path, "cannot read (\(SafeFile.reason(errno)))")
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      throw InputError(source: path, "cannot read (\(SafeFile.reason(errno)))")
    }
    let size = Int(info.st_size)
    guard size <= FileReading.maxFileSize else {
      throw InputError(
        source: path,
        "file of \(size) bytes is larger than the \(FileReading.maxFileSize)-byte limit")
    }
    guard size > 0 else { return FileBytes([]) }
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
      base != UnsafeMutableRawPointer(bitPattern: -1)
    else {
      throw InputError(source: path, "cannot read (\(SafeFile.reason(errno)))")
    }
    return FileBytes(mapping: UnsafeRawPointer(base), count: size)
  }
}

extension FileReading {
  /// The bytes of the file at `path`, refused from its size (`stat`) before reading when it is
  /// over `limit` bytes; `kind` names the file in that message ("case file", "text grid").
  public static func contents(of path: String, limit: Int, kind: String) throws -> Data {
    try requireSize(of: path, atMost: limit, kind: kind)
    return try contents(of: path)
  }

  /// Refuses the file at `path` (a regular file) from its size (`stat`) when it is over `limit`
  /// bytes, before anything is read; `kind` names it in the message.
  public static func requireSize(of path: String, atMost limit: Int, kind: String) throws {
    try checkRegularFile(path)
    var info = stat()
    if stat(path, &info) == 0, Int(info.st_size) > limit {
      throw InputError(
        source: path,
        "\(kind) of \(info.st_size) bytes, over the \(sizeText(limit)) limit for a \(kind); "
          + "refused before reading")
    }
  }

  /// A size in bytes for messages: `64 MiB` when it is a whole number of MiB, else `N bytes`.
  public static func sizeText(_ bytes: Int) -> String {
    bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
  }
}
