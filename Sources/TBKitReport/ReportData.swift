/// Everything the report page draws, as it is embedded in the page (JSON).
///
/// Built in one pass over the log directory by `ReportBuilder`; the page's script draws only
/// from this, so what a test reads back from the page is what was drawn.
public struct ReportData: Sendable, Encodable {
    /// One run: a row of the runs table.
    package struct Run: Sendable, Encodable {
        /// The run name ("." for the log directory itself).
        package var name: String
        /// Event files read.
        package var files: Int
        /// Events read.
        package var events: Int
        /// Smallest and largest step of any value (nil when the run has none).
        package var firstStep: Int64?
        /// Largest step of any value.
        package var lastStep: Int64?
        /// Earliest wall time of any event, seconds since the epoch.
        package var firstWallTime: Double?
        /// Latest wall time of any event.
        package var lastWallTime: Double?
        /// The hparams session's values, by hyperparameter name (empty without a session).
        package var hparams: [String: HParamSetting]
        /// The last value of each scalar tag of the run.
        package var lastScalars: [String: Double]
    }

    /// One scalar series of one run, perhaps downsampled.
    package struct ScalarSeries: Sendable, Encodable {
        /// The run.
        package var run: String
        /// Steps of the points drawn.
        package var steps: [Int64]
        /// Values of the points drawn.
        package var values: [Double]
        /// Points the run logged for this tag (more than drawn when downsampled).
        package var total: Int
    }

    /// One scalar tag: a chart.
    package struct ScalarChart: Sendable, Encodable {
        /// The tag.
        package var tag: String
        /// One series per run that logged the tag, in run order.
        package var series: [ScalarSeries]
    }

    /// Histograms of one run and tag rebinned for the ridgeline view (`HistogramRebinning`).
    package struct Ridgelines: Sendable, Encodable {
        /// Left edge of the first bin.
        package var lo: Double
        /// Right edge of the last bin.
        package var hi: Double
        /// Step of each histogram.
        package var steps: [Int64]
        /// Counts per bin, one row per histogram.
        package var bins: [[Double]]
    }

    /// The distribution bands of one histogram.
    package struct DistributionPoint: Sendable, Encodable {
        /// Its step.
        package var step: Int64
        /// The values at `DistributionCompressor.normalBasisPoints`.
        package var bands: [Double]
    }

    /// The histograms of one tag in one run.
    package struct HistogramSeries: Sendable, Encodable {
        /// The run.
        package var run: String
        /// Histograms the run logged for this tag.
        package var total: Int
        /// Bands per step (all of them, or an even thinning that keeps the last).
        package var distribution: [DistributionPoint]
        /// The ridgelines: an even thinning of the histograms (the last kept), rebinned.
        package var ridgelines: Ridgelines
    }

    /// One histogram tag.
    package struct HistogramChart: Sendable, Encodable {
        /// The tag.
        package var tag: String
        /// One series per run that logged the tag.
        package var series: [HistogramSeries]
    }

    /// The latest image of a tag in a run.
    package struct Image: Sendable, Encodable {
        /// The tag.
        package var tag: String
        /// The run.
        package var run: String
        /// Its step.
        package var step: Int64
        /// Width and height as stored beside it (0 when unknown).
        package var width: Int
        /// Height.
        package var height: Int
        /// The image as a `data:` URI.
        package var src: String
    }

    /// The latest text of a tag in a run.
    package struct Text: Sendable, Encodable {
        /// The tag.
        package var tag: String
        /// The run.
        package var run: String
        /// Its step.
        package var step: Int64
        /// The Markdown source (rank-1 and rank-2 tensors joined line by line).
        package var text: String
    }

    /// A problem met while reading.
    package struct Problem: Sendable, Encodable {
        /// The run.
        package var run: String
        /// What went wrong, with the file and byte offset.
        package var message: String
    }

    /// The log directory as given.
    package var logdir: String
    /// Runs sorted by name; their index is their colour.
    package var runs: [Run]
    /// Hyperparameter names over all runs, sorted.
    package var hparamNames: [String]
    /// Metric tags of the hparams experiment, in its order.
    package var metricTags: [String]
    /// Scalar charts sorted by tag.
    package var scalars: [ScalarChart]
    /// Histogram charts sorted by tag.
    package var histograms: [HistogramChart]
    /// Latest images, by tag then run.
    package var images: [Image]
    /// Latest texts, by tag then run.
    package var texts: [Text]
    /// Problems met, by run.
    package var problems: [Problem]
    /// The thinning limits used, so the page can say when a series is downsampled.
    package var limits: Limits
    /// Seed groups (runs that differ only in their seed), one chart per tag; empty when no
    /// group has two runs.
    package var groups: [GroupChart] = []
    /// Each tag's last value as mean ± std over each group's runs.
    package var groupRows: [GroupRow] = []

    /// How much of each series the page keeps.
    package struct Limits: Sendable, Encodable {
        /// Points per scalar series.
        package var scalarPoints: Int
        /// Steps per distribution.
        package var distributionSteps: Int
        /// Histograms per ridgeline view.
        package var histogramSnapshots: Int
    }
}
