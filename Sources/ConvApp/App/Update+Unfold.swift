import ConvStepper

// MARK: - Unfold

/// `u`: the convolution's phases as matrices (im2col) or as maps. Says what the matrices are,
/// and that ReLU and pooling stay maps.
func toggleUnfold(_ model: inout Model) {
  model.display.unfold.toggle()
  guard model.display.unfold else {
    model.message = Message("Maps again: the window loop; u unfolds it into one matrix product.")
    return
  }
  switch model.phase {
  case .forward, .backward, .update:
    model.message = Message(
      "Unfolded (im2col): one column of cols per window, one row of W per filter; Y = W·cols. u goes back."
    )
  case .relu, .pool, .poolBackward, .reluBackward:
    model.message = Message(
      "Unfold shows the convolution's forward, backward and update; \(model.phase) stays maps.")
  }
}
