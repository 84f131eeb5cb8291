import ConvCore
import Testing

// MARK: - ReLU and max pooling

@Suite("ReLU and max pooling")
struct PoolReluTests {
  @Test("ReLU passes positives; the gradient is zero at and below zero")
  func relu() throws {
    let x = try Tensor(shape: [1, 1, 1, 4], data: [-1, 0, 0.5, 2])
    #expect(ReLU.forward(x).data == [0, 0, 0.5, 2])
    let dy = try Tensor(shape: [1, 1, 1, 4], data: [1, 1, 1, 1])
    #expect(try ReLU.backward(x: x, dy: dy).data == [0, 0, 1, 1])
  }

  @Test("ties go to the first maximum in row-major window order")
  func ties() throws {
    let x = try Tensor(shape: [1, 1, 2, 2], data: [3, 3, 3, 3])
    let out = try MaxPool2D.forward(x, config: MaxPool2DConfig(kernel: 2))
    #expect(out.y.data == [3])
    #expect(out.argmax == [0])
    let x2 = try Tensor(shape: [1, 1, 2, 2], data: [1, 5, 5, 2])
    #expect(try MaxPool2D.forward(x2, config: MaxPool2DConfig(kernel: 2)).argmax == [1])
  }

  @Test("padding is −∞: a border window of negatives still picks a real cell")
  func negativePadding() throws {
    let x = try Tensor(shape: [1, 1, 2, 2], data: [-4, -3, -2, -1])
    let out = try MaxPool2D.forward(x, config: MaxPool2DConfig(kernel: 2, stride: 1, padding: 1))
    #expect(out.y.shape == [1, 1, 3, 3])
    #expect(out.y.data == [-4, -3, -3, -2, -1, -1, -2, -1, -1])
  }

  @Test("overlapping windows add their gradients on the shared winner")
  func overlapping() throws {
    let x = try Tensor(shape: [1, 1, 1, 3], data: [0, 9, 0])
    let cfg = MaxPool2DConfig(kernel: Size2(1, 2), stride: 1)
    let out = try MaxPool2D.forward(x, config: cfg)
    let dy = try Tensor(shape: [1, 1, 1, 2], data: [1, 2])
    let dx = try MaxPool2D.backward(inputShape: x.shape, dy: dy, argmax: out.argmax)
    #expect(dx.data == [0, 3, 0])
  }

  @Test("bad pooling parameters are refused")
  func invalid() {
    let x = Tensor(shape: [1, 1, 4, 4])
    #expect(throws: ConvError.self) { try MaxPool2D.forward(x, config: MaxPool2DConfig(kernel: 0)) }
    #expect(throws: ConvError.self) {
      try MaxPool2D.forward(x, config: MaxPool2DConfig(kernel: 2, padding: 2))
    }
    #expect(throws: ConvError.self) { try MaxPool2D.forward(x, config: MaxPool2DConfig(kernel: 5)) }
  }
}
