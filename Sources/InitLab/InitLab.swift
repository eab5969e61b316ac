@_exported import InitLabCore

/// InitLab: a small dense-network trainer on MNIST that reproduces the weight-initialization study.
///
/// The pieces, input side first:
/// - `MNIST` reads IDX files (plain or gzip) into a `Matrix` of pixels in [0, 1]; `MNIST.embedded()`
///   is the bundled 5,000-image subset.
/// - `Matrix` (Float32, row-major) and `MatMul` (A·B, Aᵀ·B, A·Bᵀ; SIMD at -O, measured by
///   `tbkit bench-matmul`).
/// - `Initializer` (normal, uniform, variance scaling and its named forms) drawing from
///   `SeededGenerator`; `Activation`; `Dense`; `Network`; `SoftmaxCrossEntropy`; `Adam`.
/// - `Scenario` names a run (the article's seven and the deep sweep); `Trainer` runs it, sending
///   every logged quantity to a `TrainingLog` (a `SummaryWriter`, or a recorder in tests):
///   scalars and histograms, image grids, the `config` text and hparams session of
///   `RunConfiguration`, PR curves and a projector embedding; `CheckpointStore` and
///   `CheckpointPolicy` save and resume a run's whole state.
/// - `StudyDashboards` holds what spans runs: the hparams experiment written at the logdir root
///   and the custom scalars layout.
public enum InitLab {}
