import ConvKernels

// MARK: - PaddingMode

/// What a padding cell holds (PyTorch's `padding_mode`): defined beside the kernels, which read
/// it, and named here so that every target above ConvCore can use it.
public typealias PaddingMode = ConvKernels.PaddingMode
