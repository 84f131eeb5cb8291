/// Placeholder until the file readers land.
public enum ConvIOModule {
  /// The module name.
  public static let name = "ConvIO"
}
