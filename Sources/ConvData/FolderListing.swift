import ConvFormats
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - FolderListing

/// The entries of a folder, read with `readdir` and counted against a budget so that a folder
/// of millions of files is refused before its names are all held; hidden entries (names that
/// start with `.`) are skipped. Names are sorted by their UTF-8 bytes (Python's `sorted` on
/// the names, as torchvision sorts classes and files).
struct FolderListing {
  /// One entry: its name, its path, whether it is a folder (through symbolic links) and its size.
  struct Entry {
    var name: String
    var path: String
    var isFolder: Bool
    var size: Int

    /// The lower-cased extension without the dot (`png`), or "".
    var fileExtension: String {
      guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
      return name[name.index(after: dot)...].lowercased()
    }
  }

  /// The most entries read across every folder of one data set, and the most bytes of images.
  var entryLimit: Int
  var byteLimit: Int
  /// What was read so far.
  private(set) var entries = 0
  private(set) var bytes = 0
  /// The folder the count is about (the data set's root), for messages.
  let root: String

  init(root: String, entryLimit: Int, byteLimit: Int) {
    self.root = root
    self.entryLimit = entryLimit
    self.byteLimit = byteLimit
  }

  /// `folder/name` without a doubled `/`.
  static func join(_ folder: String, _ name: String) -> String {
    folder.hasSuffix("/") ? folder + name : folder + "/" + name
  }

  /// The visible entries of `folder`, sorted by name.
  mutating func list(_ folder: String) throws -> [Entry] {
    guard let dir = opendir(folder) else {
      throw InputError(
        source: folder, "cannot read the folder (\(String(cString: strerror(errno))))")
    }
    defer { closedir(dir) }
    var found: [Entry] = []
    while let item = readdir(dir) {
      let name = withUnsafePointer(to: &item.pointee.d_name) {
        String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
      }
      guard !name.hasPrefix(".") else { continue }
      entries += 1
      guard entries <= entryLimit else {
        throw InputError(
          source: root,
          "more than \(entryLimit) files and folders, over the limit for a data set; refused "
            + "before reading the images")
      }
      let path = Self.join(folder, name)
      var info = stat()
      let ok = stat(path, &info) == 0
      found.append(
        Entry(
          name: name, path: path, isFolder: ok && info.st_mode & S_IFMT == S_IFDIR,
          size: ok ? Int(info.st_size) : 0))
    }
    return found.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
  }

  /// Counts `entry`'s bytes against the limit (an image about to be read).
  mutating func reserve(_ entry: Entry) throws {
    bytes += entry.size
    guard bytes <= byteLimit else {
      throw InputError(
        source: root,
        "images of more than \(FileReading.sizeText(byteLimit)) in all, over the limit for a "
          + "data set; refused before reading them")
    }
  }
}
