/// The `ConvStepper` module (see Package.swift for its place in the design).
public enum ConvStepperModule {
  /// The module's name.
  public static let name = "ConvStepper"
}
