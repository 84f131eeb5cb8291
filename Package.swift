// swift-tools-version: 6.0
// convscope: a terminal tool that teaches and debugs the convolution layer of a CNN.
//
// Data flows one way:
//   ConvCore (math) → ConvStepper (timeline) → ConvApp (Model/update/view) → TermUI (cells)
//   → NCursesBackend (the only code that imports the C library).
// ConvIO reads and writes files (tensors, images, lessons, test vectors); ConvDebug names the
// bugs in a user's convolution. The executable only wires these together.

import PackageDescription

// ConvCore's fast path is written with SIMD8<Float> and FMA (`addingProduct`). Without a CPU
// level that has FMA, Swift lowers every lane of it to a call to `fmaf` (measured: 1.1 GFLOP/s
// against 133 with AVX2+FMA), so release builds on x86-64 target x86-64-v3 (AVX2, FMA, BMI2;
// Haswell and later, every Zen). See docs/performance.md.
#if arch(x86_64)
  let convCoreCPUFlags = ["-Xcc", "-march=x86-64-v3"]
#else
  let convCoreCPUFlags: [String] = []
#endif

let package = Package(
  name: "convscope",
  products: [
    .executable(name: "convscope", targets: ["convscope"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    // MARK: - Libraries

    /// Tensors, convolution / pooling / ReLU math, SGD, gradient check. No dependencies.
    .target(
      name: "ConvCore",
      dependencies: ["CFastKernels"],
      swiftSettings: [
        .unsafeFlags(["-Ounchecked", "-wmo"] + convCoreCPUFlags, .when(configuration: .release))
      ]
    ),
    /// ConvCore's AVX-512 kernels in C (per-function target attributes; called only when the
    /// processor has AVX-512). Optimised in debug builds too, so the tests run them at speed.
    .target(name: "CFastKernels", cSettings: [.unsafeFlags(["-O2"])]),
    /// The window-by-window timeline of a layer's forward, backward and update passes.
    .target(name: "ConvStepper", dependencies: ["ConvCore"]),
    /// File formats: conv-vector cases, NumPy .npy, PNG, PGM/PPM, CSV, lessons.
    .target(name: "ConvIO", dependencies: ["ConvCore", "CPNGShim"]),
    /// The whole libpng decode in C (Debian's libpng-dev, installed by scripts/setup.sh): libpng
    /// reports errors with longjmp, which must not cross Swift frames, so Swift only sees a
    /// return code and an error string.
    .target(name: "CPNGShim", linkerSettings: [.linkedLibrary("png16")]),
    /// Diagnosis of a user's convolution: comparisons and the common bugs that explain them.
    .target(name: "ConvDebug", dependencies: ["ConvCore", "ConvIO", "ConvStepper"]),
    /// Runs a program to its end with posix_spawn, poll and waitpid (the bench, the CLI tests).
    .target(name: "ChildProcess", dependencies: ["CSpawnShim"]),
    /// pipe2 and posix_spawn's closefrom action, which Swift's Glibc module does not show.
    .target(name: "CSpawnShim"),
    /// Pure terminal UI: cells, buffers, rects, widgets, shading, exporters, the Terminal
    /// protocol. No terminal I/O.
    .target(name: "TermUI"),
    /// The Elm-style application: Model, Msg, update, view, and the runtime loop over a Terminal.
    .target(
      name: "ConvApp", dependencies: ["ConvCore", "ConvStepper", "ConvIO", "ConvDebug", "TermUI"]),
    /// The ncurses backend: the only target that imports the C module.
    // Debian's libncurses-dev; the shim defines NCURSES_WIDECHAR itself (see its header).
    .systemLibrary(name: "CNCurses"),
    // Keeps the terminal usable on signals, exit() and crashes; C so its state is one object.
    .target(name: "CNCursesGuard", linkerSettings: [.linkedLibrary("ncursesw")]),
    .target(name: "NCursesBackend", dependencies: ["TermUI", "CNCurses", "CNCursesGuard"]),

    // MARK: - Executable

    .executableTarget(
      name: "convscope",
      dependencies: [
        "ConvCore", "ConvStepper", "ConvIO", "ConvDebug", "TermUI", "ConvApp", "NCursesBackend",
        "ChildProcess", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // MARK: - Tests

    .testTarget(name: "ConvCoreTests", dependencies: ["ConvCore", "ConvIO"]),
    .testTarget(name: "ConvIOTests", dependencies: ["ConvIO", "ConvCore"]),
    .testTarget(name: "ConvStepperTests", dependencies: ["ConvStepper", "ConvCore", "ConvIO"]),
    .testTarget(
      name: "ConvDebugTests",
      dependencies: ["ConvDebug", "ConvCore", "ConvIO", "ConvStepper", "TestSupport"]),
    /// Snapshot assertions and the fake terminal shared by the test targets.
    .target(name: "TestSupport", dependencies: ["TermUI"], path: "Tests/TestSupport"),
    .testTarget(
      name: "TermUITests", dependencies: ["TermUI", "TestSupport"], exclude: ["Snapshots"]),
    .testTarget(
      name: "NCursesBackendTests", dependencies: ["NCursesBackend", "TermUI", "CNCurses"]),
    .testTarget(
      name: "ConvAppTests",
      dependencies: [
        "ConvApp", "TermUI", "ConvCore", "ConvStepper", "ConvIO", "ConvDebug", "TestSupport",
      ],
      exclude: ["Snapshots"]),
    .testTarget(name: "ChildProcessTests", dependencies: ["ChildProcess"]),
    .testTarget(
      name: "CLITests",
      dependencies: ["ConvCore", "ConvIO", "ConvApp", "TermUI", "TestSupport", "ChildProcess"]),
  ]
)
