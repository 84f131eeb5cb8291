/// The `NCursesBackend` module (see Package.swift for its place in the design).
public enum NCursesBackendModule {
  /// The module's name.
  public static let name = "NCursesBackend"
}
