/// One scalar point: v1 `simple_value` or a v2 rank-0 DT_FLOAT/DT_DOUBLE tensor.
public struct ScalarPoint: Sendable, Equatable {
    /// The tag.
    public var tag: String
    /// The event's step.
    public var step: Int64
    /// The event's wall time, seconds since the epoch.
    public var wallTime: Double
    /// The value, widened to Double without loss.
    public var value: Double
    /// `.float` when the file stored a float32 (print it as one), `.double` otherwise.
    public var dtype: TensorProto.DataType

    /// Makes a scalar point.
    package init(tag: String, step: Int64, wallTime: Double, value: Double, dtype: TensorProto.DataType = .float) {
        self.tag = tag
        self.step = step
        self.wallTime = wallTime
        self.value = value
        self.dtype = dtype
    }
}

/// One histogram bucket `[left, right]` holding `count` values.
public struct HistogramBucket: Sendable, Equatable {
    /// Left edge.
    public var left: Double
    /// Right edge.
    public var right: Double
    /// Number of values (a Double, as TensorBoard stores it).
    public var count: Double

    /// Makes a bucket.
    package init(left: Double, right: Double, count: Double) {
        self.left = left
        self.right = right
        self.count = count
    }
}

/// One histogram as TensorBoard's v2 form: buckets with explicit edges, plus summary statistics.
///
/// v1 `HistogramProto`s are converted as TensorBoard's Python loader does: empty buckets before
/// the first and after the last non-empty one are dropped, the first left edge is `min` and the
/// last right edge is `max` (kept in float64). The statistics are exact for v1 (min, max, num, sum,
/// sum of squares as stored) and estimated from bucket midpoints for v2 tensors.
public struct HistogramPoint: Sendable, Equatable {
    /// The tag.
    public var tag: String
    /// The event's step.
    public var step: Int64
    /// The event's wall time, seconds since the epoch.
    public var wallTime: Double
    /// Buckets in ascending order.
    public var buckets: [HistogramBucket]
    /// Smallest value.
    public var min: Double
    /// Largest value.
    public var max: Double
    /// Number of values.
    public var num: Double
    /// Sum of the values.
    public var sum: Double
    /// Sum of the squares of the values.
    public var sumSquares: Double
    /// True when min/max/num/sum/sumSquares were stored in the file (v1), false when estimated.
    public var exactStatistics: Bool

    /// The mean, `sum / num` (NaN for an empty histogram).
    public var mean: Double { num > 0 ? sum / num : .nan }

    /// The population standard deviation from the sums (NaN for an empty histogram).
    public var standardDeviation: Double {
        guard num > 0 else { return .nan }
        let m = sum / num
        return (Swift.max(0, sumSquares / num - m * m)).squareRoot()
    }

    /// Makes a histogram point.
    package init(
        tag: String, step: Int64, wallTime: Double, buckets: [HistogramBucket], min: Double,
        max: Double, num: Double, sum: Double, sumSquares: Double, exactStatistics: Bool
    ) {
        self.tag = tag
        self.step = step
        self.wallTime = wallTime
        self.buckets = buckets
        self.min = min
        self.max = max
        self.num = num
        self.sum = sum
        self.sumSquares = sumSquares
        self.exactStatistics = exactStatistics
    }

    /// Converts a v1 `HistogramProto` the way TensorBoard's Python loader migrates it.
    package init(tag: String, step: Int64, wallTime: Double, histogram h: HistogramProto) {
        var buckets: [HistogramBucket] = []
        let n = Swift.min(h.buckets.count, h.bucketLimits.count)
        var first = 0
        while first < n && h.buckets[first] == 0 { first += 1 }
        var last = n - 1
        while last >= first && h.buckets[last] == 0 { last -= 1 }
        if first <= last {
            buckets.reserveCapacity(last - first + 1)
            for i in first...last {
                let left = i == first ? h.min : h.bucketLimits[i - 1]
                let right = i == last ? h.max : h.bucketLimits[i]
                buckets.append(HistogramBucket(left: left, right: right, count: h.buckets[i]))
            }
        }
        self.init(
            tag: tag, step: step, wallTime: wallTime, buckets: buckets, min: h.min, max: h.max,
            num: h.num, sum: h.sum, sumSquares: h.sumSquares, exactStatistics: true)
    }

