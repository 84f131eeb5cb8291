// MARK: - JSONFloat

/// A `Float` as JSON: the shortest decimal that reads back as the same `Float` (`0.1`, `3`,
/// `1.5e-07`), and `null` for NaN and the infinities, which JSON cannot hold.
///
/// `−0` is written `0`. Encode it with `JSONEncoder` (ConvFormats' `JSONOutput`).
public struct JSONFloat: Encodable, Equatable, Sendable {
  /// The value.
  public var value: Float

  /// The value to write.
  public init(_ value: Float) {
    self.value = value
  }

  /// Writes the number, or `null` when it is not finite.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    if value.isFinite {
      try container.encode(value == 0 ? 0 : value)
    } else {
      try container.encodeNil()
    }
  }
}

extension Tensor {
  /// The values, flat and row-major, as JSON numbers (`null` where not finite).
  public var jsonValues: [JSONFloat] { data.map(JSONFloat.init) }
}

// MARK: - JSONKey

/// A JSON object key chosen at run time (a layer's or a tensor's name), for `encode(to:)`.
public struct JSONKey: CodingKey, Sendable {
  /// The key.
  public var stringValue: String

  /// A key from its text.
  public init(_ stringValue: String) {
    self.stringValue = stringValue
  }

  /// A key from its text.
  public init(stringValue: String) {
    self.stringValue = stringValue
  }

  /// Never an array index.
  public var intValue: Int? { nil }

  /// Not used: object keys only.
  public init?(intValue: Int) { nil }
}
