/// How `SummaryWriter.histogram` stores a histogram.
public enum HistogramFormat: Sendable {
    /// v1 `HistogramProto` (min, max, num, sum, sum_squares, bucket limits and counts).
    case proto
    /// v2: a DT_DOUBLE [k, 3] tensor of (left, right, count) rows with plugin "histograms".
    case tensor
}
