/// A precision–recall curve as TensorBoard's pr_curves dashboard stores it: a DT_FLOAT [6, N]
/// tensor with rows TP, FP, TN, FN, precision, recall at the thresholds `linspace(0, 1, N)`
/// (thresholds are implied, not stored), plugin "pr_curves", content `PrCurvePluginData{2:
/// num_thresholds}` = `10 <varint N>`.
///
/// Counts follow `tensorboard.plugins.pr_curve.summary.pb`: a prediction p (clamped to [0, 1])
/// falls in bucket `floor(p × (N − 1))`; TP[i] and FP[i] count the (weighted) positives and
/// negatives in buckets ≥ i, i.e. with p ≥ i/(N − 1); TN = FP[0] − FP, FN = TP[0] − TP;
/// precision = TP / max(TP + FP, 1e-7) and recall = TP / max(TP + FN, 1e-7), computed in
/// double precision and stored as float32. NaN predictions are skipped.
public struct PRCurve: Sendable, Equatable {
    /// TensorBoard's default number of thresholds.
    public static let defaultThresholds = 201
    /// The floor of the denominators, as in TensorBoard (`_MINIMUM_COUNT`).
    public static let minimumCount = 1e-7

    /// Why a curve cannot be computed.
    public enum Error: Swift.Error, CustomStringConvertible {
        /// labels, predictions (and weights) differ in length.
        case lengthMismatch(labels: Int, predictions: Int, weights: Int?)
        /// Fewer than 2 thresholds (or more than 2³²−1).
        case invalidThresholdCount(Int)

        /// What went wrong and what to do.
        public var description: String {
            switch self {
            case .lengthMismatch(let l, let p, let w):
                let weights = w.map { ", \($0) weights" } ?? ""
                return "PR curve: \(l) labels, \(p) predictions\(weights); pass one label (and weight) per prediction"
            case .invalidThresholdCount(let n):
                return "PR curve: numThresholds must be at least 2, got \(n)"
            }
        }
    }

    /// Number of thresholds N.
    public let numThresholds: Int
    /// True positives at each threshold.
    public let truePositives: [Double]
    /// False positives at each threshold.
    public let falsePositives: [Double]
    /// True negatives at each threshold.
    public let trueNegatives: [Double]
    /// False negatives at each threshold.
    public let falseNegatives: [Double]
    /// TP / max(TP + FP, 1e-7).
    public let precision: [Double]
    /// TP / max(TP + FN, 1e-7).
    public let recall: [Double]

    /// Computes the curve; `weights` (optional, one per prediction) scale each example's count.
    public init(
        labels: [Bool], predictions: [Float], weights: [Float]? = nil,
        numThresholds: Int = PRCurve.defaultThresholds
    ) throws {
        guard numThresholds >= 2, numThresholds <= Int(UInt32.max) else {
            throw Error.invalidThresholdCount(numThresholds)
        }
        guard labels.count == predictions.count, weights.map({ $0.count == labels.count }) ?? true else {
            throw Error.lengthMismatch(labels: labels.count, predictions: predictions.count, weights: weights?.count)
        }
        let n = numThresholds
        var tpBuckets = [Double](repeating: 0, count: n)
        var fpBuckets = [Double](repeating: 0, count: n)
        let scale = Float(n - 1)
        for i in 0..<predictions.count {
            let p = predictions[i]
            guard !p.isNaN else { continue }
            let clamped = Swift.min(1, Swift.max(0, p))
            let bucket = Swift.min(n - 1, Int((clamped * scale).rounded(.down)))
            let w = Double(weights?[i] ?? 1)
            if labels[i] { tpBuckets[bucket] += w } else { fpBuckets[bucket] += w }
        }
        var tp = tpBuckets
        var fp = fpBuckets
        for i in stride(from: n - 2, through: 0, by: -1) {
            tp[i] += tp[i + 1]
            fp[i] += fp[i + 1]
        }
        let tn = fp.map { fp[0] - $0 }
        let fn = tp.map { tp[0] - $0 }
        var precision = [Double](repeating: 0, count: n)
        var recall = [Double](repeating: 0, count: n)
        for i in 0..<n {
            precision[i] = tp[i] / Swift.max(PRCurve.minimumCount, tp[i] + fp[i])
            recall[i] = tp[i] / Swift.max(PRCurve.minimumCount, tp[i] + fn[i])
        }
        self.numThresholds = n
        self.truePositives = tp
        self.falsePositives = fp
        self.trueNegatives = tn
        self.falseNegatives = fn
        self.precision = precision
        self.recall = recall
    }

    /// The threshold of column i: i / (N − 1).
    public func threshold(_ i: Int) -> Double { Double(i) / Double(numThresholds - 1) }

    /// The DT_FLOAT [6, N] tensor (rows TP, FP, TN, FN, precision, recall) in `tensor_content`.
    package var tensor: TensorProto {
        var values = [Float]()
        values.reserveCapacity(6 * numThresholds)
        for row in [truePositives, falsePositives, trueNegatives, falseNegatives, precision, recall] {
            for x in row { values.append(Float(x)) }
        }
        var w = ProtoWriter(capacity: values.count * 4)
        values.withUnsafeBufferPointer { w.appendLittleEndian($0) }
        return TensorProto(dtype: .float, shape: [6, Int64(numThresholds)], content: w.bytes)
    }

    /// The plugin metadata: content `PrCurvePluginData{num_thresholds: N}` = `10 <varint N>`.
    package var metadata: SummaryMetadata {
        var w = ProtoWriter(capacity: 6)
        w.writeVarintField(2, Int64(numThresholds))
        return SummaryMetadata(pluginName: .prCurves, content: w.bytes)
    }
}
