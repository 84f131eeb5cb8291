import ConvCore
import ConvStepper

// MARK: - Naming the bug

extension Comparison {
  /// Recomputes the layer with every known mistake (``BugCatalog``) from the same data and
  /// reports the mistakes whose tensors reproduce the user's differing ones, within the
  /// tolerance; the tensors nothing reproduces; and the mistakes this data cannot reveal.
  ///
  /// A mistake is matched tensor by tensor, so a forward bug can explain `y` while the
  /// gradients are right, and a forward and a backward bug can be named together. When the
  /// gradient is the layer's own output (`--grad output`), the buggy backward passes are run
  /// with the user's `y` as `dy`, as their code did.
  public func diagnose() -> DiagnosisReport { diagnose(progress: nil) }

  /// ``diagnose()``, calling `progress` before each known mistake is tried with the mistakes
  /// tried so far and their number (each may recompute the layer: long on a large one).
  public func diagnose(progress: ((_ done: Int, _ total: Int) -> Void)?) -> DiagnosisReport {
    let context = bugContext()
    let mismatching = Set(self.mismatching)
    var found: [(diagnosis: Diagnosis, order: Int)] = []
    var blindSpots: [BugInfo] = []
    let total = BugCatalog.variants.count
    for (order, variant) in BugCatalog.variants.enumerated() {
      progress?(order, total)
      let relevant = Set(variant.info.affects).intersection(user.given)
      guard !relevant.isEmpty, let result = variant.compute(context) else { continue }
      let match = self.match(result, mismatching: mismatching)
      if !match.explains.isEmpty {
        found.append(
          (
            Diagnosis(
              bug: variant.info, detail: result.detail,
              quality: match.exact ? .exact : .withinTolerance(maxAbsoluteError: match.worst),
              explains: match.explains, contradicts: match.contradicts, indistinguishableFrom: []
            ),
            order
          ))
      } else if match.checked && match.invisible {
        blindSpots.append(variant.info)
      }
    }
    let diagnoses = Comparison.ranked(found)
    let explained = Set(diagnoses.flatMap(\.explains))
    return DiagnosisReport(
      diagnoses: diagnoses,
      unexplained: self.mismatching.filter { !explained.contains($0) },
      blindSpots: blindSpots)
  }

  /// How a mistake's tensors compare with the user's.
  struct VariantMatch {
    /// Differing user tensors the mistake reproduces.
    var explains: [CheckedTensor] = []
    /// User tensors the mistake does not reproduce.
    var contradicts: [CheckedTensor] = []
    /// Whether every explained tensor is reproduced exactly.
    var exact = true
    /// The largest absolute error among the explained tensors.
    var worst = 0.0
    /// Whether any tensor could be compared.
    var checked = false
    /// Whether the mistake gives the correct values on this data (a blind spot).
    var invisible = true
  }

  /// Compares a mistake's `result` with every tensor the user gave.
  func match(_ result: VariantResult, mismatching: Set<CheckedTensor>) -> VariantMatch {
    var m = VariantMatch()
    for name in user.given {
      guard let e = result.tensors[name], let theirs = user[name],
        let correct = reference.expected[name]
      else { continue }
      m.checked = true
      let framed = e.inFrame(user.layout)
      if m.invisible {
        m.invisible = Comparison.agrees(framed, correct.inFrame(user.layout), tolerance)
      }
      guard DataLayout.sameUpToUnitAxes(framed.shape, theirs.shape) else {
        m.contradicts.append(name)
        continue
      }
      let stats = CellStats.compare(theirs.data, framed, tolerance, collect: false)
      guard stats.mismatchCount == 0 else {
        m.contradicts.append(name)
        continue
      }
      guard mismatching.contains(name) else { continue }
      m.explains.append(name)
      m.exact = m.exact && stats.exact
      m.worst = max(m.worst, stats.maxAbsoluteError)
    }
    return m
  }

  /// The diagnoses no other outdoes, most explaining first (then fewest contradictions, exact
  /// before within tolerance, catalogue order), each naming those it cannot be told apart from.
  static func ranked(_ found: [(diagnosis: Diagnosis, order: Int)]) -> [Diagnosis] {
    let candidates = found.map(\.diagnosis)
    var diagnoses = found.filter { f in
      !candidates.contains { Comparison.outdoes($0, f.diagnosis) }
    }.sorted { a, b in
      let (x, y) = (a.diagnosis, b.diagnosis)
      if x.explains.count != y.explains.count { return x.explains.count > y.explains.count }
      if x.contradicts.count != y.contradicts.count {
        return x.contradicts.count < y.contradicts.count
      }
      if x.quality.isExact != y.quality.isExact { return x.quality.isExact }
      return a.order < b.order
    }.map(\.diagnosis)
    for k in diagnoses.indices {
      diagnoses[k].indistinguishableFrom = diagnoses.filter {
        $0.id != diagnoses[k].id && $0.explains == diagnoses[k].explains
          && $0.contradicts == diagnoses[k].contradicts
      }.map(\.id)
    }
    return diagnoses
  }

  /// Whether `a` makes `b` redundant: it explains every tensor `b` does and contradicts none
  /// that `b` does not, and is strictly better in one of the two.
  static func outdoes(_ a: Diagnosis, _ b: Diagnosis) -> Bool {
    let (ae, be) = (Set(a.explains), Set(b.explains))
    let (ac, bc) = (Set(a.contradicts), Set(b.contradicts))
    return a.id != b.id && ae.isSuperset(of: be) && ac.isSubset(of: bc) && (ae != be || ac != bc)
  }

  /// The data the variants run on.
  func bugContext() -> BugContext {
    let s = trace.scenario
    let gradientIsOutput = s.gradient == .output && !s.relu && s.pool == nil
    var dy = reference.dy
    var dyIsUsersY = false
    if gradientIsOutput,
      let theirs = user.channelsFirst(.y, expected: trace.geometry.outputShape),
      self[.y]?.matches == false
    {
      dy = theirs.doubles
      dyIsUsersY = true
    }
    return BugContext(
      geometry: trace.geometry, reference: reference, dy: dy, dyIsUsersY: dyIsUsersY,
      gradientIsOutput: gradientIsOutput,
      gradientSource: !s.relu && s.pool == nil ? s.gradient : nil,
      learningRate: Double(s.learningRate), user: user, wanted: Set(user.given),
      differing: Set(mismatching), tolerance: tolerance)
  }

  /// Whether `a` has the shape of `b` and every value within the tolerance of `b`'s.
  static func agrees(_ a: ExpectedTensor, _ b: ExpectedTensor, _ tolerance: Tolerance) -> Bool {
    guard a.shape == b.shape else { return false }
    for k in a.values.indices {
      let (u, c) = (a.values[k], b.values[k])
      if u.isNaN || c.isNaN {
        if u.isNaN != c.isNaN { return false }
        continue
      }
      let bound = tolerance.bound(correct: c, magnitude: b.magnitude[k], terms: b.terms)
      if !(abs(u - c) <= bound) && u != c { return false }
    }
    return true
  }
}
