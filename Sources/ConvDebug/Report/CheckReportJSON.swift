import ConvCore
import ConvStepper
import Foundation

// MARK: - The report as JSON

extension CheckReport {
  /// The layer's parameters.
  struct LayerJSON: Encodable {
    var batch: Int
    var inChannels: Int
    var input: [Int]
    var filters: Int
    var kernel: [Int]
    var stride: [Int]
    var padding: [Int]
    var dilation: [Int]
    /// Groups, when more than one (left out for one group).
    var groups: Int?
    /// PyTorch's `padding_mode`, when not `zeros` (left out for zeros).
    var paddingMode: String?
    var output: [Int]
    /// A transposed convolution (`ConvTranspose2d`): true (left out for conv2d).
    var transposed: Bool? = nil
    /// A transposed convolution's output_padding (left out for conv2d).
    var outputPadding: [Int]? = nil

    init(_ g: ConvGeometry) {
      let c = g.config
      batch = g.batch
      inChannels = c.inChannels
      input = [g.input.h, g.input.w]
      filters = c.filters
      kernel = [c.kernel.h, c.kernel.w]
      stride = [c.stride.h, c.stride.w]
      padding = [c.padding.h, c.padding.w]
      dilation = [c.dilation.h, c.dilation.w]
      groups = c.groups == 1 ? nil : c.groups
      paddingMode = c.paddingMode == .zeros ? nil : c.paddingMode.rawValue
      output = [g.output.h, g.output.w]
    }
  }

  struct ToleranceJSON: Encodable {
    var rtol: Double
    var atol: Double
    var float32Allowance: Bool
  }

  struct CellJSON: Encodable {
    var index: [Int]
    var flat: Int
    var yours: Double?
    var correct: Double?
    var formula: String?

    enum CodingKeys: String, CodingKey {
      case index, flat, yours, correct, formula
    }