    /// Reads a v2 histogram: a DT_DOUBLE or DT_FLOAT tensor of shape [k, 3] with rows
    /// (left, right, count). Nil when the tensor has another shape or dtype.
    package init?(tag: String, step: Int64, wallTime: Double, tensor: TensorProto) {
        guard tensor.shape.count == 2, tensor.shape[1] == 3, tensor.shape[0] >= 0,
            let values = tensor.numericValues(), values.count % 3 == 0,
            Int64(values.count / 3) == tensor.shape[0]
        else { return nil }  // shape[0] * 3 could overflow
        var buckets: [HistogramBucket] = []
        buckets.reserveCapacity(values.count / 3)
        var lo = Double.infinity
        var hi = -Double.infinity
        var num = 0.0
        var sum = 0.0
        var sq = 0.0
        var i = 0
        while i < values.count {
            let b = HistogramBucket(left: values[i], right: values[i + 1], count: values[i + 2])
            buckets.append(b)
            if b.count != 0 {
                lo = Swift.min(lo, b.left)
                hi = Swift.max(hi, b.right)
                let mid = (b.left + b.right) / 2
                num += b.count
                sum += mid * b.count
                sq += mid * mid * b.count
            }
            i += 3
        }
        if num == 0 {
            lo = 0
            hi = 0
        }
        self.init(
            tag: tag, step: step, wallTime: wallTime, buckets: buckets, min: lo, max: hi,
            num: num, sum: sum, sumSquares: sq, exactStatistics: false)
    }
}

/// A value TBKit does not turn into plain numbers: images, text, audio, PR curves, hparams,
/// graphs and any other plugin. Handed over as decoded, never a failure.
public struct OtherValue: Sendable, Equatable {
    /// The tag (`__run_graph__` for an Event's graph_def).
    public var tag: String
    /// The event's step.
    public var step: Int64
    /// The event's wall time.
    public var wallTime: Double
    /// The owning plugin: the metadata's plugin_name for this tag, or for v1 values `.images`,
    /// `.audio`; `.graphs` for graph_def; `.unnamed` when unknown.
    public var pluginName: PluginName
    /// The plugin's metadata content (the first metadata seen for the tag), often empty.
    public var pluginContent: [UInt8]
    /// The value as decoded.
    public var kind: SummaryValue.Kind

    /// Makes a raw value.
    package init(
        tag: String, step: Int64, wallTime: Double, pluginName: PluginName, pluginContent: [UInt8],
        kind: SummaryValue.Kind
    ) {
        self.tag = tag
        self.step = step
        self.wallTime = wallTime
        self.pluginName = pluginName
        self.pluginContent = pluginContent
        self.kind = kind
    }
}

/// A summary value sorted by what it holds: a number, a histogram, or something else.
public enum TaggedValue: Sendable, Equatable {
    /// A scalar point.
    case scalar(ScalarPoint)
    /// A histogram.
    case histogram(HistogramPoint)
    /// Anything else, handed over raw.
    case other(OtherValue)

    /// The tag of the value.
    public var tag: String {
        switch self {
        case .scalar(let s): return s.tag
        case .histogram(let h): return h.tag
        case .other(let o): return o.tag
        }
    }

    /// The step of the value.
    public var step: Int64 {
        switch self {
        case .scalar(let s): return s.step
        case .histogram(let h): return h.step
        case .other(let o): return o.step
        }
    }
}

/// Turns `Summary.Value`s into `TaggedValue`s, remembering each tag's plugin metadata: writers put
/// it only on the first value of each tag, so one classifier should see a whole run in order.
package struct ValueClassifier: Sendable {
    /// Metadata seen so far, by tag (the first one wins, as in TensorBoard's loaders).
    package private(set) var metadataByTag: [String: SummaryMetadata] = [:]

    /// An empty classifier.
    package init() {}

    /// Classifies one value of an event.
    package mutating func classify(_ value: SummaryValue, step: Int64, wallTime: Double) -> TaggedValue {
        var metadata: SummaryMetadata?
        if let m = value.metadata {
            if let known = metadataByTag[value.tag] {
                metadata = known
            } else {
                metadataByTag[value.tag] = m
                metadata = m
            }
        } else {
            metadata = metadataByTag[value.tag]
        }
        let plugin = metadata?.pluginName ?? .unnamed
        switch value.kind {
        case .simpleValue(let x):
            return .scalar(ScalarPoint(tag: value.tag, step: step, wallTime: wallTime, value: Double(x), dtype: .float))
        case .histogram(let h):
            return .histogram(HistogramPoint(tag: value.tag, step: step, wallTime: wallTime, histogram: h))
        case .tensor(let t) where plugin == .scalars:
            if t.shape.isEmpty, let values = t.numericValues(), values.count == 1 {
                return .scalar(
                    ScalarPoint(tag: value.tag, step: step, wallTime: wallTime, value: values[0], dtype: t.dtype))
            }
        case .tensor(let t) where plugin == .histograms:
            if let h = HistogramPoint(tag: value.tag, step: step, wallTime: wallTime, tensor: t) {
                return .histogram(h)
            }
        default:
            break
        }
        var name = plugin
        if name.isUnnamed {
            switch value.kind {
            case .image: name = .images
            case .audio: name = .audio
            default: break
            }
        }
        return .other(
            OtherValue(
                tag: value.tag, step: step, wallTime: wallTime, pluginName: name,
                pluginContent: metadata?.content ?? [], kind: value.kind))
    }
}
