/// The `ConvDebug` module (see Package.swift for its place in the design).
public enum ConvDebugModule {
  /// The module's name.
  public static let name = "ConvDebug"
}
