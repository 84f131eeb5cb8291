import ConvCore
import Testing

// MARK: - WorkBudget

@Suite("WorkBudget: the work a request implies, estimated before any is done")
struct WorkBudgetTests {
  /// The article's layer: batch 10, one channel 32×32, 16 filters 5×5, padding 2.
  static let article = Conv2DConfig(
    inChannels: 1, filters: 16, kernel: Size2(5), stride: Size2(1), padding: Size2(2))

  @Test("products and sums say nil instead of overflowing or taking a negative size")
  func arithmetic() {
    #expect(WorkBudget.product([2, 3, 4]) == 24)
    #expect(WorkBudget.product([1 << 40, 1 << 40]) == nil)
    #expect(WorkBudget.product([3, -1]) == nil)
    #expect(WorkBudget.sum([1, 2, 3]) == 6)
    #expect(WorkBudget.sum([Int.max, 1]) == nil)
    #expect(WorkBudget.sum([1, nil]) == nil)
  }

  @Test("a layer too large to walk is refused from its shapes, naming the tensor and the flags")
  func walkable() throws {
    let many = Conv2DConfig(inChannels: 1, filters: 1_000_000, kernel: Size2(16))
    #expect(
      throws: ConvError.tooMuchWork(
        flag: "the weights", value: "(1000000, 1, 16, 16)", implies: "256000000 values",
        limit: "16777216", hint: "reduce --filters, --channels or --kernel-size")
    ) {
      try WorkBudget.requireWalkable(input: [1, 1, 16, 16], config: many)
    }
    #expect(throws: ConvError.self) {
      try WorkBudget.requireWalkable(input: [1, 1, 1 << 40, 1 << 40])
    }
    try WorkBudget.requireWalkable(input: [10, 1, 32, 32], config: Self.article)
  }

  @Test("the pooling's comparisons count: a 2048×2048 window over a 4094×4094 map is refused")
  func pooling() throws {
    let config = Conv2DConfig(inChannels: 1, filters: 1, kernel: Size2(3))
    let error = #expect(throws: ConvError.self) {
      try WorkBudget.requireWalkable(
        input: [1, 1, 4096, 4096], config: config,
        pool: MaxPool2DConfig(kernel: Size2(2048), stride: Size2(1)))
    }
    #expect(error?.description.contains("multiply–adds a pass") == true)
    #expect(error?.description.contains("or the --pool kernel") == true)
  }

  @Test("a gradient check's multiply–adds, counted by hand for the article's layer")
  func gradientCheckEstimate() throws {
    let g = try ConvGeometry(config: Self.article, inputShape: [10, 1, 32, 32])
    // dx: 10240 cells × 16·5·5 outputs reached × 2·25; dw: 400 cells × 10·32·32 outputs × 2·25;
    // db: 16 cells × 10·32·32 × 2·25.
    let all = 10240 * 400 * 50 + 400 * 10240 * 50 + 16 * 10240 * 50
    #expect(WorkBudget.gradientCheckMACs(geometry: g, cellsPerTensor: nil) == all)
    #expect(
      WorkBudget.gradientCheckMACs(geometry: g, cellsPerTensor: 10)
        == 10 * 400 * 50 + 10 * 10240 * 50 + 10 * 10240 * 50)
    try WorkBudget.requireGradientCheck(geometry: g, cellsPerTensor: nil, flag: "--cells")
  }

  @Test("every cell of a large layer is refused with the most cells that fit")
  func gradientCheckRefused() throws {
    let config = Conv2DConfig(inChannels: 1, filters: 16, kernel: Size2(5))
    let g = try ConvGeometry(config: config, inputShape: [1, 1, 256, 256])
    let most = WorkBudget.gradientCheckCells(geometry: g)
    #expect(most > 0)
    let fits = try #require(WorkBudget.gradientCheckMACs(geometry: g, cellsPerTensor: most))
    let over = try #require(WorkBudget.gradientCheckMACs(geometry: g, cellsPerTensor: most + 1))
    #expect(fits <= WorkBudget.maxGradientCheckMACs && over > WorkBudget.maxGradientCheckMACs)
    let error = #expect(throws: ConvError.self) {
      try WorkBudget.requireGradientCheck(geometry: g, cellsPerTensor: nil, flag: "--cells")
    }
    #expect(error?.description.hasPrefix("--cells 0 (every cell) implies ") == true)
    #expect(error?.description.hasSuffix("give --cells from 1 to \(most) for this layer") == true)
  }

  @Test("an export's cells and bytes: the hint gives the steps that fit")
  func export() {
    let error = #expect(throws: ConvError.self) {
      try WorkBudget.requireExport(
        frames: 5000, width: 300, height: 100, frameBytes: 100_000,
        cellLimit: WorkBudget.maxExportCells, byteLimit: WorkBudget.maxRecordingBytes,
        flag: "--steps", value: "1..5000 with --size 300x100")
    }
    #expect(
      error?.description
        == "--steps 1..5000 with --size 300x100 implies 150000000 cells to draw (5000 frames of "
        + "300×100), over the limit of 67108864; choose at most 671 steps with --steps A..B, or "
        + "a smaller --size")
  }
}
