// swift-tools-version: 6.0
// convscope: a terminal tool that teaches and debugs the convolution layer of a CNN.
//
// Data flows one way (docs/architecture.md is the map; Tests/ArchitectureTests checks it):
//   ConvKernels (the fast path on raw buffers) → ConvCore (tensors, math; checked)
//   → ConvStepper (scenario, timeline) → ConvApp (Model/update/view, the loop over a Terminal)
//   → TermUI (cells, widgets) ← NCursesBackend (the only code that imports the C library).
// NumberText is the one number formatter, under everything that prints. ConvFormats reads and
// writes bytes (npy, png, pgm/ppm, csv/text grids, case JSON, JSON output); ConvLessons
// assembles what a walk starts from (the Scenario ConvStepper walks) out of lessons, presets,
// the built-in pictures and files; ConvDebug names the bugs in a user's convolution, given their
// tensors (it reads no files). The executable only wires these together.

import PackageDescription

// ConvKernels, the fast path's loops on raw buffers, is the only target built with -Ounchecked:
// ConvCore and everything above it keep their preconditions, bounds and overflow checks. No
// target has a compile-time CPU floor (no -march): the AVX2 and AVX-512 kernels are C functions
// with per-function target attributes (CConvKernels), chosen at run time, and the portable
// Swift kernels run on any processor. See docs/performance.md.

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

    /// Tensors, convolution / pooling / ReLU math, SGD, gradient check; a checked build. No
    /// lesson concepts. Its fast path hands raw buffers to ConvKernels.
    .target(name: "ConvCore", dependencies: ["ConvKernels"]),
    /// The fast path: register-tiled forward and backward passes on raw buffers and a
    /// `ConvShape` (no tensors), portable / AVX2 / AVX-512 kernel sets chosen at run time.
    .target(
      name: "ConvKernels",
      dependencies: ["CConvKernels"],
      swiftSettings: [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]
    ),
    /// ConvKernels' AVX2 and AVX-512 kernels in C (per-function target attributes; called only
    /// when the processor has them). Optimised in debug builds too, so the tests run them at speed.
    .target(name: "CConvKernels", cSettings: [.unsafeFlags(["-O2"])]),
    /// The one number formatter (cells, labels, formulas, reports). No dependencies.
    .target(name: "NumberText"),
    /// What a walk is given (`Scenario`, its `Phase`s) and the window-by-window timeline of a
    /// layer's forward, backward and update passes.
    .target(name: "ConvStepper", dependencies: ["ConvCore", "NumberText"]),
    /// Byte formats, read and written: NumPy .npy, PNG, PGM/PPM, CSV and text grids, conv-vector
    /// case JSON; tensors in the roles of input, kernel, bias and gradient.
    .target(name: "ConvFormats", dependencies: ["ConvCore", "CPNGShim"]),
    /// Lessons, presets, the built-in pictures and scenarios, and the assembly of a `Scenario`
    /// from them (or from files). The lessons, pictures and networks are `lessons/`, `assets/`
    /// and `nets/`, embedded as resources (`Resources/` holds symlinks to them).
    .target(
      name: "ConvLessons", dependencies: ["ConvCore", "ConvFormats", "ConvStepper"],
      resources: [
        .embedInCode("Resources/lessons"), .embedInCode("Resources/digits"),
        .embedInCode("Resources/photos"), .embedInCode("Resources/nets"),
      ]),
    /// The data a network trains on: the built-in digits (`assets/datasets/`, embedded as a
    /// resource; `Resources/` holds a symlink to it), a folder of images (PyTorch's
    /// ImageFolder) or an `.npz`, each as a train/test split of labelled images.
    .target(
      name: "ConvData", dependencies: ["ConvCore", "ConvFormats"],
      resources: [.embedInCode("Resources/datasets")]),
    /// The whole libpng decode in C (Debian's libpng-dev, installed by scripts/setup.sh): libpng
    /// reports errors with longjmp, which must not cross Swift frames, so Swift only sees a
    /// return code and an error string. Also zlib's raw inflate and CRC-32 for the members of
    /// .npz archives (zlib1g-dev, which libpng-dev needs anyway).
    .target(name: "CPNGShim", linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("z")]),
    /// Diagnosis of a user's convolution: comparisons and the common bugs that explain them.
    .target(name: "ConvDebug", dependencies: ["ConvCore", "ConvStepper", "NumberText"]),
    /// Runs a program to its end with posix_spawn, poll and waitpid (the bench, the CLI tests).
    .target(name: "ChildProcess", dependencies: ["CSpawnShim"]),
    /// pipe2 and posix_spawn's closefrom action, which Swift's Glibc module does not show.
    .target(name: "CSpawnShim"),
    /// Pure terminal UI: cells, buffers, rects, widgets, shading, exporters, the Terminal
    /// protocol. No terminal I/O.
    .target(name: "TermUI", dependencies: ["NumberText"]),
    /// The Elm-style application: Model, Msg, update, view, and the runtime loop over a Terminal.
    .target(
      name: "ConvApp",
      dependencies: [
        "ConvCore", "ConvStepper", "ConvFormats", "ConvLessons", "ConvDebug", "TermUI",
        "NumberText",
      ]
    ),
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
        "ConvCore", "ConvKernels", "ConvStepper", "ConvFormats", "ConvLessons", "ConvDebug",
        "ConvData", "TermUI", "ConvApp", "NCursesBackend", "ChildProcess", "NumberText",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // MARK: - Tests

    .testTarget(name: "ConvCoreTests", dependencies: ["ConvCore", "ConvFormats"]),
    .testTarget(name: "ConvKernelsTests", dependencies: ["ConvKernels", "ConvCore"]),
    .testTarget(
      name: "ConvFormatsTests", dependencies: ["ConvFormats", "ConvCore", "TestSupport"]),
    .testTarget(
      name: "ConvLessonsTests",
      dependencies: ["ConvLessons", "ConvFormats", "ConvStepper", "ConvCore", "TestSupport"]),
    .testTarget(
      name: "ConvStepperTests",
      dependencies: ["ConvStepper", "ConvCore", "ConvFormats", "ConvLessons"]),
    .testTarget(
      name: "ConvDebugTests",
      dependencies: [
        "ConvDebug", "ConvCore", "ConvFormats", "ConvLessons", "ConvStepper", "NumberText",
        "TestSupport",
      ]),
    .testTarget(name: "NumberTextTests", dependencies: ["NumberText"]),
    .testTarget(
      name: "ConvDataTests", dependencies: ["ConvData", "ConvFormats", "ConvCore", "TestSupport"]),
    /// Snapshot assertions, fixture readers and the fake terminal shared by the test targets.
    .target(
      name: "TestSupport", dependencies: ["TermUI", "ConvFormats"], path: "Tests/TestSupport"),
    .testTarget(
      name: "TermUITests", dependencies: ["TermUI", "TestSupport"], exclude: ["Snapshots"]),
    .testTarget(
      name: "NCursesBackendTests", dependencies: ["NCursesBackend", "TermUI", "CNCurses"]),
    .testTarget(
      name: "ConvAppTests",
      dependencies: [
        "ConvApp", "TermUI", "ConvCore", "ConvStepper", "ConvFormats", "ConvLessons", "ConvDebug",
        "TestSupport",
      ],
      exclude: ["Snapshots"]),
    .testTarget(name: "ChildProcessTests", dependencies: ["ChildProcess"]),
    /// docs/architecture.md checked against the code: imports, flags, no generated data.
    .testTarget(name: "ArchitectureTests"),
    .testTarget(
      name: "CLITests",
      dependencies: [
        "ConvCore", "ConvStepper", "ConvFormats", "ConvLessons", "ConvApp", "TermUI", "TestSupport",
        "ChildProcess",
      ]),
  ]
)
