import Foundation
import Testing

// MARK: - The house rules, checked

/// The structure `docs/architecture.md` describes, checked against the code: which target may
/// import which, where unchecked optimisation and CPU flags may appear, and that no generated
/// data hides in `Sources/`. A new target fails here until it is added to ``allowedImports``
/// and to the architecture page, so the map and the house cannot drift apart.
@Suite("Architecture")
struct ArchitectureTests {
  /// The package root, from this file's path (Tests/ArchitectureTests/…).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// Modules of the toolchain any target may import.
  static let system: Set<String> = [
    "Foundation", "Dispatch", "Synchronization", "Glibc", "Darwin", "Musl",
  ]

  /// For each target (a folder of `Sources/`), the project modules it may import.
  static let allowedImports: [String: Set<String>] = [
    "CConvKernels": [],
    "CNCurses": [],
    "CNCursesGuard": [],
    "CPNGShim": [],
    "CSpawnShim": [],
    "ChildProcess": ["CSpawnShim"],
    "NumberText": [],
    "ConvKernels": ["CConvKernels"],
    "ConvCore": ["ConvKernels"],
    "ConvStepper": ["ConvCore", "NumberText"],
    "ConvFormats": ["ConvCore", "CPNGShim"],
    "ConvLessons": ["ConvCore", "ConvFormats", "ConvStepper"],
    "ConvData": ["ConvCore", "ConvFormats"],
    "ConvDebug": ["ConvCore", "ConvStepper", "NumberText"],
    "TermUI": ["NumberText"],
    "ConvApp": [
      "ConvCore", "ConvStepper", "ConvFormats", "ConvLessons", "ConvDebug", "TermUI", "NumberText",
    ],
    "NCursesBackend": ["TermUI", "CNCurses", "CNCursesGuard"],
    "convscope": [
      "ArgumentParser", "ChildProcess", "ConvApp", "ConvCore", "ConvData", "ConvDebug",
      "ConvFormats", "ConvKernels", "ConvLessons", "ConvStepper", "NCursesBackend", "NumberText",
      "TermUI",
    ],
  ]

  /// Every `import X` in a folder's Swift files (the module names).
  static func imports(under folder: URL) throws -> Set<String> {
    var found: Set<String> = []
    let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
    while let url = files?.nextObject() as? URL {
      guard url.pathExtension == "swift" else { continue }
      for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
        let words = line.split(separator: " ")
        guard let i = words.firstIndex(of: "import"), i + 1 < words.count,
          words[..<i].allSatisfy({ $0.hasPrefix("@") || $0 == "public" || $0 == "internal" })
        else { continue }
        found.insert(String(words[i + 1]))
      }
    }
    return found
  }

  static func targetFolders() throws -> [String] {
    try FileManager.default.contentsOfDirectory(
      atPath: root.appendingPathComponent("Sources").path
    ).filter { !$0.hasPrefix(".") }.sorted()
  }

  @Test("every target is in the table, and the table names no missing target")
  func tableCoversTargets() throws {
    #expect(try Self.targetFolders() == Self.allowedImports.keys.sorted())
  }

  @Test("each target imports only what the architecture allows", arguments: try targetFolders())
  func importsAllowed(target: String) throws {
    let used = try Self.imports(under: Self.root.appendingPathComponent("Sources/\(target)"))
    let allowed = (Self.allowedImports[target] ?? []).union(Self.system)
    #expect(
      used.subtracting(allowed).isEmpty, "\(target) imports \(used.subtracting(allowed).sorted())")
  }

  @Test("docs/architecture.md names every target")
  func pageNamesTargets() throws {
    let page = try String(
      contentsOf: Self.root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
    for target in try Self.targetFolders() {
      #expect(page.contains("`\(target)`"), "docs/architecture.md does not mention `\(target)`")
    }
  }

  @Test("only the kernels targets have unchecked optimisation or CPU flags")
  func uncheckedOnlyInKernels() throws {
    let manifest = try String(
      contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
    var target = ""
    var cpuFloors: [String] = []
    for line in manifest.split(separator: "\n") {
      let code = line.trimmingCharacters(in: .whitespaces)
      guard !code.hasPrefix("//") else { continue }  // the comments explain the flags
      if let range = line.range(of: "name: \"") {
        target = String(line[range.upperBound...].prefix { $0 != "\"" })
      }
      if code.contains("-march") { cpuFloors.append(code) }
      if code.contains("-Ounchecked") || code.contains("-mavx") || code.contains("-march") {
        #expect(
          ["ConvKernels", "CConvKernels"].contains(target),
          "Package.swift: \(code) in target \(target)")
      }
    }
    #expect(cpuFloors.isEmpty, "no compile-time CPU floor: kernels are chosen at run time")
  }

  @Test("no generated data in Sources/: no line of 400 or more base64 characters")
  func noEmbeddedBlobs() throws {
    let base64 = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
    let files = FileManager.default.enumerator(
      at: Self.root.appendingPathComponent("Sources"), includingPropertiesForKeys: nil)
    var checked = 0
    while let url = files?.nextObject() as? URL {
      guard ["swift", "c", "h"].contains(url.pathExtension) else { continue }
      checked += 1
      for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
        var run = 0
        var longest = 0
        for ch in line {
          run = base64.contains(ch) ? run + 1 : 0
          longest = max(longest, run)
        }
        #expect(longest < 400, "\(url.lastPathComponent) holds a generated blob")
      }
    }
    #expect(checked > 100)
  }
}
