/// Everything the report page draws, as it is embedded in the page (JSON).
///
/// Built in one pass over the log directory by `ReportBuilder`; the page's script draws only
/// from this, so what a test reads back from the page is what was drawn.
public struct ReportData: Sendable, Encodable {
    /// One run: a row of the runs table.
    public struct Run: Sendable, Encodable {
        /// The run name ("." for the log directory itself).
        public var name: String
        /// Event files read.
        public var files: Int
        /// Events read.
        public var events: Int
        /// Smallest and largest step of any value (nil when the run has none).
        public var firstStep: Int64?
        /// Largest step of any value.
        public var lastStep: Int64?
        /// Earliest wall time of any event, seconds since the epoch.
        public var firstWallTime: Double?
        /// Latest wall time of any event.
        public var lastWallTime: Double?
        /// The hparams session's values, by hyperparameter name (empty without a session).
        public var hparams: [String: HParamSetting]
        /// The last value of each scalar tag of the run.
        public var lastScalars: [String: Double]
    }

    /// One scalar series of one run, perhaps downsampled.
    public struct ScalarSeries: Sendable, Encodable {
        /// The run.
        public var run: String
        /// Steps of the points drawn.
        public var steps: [Int64]
        /// Values of the points drawn.
        public var values: [Double]
        /// Points the run logged for this tag (more than drawn when downsampled).
        public var total: Int
    }

    /// One scalar tag: a chart.
    public struct ScalarChart: Sendable, Encodable {
        /// The tag.
        public var tag: String
        /// One series per run that logged the tag, in run order.
        public var series: [ScalarSeries]
    }

    /// Histograms of one run and tag rebinned for the ridgeline view (`HistogramRebinning`).
    public struct Ridgelines: Sendable, Encodable {
        /// Left edge of the first bin.
        public var lo: Double
        /// Right edge of the last bin.
        public var hi: Double
        /// Step of each histogram.
        public var steps: [Int64]
        /// Counts per bin, one row per histogram.
        public var bins: [[Double]]
    }

    /// The distribution bands of one histogram.
    public struct DistributionPoint: Sendable, Encodable {
        /// Its step.
        public var step: Int64
        /// The values at `DistributionCompressor.normalBasisPoints`.
        public var bands: [Double]
    }

    /// The histograms of one tag in one run.
    public struct HistogramSeries: Sendable, Encodable {
        /// The run.
        public var run: String
        /// Histograms the run logged for this tag.
        public var total: Int
        /// Bands per step (all of them, or an even thinning that keeps the last).
        public var distribution: [DistributionPoint]
        /// The ridgelines: an even thinning of the histograms (the last kept), rebinned.
        public var ridgelines: Ridgelines
    }

    /// One histogram tag.
    public struct HistogramChart: Sendable, Encodable {
        /// The tag.
        public var tag: String
        /// One series per run that logged the tag.
        public var series: [HistogramSeries]
    }

    /// The latest image of a tag in a run.
    public struct Image: Sendable, Encodable {
        /// The tag.
        public var tag: String
        /// The run.
        public var run: String
        /// Its step.
        public var step: Int64
        /// Width and height as stored beside it (0 when unknown).
        public var width: Int
        /// Height.
        public var height: Int
        /// The image as a `data:` URI.
        public var src: String
    }

    /// The latest text of a tag in a run.
    public struct Text: Sendable, Encodable {
        /// The tag.
        public var tag: String
        /// The run.
        public var run: String
        /// Its step.
        public var step: Int64
        /// The Markdown source (rank-1 and rank-2 tensors joined line by line).
        public var text: String
    }

    /// A problem met while reading.
    public struct Problem: Sendable, Encodable {
        /// The run.
        public var run: String
        /// What went wrong, with the file and byte offset.
        public var message: String
    }

    /// The log directory as given.
    public var logdir: String
    /// Runs sorted by name; their index is their colour.
    public var runs: [Run]
    /// Hyperparameter names over all runs, sorted.
    public var hparamNames: [String]
    /// Metric tags of the hparams experiment, in its order.
    public var metricTags: [String]
    /// Scalar charts sorted by tag.
    public var scalars: [ScalarChart]
    /// Histogram charts sorted by tag.
    public var histograms: [HistogramChart]
    /// Latest images, by tag then run.
    public var images: [Image]
    /// Latest texts, by tag then run.
    public var texts: [Text]
    /// Problems met, by run.
    public var problems: [Problem]
    /// The thinning limits used, so the page can say when a series is downsampled.
    public var limits: Limits
    /// Seed groups (runs that differ only in their seed), one chart per tag; empty when no
    /// group has two runs.
    public var groups: [GroupChart] = []
    /// Each tag's last value as mean ± std over each group's runs.
    public var groupRows: [GroupRow] = []

    /// How much of each series the page keeps.
    public struct Limits: Sendable, Encodable {
        /// Points per scalar series.
        public var scalarPoints: Int
        /// Steps per distribution.
        public var distributionSteps: Int
        /// Histograms per ridgeline view.
        public var histogramSnapshots: Int
    }
}
