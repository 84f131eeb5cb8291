/// The `ConvApp` module (see Package.swift for its place in the design).
public enum ConvAppModule {
  /// The module's name.
  public static let name = "ConvApp"
}
