// MARK: - ConvShape

/// The sizes of one 2-D convolution, as the kernels need them: plain integers, no tensors.
///
/// Input `x[N, C, H, W]`, weights `w[F, C/G, KH, KW]` (`G` groups: filter `f` reads input
/// channels `g·C/G ..< (g+1)·C/G` with `g = f / (F/G)`), bias `b[F]`, output `y[N, F, OH, OW]`,
/// all dense and row-major. Padding cells hold what ``paddingMode`` says. The caller (ConvCore's `ConvGeometry`) has checked that every size is
/// positive and that `OH`, `OW` follow from the others:
/// `OH = ⌊(H + 2·PH − DH·(KH − 1) − 1) / SH⌋ + 1`, and the same for `OW`.
public struct ConvShape: Sendable, Equatable {
  /// `N`, samples in the batch.
  public var batch: Int
  /// `C`, input channels.
  public var channels: Int
  /// `F`, filters (output channels).
  public var filters: Int
  /// `H`, input height.
  public var height: Int
  /// `W`, input width.
  public var width: Int
  /// `KH`, kernel height.
  public var kh: Int
  /// `KW`, kernel width.
  public var kw: Int
  /// `SH`, vertical stride.
  public var sh: Int
  /// `SW`, horizontal stride.
  public var sw: Int
  /// `PH`, zero rows above and below.
  public var ph: Int
  /// `PW`, zero columns left and right.
  public var pw: Int
  /// `DH`, vertical dilation.
  public var dh: Int
  /// `DW`, horizontal dilation.
  public var dw: Int
  /// `OH`, output height.
  public var oh: Int
  /// `OW`, output width.
  public var ow: Int
  /// `G`, groups: `C` and `F` are multiples of it.
  public var groups: Int
  /// What the padding cells hold.
  public var paddingMode: PaddingMode

  /// A shape from its sizes (see the type's documentation for what must hold).
  public init(
    batch: Int, channels: Int, filters: Int, height: Int, width: Int, kh: Int, kw: Int,
    sh: Int, sw: Int, ph: Int, pw: Int, dh: Int, dw: Int, oh: Int, ow: Int, groups: Int = 1,
    paddingMode: PaddingMode = .zeros
  ) {
    self.batch = batch
    self.channels = channels
    self.filters = filters
    self.height = height
    self.width = width
    self.kh = kh
    self.kw = kw
    self.sh = sh
    self.sw = sw
    self.ph = ph
    self.pw = pw
    self.dh = dh
    self.dw = dw
    self.oh = oh
    self.ow = ow
    self.groups = groups
    self.paddingMode = paddingMode
  }

  /// One group, zero padding: the shape the matrix-product plans compute. Other shapes go
  /// through `GeneralPasses`, which hands the plans plain pieces.
  public var isPlain: Bool { groups == 1 && paddingMode == .zeros }

  /// `C/G`, the input channels one filter reads.
  public var groupChannels: Int { channels / groups }

  /// `F/G`, the filters of one group.
  public var groupFilters: Int { filters / groups }

  /// `C/G·KH·KW`, the reduction length of the forward pass (one filter's weights).
  public var taps: Int { groupChannels * kh * kw }

  /// Floats in `x`: `N·C·H·W`.
  public var inputCount: Int { batch * channels * height * width }

  /// Floats in `w`: `F·C/G·KH·KW`.
  public var weightCount: Int { filters * taps }

  /// Floats in `y`: `N·F·OH·OW`.
  public var outputCount: Int { batch * filters * oh * ow }

  /// Multiply–adds of one forward pass: `N·F·OH·OW·C/G·KH·KW`.
  public var forwardMACs: Int { outputCount * taps }
}
