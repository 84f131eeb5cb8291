import ConvCore

// MARK: - MatchQuality

/// How closely a mistake reproduces the user's numbers.
public enum MatchQuality: Sendable, Equatable {
  /// Every value equal, bit for bit, to the buggy layer's (computed in `Double`, rounded to
  /// `Float`).
  case exact
  /// Every value within the tolerance; the largest absolute difference.
  case withinTolerance(maxAbsoluteError: Double)

  /// Whether the match is exact.
  public var isExact: Bool { self == .exact }
}

// MARK: - Diagnosis

/// A known mistake that reproduces (some of) the user's tensors.
public struct Diagnosis: Sendable, Identifiable {
  /// The mistake.
  public var bug: BugInfo
  /// A detail found in the data, e.g. `the padding value is 1` (nil when there is none).
  public var detail: String?
  /// How closely it matches.
  public var quality: MatchQuality
  /// The user's differing tensors it reproduces, in the order y, dx, dw, db.
  public var explains: [CheckedTensor]
  /// Tensors the user gave that the mistake would change differently from theirs (usually
  /// tensors that are right in theirs: the mistake is then only in the code of the others).
  public var contradicts: [CheckedTensor]
  /// Other matching mistakes that give the same numbers on this data (identifiers).
  public var indistinguishableFrom: [String]

  /// The mistake's identifier.
  public var id: String { bug.id }

  /// The title with the detail, e.g. `the padding is not zero (the padding value is 1)`.
  public var title: String {
    detail.map { "\(bug.title) (\($0))" } ?? bug.title
  }
}

// MARK: - DiagnosisReport

/// What the known mistakes say about the user's tensors.
public struct DiagnosisReport: Sendable {
  /// The mistakes that reproduce differing tensors, best first: more tensors explained, fewer
  /// contradicted, exact before within tolerance, then the catalog's order. A mistake that
  /// another one outdoes — explaining no more tensors and contradicting no fewer — is left out
  /// (e.g. "dx from the unflipped kernel" when the whole layer flips its kernel).
  public var diagnoses: [Diagnosis]
  /// Differing tensors that no known mistake reproduces.
  public var unexplained: [CheckedTensor]
  /// Mistakes that would give exactly the correct numbers on this data for the tensors checked
  /// (a passing check cannot rule them out; each has a hint for data that would).
  public var blindSpots: [BugInfo]

  /// Whether some known mistake reproduces the user's numbers.
  public var found: Bool { !diagnoses.isEmpty }

  /// Groups of diagnoses that are indistinguishable on this data (each group has 2 or more).
  public var indistinguishableGroups: [[Diagnosis]] {
    var seen = Set<String>()
    var groups: [[Diagnosis]] = []
    for d in diagnoses where !d.indistinguishableFrom.isEmpty && !seen.contains(d.id) {
      let group = diagnoses.filter { $0.id == d.id || d.indistinguishableFrom.contains($0.id) }
      for member in group { seen.insert(member.id) }
      groups.append(group)
    }
    return groups
  }
}
