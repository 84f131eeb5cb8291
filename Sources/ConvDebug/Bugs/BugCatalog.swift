import ConvCore

// MARK: - BugCatalog

/// Every mistake convscope recognises, in the order reports list equally good matches (the most
/// common first).
public enum BugCatalog {
  /// The mistakes and the functions that recompute a layer with each.
  static let variants: [BugVariant] = [
    BugVariant(info: .kernelFlipped, compute: Bugs.kernelFlipped),
    BugVariant(info: .biasMissing, compute: Bugs.biasMissing),
    BugVariant(info: .paddingIgnored, compute: Bugs.paddingIgnored),
    BugVariant(info: .paddingAtEnd, compute: Bugs.paddingAtEnd),
    BugVariant(info: .paddingAtStart, compute: Bugs.paddingAtStart),
    BugVariant(info: .paddingStartOnly, compute: Bugs.paddingStartOnly),
    BugVariant(info: .paddingEndOnly, compute: Bugs.paddingEndOnly),
    BugVariant(info: .paddingValue, compute: Bugs.paddingValue),
    BugVariant(info: .paddingEdge, compute: Bugs.paddingEdge),
    BugVariant(info: .paddingReflect, compute: Bugs.paddingReflect),
    BugVariant(info: .paddingModeIgnored, compute: Bugs.paddingModeIgnored),
    BugVariant(info: .reflectAsReplicate, compute: Bugs.reflectAsReplicate),
    BugVariant(info: .replicateAsReflect, compute: Bugs.replicateAsReflect),
    BugVariant(info: .paddingGradientNotFolded, compute: Bugs.paddingGradientNotFolded),
    BugVariant(info: .groupsFirstGroup, compute: Bugs.groupsFirstGroup),
    BugVariant(info: .groupsInterleaved, compute: Bugs.groupsInterleaved),
    BugVariant(info: .groupsIgnored, compute: Bugs.groupsIgnored),
    BugVariant(info: .strideOnTaps, compute: Bugs.strideOnTaps),
    BugVariant(info: .kernelTransposed, compute: Bugs.kernelTransposed),
    BugVariant(info: .inputTransposed, compute: Bugs.inputTransposed),
    BugVariant(info: .outputTransposed, compute: Bugs.outputTransposed),
    BugVariant(info: .biasPerChannel, compute: Bugs.biasPerChannel),
    BugVariant(info: .biasTwice, compute: Bugs.biasTwice),
    BugVariant(info: .constantOffset, compute: Bugs.constantOffset),
    BugVariant(info: .windowOriginOffByOne, compute: Bugs.windowOriginOffByOne),
    BugVariant(info: .outputCeil, compute: Bugs.outputCeil),
    BugVariant(info: .outputMissingLast, compute: Bugs.outputMissingLast),
    BugVariant(info: .inputChannelsLast, compute: Bugs.inputChannelsLast),
    BugVariant(info: .weightsChannelsLast, compute: Bugs.weightsChannelsLast),
    BugVariant(info: .layoutSwapped, compute: Bugs.layoutSwapped),
    BugVariant(info: .filtersChannelsSwapped, compute: Bugs.filtersChannelsSwapped),
    BugVariant(info: .dilationIgnored, compute: Bugs.dilationIgnored),
    BugVariant(info: .dilationIgnoredInTaps, compute: Bugs.dilationIgnoredInTaps),
    BugVariant(info: .dilationIgnoredInBackward, compute: Bugs.dilationIgnoredInBackward),
    BugVariant(info: .dxUnflippedKernel, compute: Bugs.dxUnflippedKernel),
    BugVariant(info: .dxStrideIgnored, compute: Bugs.dxStrideIgnored),
    BugVariant(info: .lastSampleOnly, compute: Bugs.lastSampleOnly),
    BugVariant(info: .firstSampleOnly, compute: Bugs.firstSampleOnly),
    BugVariant(info: .gradientsPerSample, compute: Bugs.gradientsPerSample),
    BugVariant(info: .dividedByBatch, compute: Bugs.dividedByBatch),
    BugVariant(info: .dbWrongAxes, compute: Bugs.dbWrongAxes),
    BugVariant(info: .dxNotCropped, compute: Bugs.dxNotCropped),
    BugVariant(info: .dxCroppedAtCorner, compute: Bugs.dxCroppedAtCorner),
    BugVariant(info: .backwardFromYourY, compute: Bugs.backwardFromYourY),
    BugVariant(info: .otherGradient, compute: Bugs.otherGradient),
    BugVariant(info: .articleLoops, compute: Bugs.articleLoops),
    BugVariant(info: .articleForward, compute: Bugs.articleForward),
    BugVariant(info: .articleBackwardUnpadded, compute: Bugs.articleBackwardUnpadded),
    BugVariant(info: .articlePerSampleUpdate, compute: Bugs.articlePerSampleUpdate),
  ]

  /// Every mistake recognised by recomputing the layer (``BugInfo/articleIntOutputSize`` is
  /// recognised separately, by ``NoWindowDiagnosis``, as its layer has no output to compute).
  public static var all: [BugInfo] { variants.map(\.info) }

  /// The mistake with identifier `id`.
  public static func info(_ id: String) -> BugInfo? {
    if id == BugInfo.articleIntOutputSize.id { return .articleIntOutputSize }
    return variants.first { $0.info.id == id }?.info
  }
}
