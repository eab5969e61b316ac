/// How `SummaryWriter.scalar` stores a value.
public enum ScalarFormat: Sendable {
    /// v1 `simple_value` (float32): 42 bytes a point, read by every TensorBoard loader and by the
    /// legacy `EventAccumulator.Scalars` and tbparse. The default, as in tensorboardX.
    case simpleValue
    /// v2: a rank-0 DT_FLOAT tensor with plugin "scalars" metadata, as `tf.summary.scalar` writes.
    case tensor
}