    /// Writes `null` for a missing number instead of leaving the key out.
    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(index, forKey: .index)
      try c.encode(flat, forKey: .flat)
      try c.encode(yours, forKey: .yours)
      try c.encode(correct, forKey: .correct)
      try c.encode(formula, forKey: .formula)
    }
  }

  struct TensorJSON: Encodable {
    var name: String
    var file: String?
    var shape: [Int]
    var expectedShape: [Int]
    var shapeOk: Bool
    var cells: Int
    var mismatches: Int
    var maxAbsError: Double?
    var maxRelError: Double?
    var exact: Bool
    var nanInYours: Int
    var firstMismatch: CellJSON?
    var notes: [String] = []

    enum CodingKeys: String, CodingKey {
      case name, file, shape, expectedShape, shapeOk, cells, mismatches, maxAbsError, maxRelError
      case exact, nanInYours, firstMismatch, notes
    }

    /// Writes `null` for missing values instead of leaving the key out.
    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(name, forKey: .name)
      try c.encode(file, forKey: .file)
      try c.encode(shape, forKey: .shape)
      try c.encode(expectedShape, forKey: .expectedShape)
      try c.encode(shapeOk, forKey: .shapeOk)
      try c.encode(cells, forKey: .cells)
      try c.encode(mismatches, forKey: .mismatches)
      try c.encode(maxAbsError, forKey: .maxAbsError)
      try c.encode(maxRelError, forKey: .maxRelError)
      try c.encode(exact, forKey: .exact)
      try c.encode(nanInYours, forKey: .nanInYours)
      try c.encode(firstMismatch, forKey: .firstMismatch)
      try c.encode(notes, forKey: .notes)
    }
  }

  struct DiagnosisJSON: Encodable {
    var id: String
    var title: String
    var explanation: String
    var fix: String
    var match: String
    var maxAbsError: Double
    var explains: [String]
    var contradicts: [String]
    var indistinguishableFrom: [String]
    var separatingHint: String
    var erratum: Int?

    enum CodingKeys: String, CodingKey {
      case id, title, explanation, fix, match, maxAbsError, explains, contradicts
      case indistinguishableFrom, separatingHint, erratum
    }

    /// Writes `null` for a missing erratum instead of leaving the key out.
    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(id, forKey: .id)
      try c.encode(title, forKey: .title)
      try c.encode(explanation, forKey: .explanation)
      try c.encode(fix, forKey: .fix)
      try c.encode(match, forKey: .match)
      try c.encode(maxAbsError, forKey: .maxAbsError)
      try c.encode(explains, forKey: .explains)
      try c.encode(contradicts, forKey: .contradicts)
      try c.encode(indistinguishableFrom, forKey: .indistinguishableFrom)
      try c.encode(separatingHint, forKey: .separatingHint)
      try c.encode(erratum, forKey: .erratum)
    }
  }

  struct BlindSpotJSON: Encodable {
    var id: String
    var title: String
    var separatingHint: String
  }

  struct AxisJSON: Encodable {
    var name: String
    var letter: String
    var size: Int
    var differing: [Int]
  }

  struct PatternJSON: Encodable {
    var tensor: String
    var differing: Int
    var cells: Int
    var axes: [AxisJSON]
    var borderOnly: Bool
    var phase: String
    var windows: [Int]
    var windowCount: Int
    var text: String

    init(_ p: DifferencePattern) {
      tensor = p.tensor.rawValue
      differing = p.differing
      cells = p.cells
      axes = p.axes.map {
        AxisJSON(name: $0.name, letter: $0.letter, size: $0.size, differing: $0.differing)
      }
      borderOnly = p.borderOnly
      phase = p.phase.rawValue
      windows = p.windows.map { $0 + 1 }
      windowCount = p.windowCount
      text = p.text
    }
  }

  struct ReportJSON: Encodable {
    var layer: LayerJSON?
    var layout: String
    var tolerance: ToleranceJSON
    var match: Bool
    var tensors: [TensorJSON]
    var diagnoses: [DiagnosisJSON]
    var unexplained: [String]
    var patterns: [PatternJSON]
    var blindSpots: [BlindSpotJSON]
    var error: String?
    var notes: [String] = []
    /// The defaults in use and where each tensor came from (absent when not known).
    var setup: LayerSetup?
  }

  /// A finite value, or nil (JSON `null`) for NaN and infinities.
  static func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }

  static func diagnosisJSON(_ d: Diagnosis) -> DiagnosisJSON {
    let maxAbs: Double
    switch d.quality {
    case .exact: maxAbs = 0
    case .withinTolerance(let e): maxAbs = e
    }
    return DiagnosisJSON(
      id: d.id, title: d.title, explanation: d.bug.explanation, fix: d.bug.fix,
      match: d.quality.isExact ? "exact" : "tolerance", maxAbsError: maxAbs,
      explains: d.explains.map(\.rawValue), contradicts: d.contradicts.map(\.rawValue),
      indistinguishableFrom: d.indistinguishableFrom, separatingHint: d.bug.separatingHint,
      erratum: d.bug.erratum)
  }

  /// The report as one JSON object (keys sorted, snake_case): `layer`, `layout`, `tolerance`,
  /// `match`, `tensors` (per tensor: `name`, `file`, `shape`, `expected_shape`, `shape_ok`,
  /// `cells`, `mismatches`, `max_abs_error`, `max_rel_error`, `exact`, `nan_in_yours`,
  /// `first_mismatch` {`index`, `flat`, `yours`, `correct`, `formula`}), `diagnoses` (per
  /// mistake: `id`, `title`, `explanation`, `fix`, `match` "exact"|"tolerance",
  /// `max_abs_error`, `explains`, `contradicts`, `indistinguishable_from`, `separating_hint`,
  /// `erratum`), `unexplained`, `patterns` (per unexplained tensor in the right shape, where
  /// it differs: `tensor`, `differing`, `cells`, `axes` [{`name`, `letter`, `size`,
  /// `differing`}], `border_only`, `phase`, `windows` (the viewer's, from 1), `window_count`,
  /// `text`), `blind_spots`, `notes` (what reading the files did; per tensor, `notes` holds the
  /// float16 advice), `setup` (`defaults` in use and where each tensor came from). Non-finite
  /// numbers, a tensor's missing file and first mismatch, and a diagnosis's missing erratum are
  /// `null`.
  public static func json(
    _ comparison: Comparison, _ report: DiagnosisReport, setup: LayerSetup? = nil
  ) -> String {
    let tensors = comparison.results.map { r -> TensorJSON in
      var first: CellJSON?
      if let k = r.firstMismatch, let cell = comparison.cell(r.tensor, flat: k) {
        first = CellJSON(
          index: cell.index, flat: k, yours: finite(Double(cell.user)),
          correct: finite(Double(cell.correct)),
          formula: comparison.correctFormula(r.tensor, flat: k))
      }
      return TensorJSON(
        name: r.tensor.rawValue, file: comparison.user.sources[r.tensor], shape: r.userShape,
        expectedShape: r.expectedUserShape, shapeOk: r.shapeMatches, cells: r.cellCount,
        mismatches: r.mismatchCount, maxAbsError: finite(r.maxAbsoluteError),
        maxRelError: finite(r.maxRelativeError), exact: r.exact, nanInYours: r.userNaNCount,
        firstMismatch: first, notes: comparison.float16Advice(r.tensor).map { [$0] } ?? [])
    }
    let t = comparison.tolerance
    return encode(
      ReportJSON(
        layer: LayerJSON(comparison.trace.geometry), layout: comparison.user.layout.rawValue,
        tolerance: ToleranceJSON(rtol: t.rtol, atol: t.atol, float32Allowance: t.float32Allowance),
        match: comparison.allMatch, tensors: tensors,
        diagnoses: report.diagnoses.map(diagnosisJSON),
        unexplained: report.unexplained.map(\.rawValue),
        patterns: report.unexplained.compactMap { comparison.differencePattern($0) }.map(
          PatternJSON.init),
        blindSpots: report.blindSpots.map {
          BlindSpotJSON(id: $0.id, title: $0.title, separatingHint: $0.separatingHint)
        }, error: nil, notes: comparison.user.notes, setup: setup))
  }

  static func encode(_ value: ReportJSON) -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
