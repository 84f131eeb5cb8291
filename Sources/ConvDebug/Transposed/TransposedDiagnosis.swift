import ConvCore

// MARK: - Naming the mistake of a transposed layer

extension TransposedComparison {
  /// Recomputes the layer with every known mistake of transposed convolutions
  /// (``BugCatalog/transposed``) from the same data and reports the mistakes whose tensors
  /// reproduce the user's differing ones, within the tolerance; the tensors nothing reproduces;
  /// and the mistakes this data cannot reveal — as ``Comparison/diagnose()`` does for a conv2d,
  /// tensor by tensor and ranked the same way. A tensor of another shape is matched by a
  /// mistake that gives that shape (output_padding forgotten).
  public func diagnose() -> DiagnosisReport { diagnose(progress: nil) }

  /// ``diagnose()``, calling `progress` before each known mistake is tried with the mistakes
  /// tried so far and their number (each recomputes the layer: long on a large one).
  public func diagnose(progress: ((_ done: Int, _ total: Int) -> Void)?) -> DiagnosisReport {
    let context = TransposedBugContext(
      layer: layer, x: x, w: w, b: b, dy: dy, user: user, tolerance: tolerance)
    let mismatching = Set(self.mismatching)
    var found: [(diagnosis: Diagnosis, order: Int)] = []
    var blindSpots: [BugInfo] = []
    let total = BugCatalog.transposedVariants.count
    for (order, variant) in BugCatalog.transposedVariants.enumerated() {
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

  /// Compares a mistake's `result` with every tensor the user gave (as
  /// ``Comparison/match(_:mismatching:)``).
  func match(_ result: VariantResult, mismatching: Set<CheckedTensor>) -> Comparison.VariantMatch {
    var m = Comparison.VariantMatch()
    for name in user.given {
      guard let e = result.tensors[name], let theirs = user[name], let correct = expected[name]
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
}
