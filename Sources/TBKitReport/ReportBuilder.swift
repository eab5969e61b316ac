import TBKit

/// Reads a log directory once and gathers what the report draws (`ReportData`).
///
/// Each run is read with one `EventFileReader` from its first record to its last: scalars are kept
/// whole until the run is done and then downsampled, histograms are compressed into distribution
/// bands as they arrive, and only an even thinning of whole histograms is kept. Damaged records
/// are listed as problems and the rest of the run is still drawn.
public struct ReportBuilder: Sendable {
    /// Points kept per scalar series.
    public var scalarPoints: Int
    /// Steps kept per distribution.
    public var distributionSteps: Int
    /// Histograms kept per ridgeline view.
    public var histogramSnapshots: Int

    /// A builder with the given limits (the defaults keep a million-point logdir to a few MB).
    public init(scalarPoints: Int = 2000, distributionSteps: Int = 500, histogramSnapshots: Int = 40) {
        self.scalarPoints = scalarPoints
        self.distributionSteps = distributionSteps
        self.histogramSnapshots = histogramSnapshots
    }

    /// Reads every run under `logdir` (or the single event file it names).
    public func build(logdir: String) throws(LogDirectoryError) -> ReportData {
        build(runs: try RunDirectory.discover(logdir: logdir), label: logdir)
    }

    /// Reads runs of one or more sources (see `LogSources`), each under its name among them;
    /// `label` names the whole on the page.
    public func build(runs sourced: [SourcedRun], label: String) -> ReportData {
        build(runs: sourced.map(\.named), label: label)
    }

    private func build(runs: [RunDirectory], label logdir: String) -> ReportData {
        var data = ReportData(
            logdir: logdir, runs: [], hparamNames: [], metricTags: [], scalars: [], histograms: [], images: [],
            texts: [], problems: [],
            limits: .init(
                scalarPoints: scalarPoints, distributionSteps: distributionSteps,
                histogramSnapshots: histogramSnapshots))
        var scalarCharts: [String: [ReportData.ScalarSeries]] = [:]
        var histogramCharts: [String: [ReportData.HistogramSeries]] = [:]
        var hparamNames: Set<String> = []
        for run in runs {
            let read = readRun(run)
            data.runs.append(read.run)
            hparamNames.formUnion(read.run.hparams.keys)
            if data.metricTags.isEmpty, let tags = read.metricTags { data.metricTags = tags }
            for s in read.scalars { scalarCharts[s.tag, default: []].append(s.series) }
            for h in read.histograms { histogramCharts[h.tag, default: []].append(h.series) }
            data.images += read.images
            data.texts += read.texts
            data.problems += read.problems.map { ReportData.Problem(run: run.name, message: $0.description) }
        }
        data.hparamNames = hparamNames.sortedShared()
        data.scalars = scalarCharts.keys.sortedShared().map {
            ReportData.ScalarChart(tag: $0, series: scalarCharts[$0]!)
        }
        data.histograms = histogramCharts.keys.sortedShared().map {
            ReportData.HistogramChart(tag: $0, series: histogramCharts[$0]!)
        }
        data.images.sortShared { ($0.tag, $0.run) < ($1.tag, $1.run) }
        data.texts.sortShared { ($0.tag, $0.run) < ($1.tag, $1.run) }
        (data.groups, data.groupRows) = ReportGroups.make(runs: runs, points: scalarPoints)
        return data
    }

    private struct RunRead {
        var run: ReportData.Run
        var metricTags: [String]?
        var scalars: [(tag: String, series: ReportData.ScalarSeries)]
        var histograms: [(tag: String, series: ReportData.HistogramSeries)]
        var images: [ReportData.Image]
        var texts: [ReportData.Text]
        var problems: [ReadProblem]
    }

    private final class ScalarAccumulator {
        var steps: [Int64] = []
        var values: [Double] = []
    }

    /// The accumulators of the last few tags of plain scalars, by the tags' stored bytes, so a
    /// run that cycles through a handful of tags makes no String per point.
    private struct RecentTags {
        private var keys: [[UInt8]] = []
        private var accumulators: [ScalarAccumulator] = []
        private var next = 0
        private static let size = 16

        /// The accumulator of the tag stored as `tag`; `make` finds or makes it by the tag's text.
        mutating func accumulator(
            for tag: UnsafeRawBufferPointer, make: (String) -> ScalarAccumulator
        ) -> ScalarAccumulator {
            for i in keys.indices where keys[i].elementsEqualBytes(tag) { return accumulators[i] }
            let acc = make(String(decoding: tag, as: UTF8.self))
            if keys.count < Self.size {
                keys.append(Array(tag))
                accumulators.append(acc)
            } else {
                keys[next] = Array(tag)
                accumulators[next] = acc
                next = (next + 1) % Self.size
            }
            return acc
        }
    }

    private final class HistogramAccumulator {
        var distribution: StrideSampler<ReportData.DistributionPoint>
        var snapshots: StrideSampler<HistogramPoint>
        init(distribution: Int, snapshots: Int) {
            self.distribution = StrideSampler(limit: distribution)
            self.snapshots = StrideSampler(limit: snapshots)
        }
    }

    private func readRun(_ run: RunDirectory) -> RunRead {
        // Points a later record superseded (a step logged again, a resume's purge) are not drawn.
        var plan = SupersededPoints.scan(EventFileReader(files: run.eventFiles))
        let checks = !plan.isTrivial
        let reader = EventFileReader(files: run.eventFiles)
        var classifier = ValueClassifier()
        var scalars: [String: ScalarAccumulator] = [:]
        var histograms: [String: HistogramAccumulator] = [:]
        var images: [String: ReportData.Image] = [:]
        var texts: [String: ReportData.Text] = [:]
        var hparams: [String: HParamSetting] = [:]
        var metricTags: [String]?
        var events = 0
        var firstWall: Double?
        var lastWall: Double?
        var firstStep: Int64?
        var lastStep: Int64?
        // The last accumulator used, so a run of one tag does not hash its tag per point.
        var lastTag = ""
        var lastAccumulator: ScalarAccumulator?
        // Plain v1 scalars come straight from their records; their accumulators by stored tag bytes.
        var recentTags = RecentTags()
        while let record = reader.nextEventOrPlainScalar() {
            guard plan.covers(record: reader.recordOrdinal) else { break }
            events += 1
            let event: Event
            switch record {
            case .plainScalar(let s):
                let position = SupersededPoints.position(record: reader.recordOrdinal, index: 0)
                if checks && !plan.keeps(bytes: s.tag, step: s.step, position: position) { continue }
                // What the classifier makes of a simple_value: a float32 scalar, whatever the tag's metadata.
                if firstWall.map({ s.wallTime < $0 }) ?? true { firstWall = s.wallTime }
                if lastWall.map({ s.wallTime > $0 }) ?? true { lastWall = s.wallTime }
                if firstStep.map({ s.step < $0 }) ?? true { firstStep = s.step }
                if lastStep.map({ s.step > $0 }) ?? true { lastStep = s.step }
                let acc = recentTags.accumulator(for: s.tag) { tag in
                    if let a = scalars[tag] { return a }
                    let a = ScalarAccumulator()
                    scalars[tag] = a
                    return a
                }
                acc.steps.append(s.step)
                acc.values.append(Double(s.value))
                continue
            case .event(let decoded):
                event = decoded
            }
            // The span covers every event, whatever order the files give their times in.
            if firstWall.map({ event.wallTime < $0 }) ?? true { firstWall = event.wallTime }
            if lastWall.map({ event.wallTime > $0 }) ?? true { lastWall = event.wallTime }
            guard case .summary(let summary) = event.what else { continue }
            for (index, value) in summary.values.enumerated() {
                if case .none = value.kind { continue }
                let step = event.step
                let position = SupersededPoints.position(record: reader.recordOrdinal, index: index)
                if checks && !plan.keeps(tag: value.tag, step: step, position: position) { continue }
                if firstStep.map({ step < $0 }) ?? true { firstStep = step }
                if lastStep.map({ step > $0 }) ?? true { lastStep = step }
                switch classifier.classify(value, step: step, wallTime: event.wallTime) {
                case .scalar(let s):
                    let acc: ScalarAccumulator
                    if let a = lastAccumulator, lastTag == s.tag {
                        acc = a
                    } else if let a = scalars[s.tag] {
                        acc = a
                    } else {
                        acc = ScalarAccumulator()
                        scalars[s.tag] = acc
                    }
                    lastTag = s.tag
                    lastAccumulator = acc
                    acc.steps.append(s.step)
                    acc.values.append(s.value)
                case .histogram(let h):
                    let acc: HistogramAccumulator
                    if let a = histograms[h.tag] {
                        acc = a
                    } else {
                        acc = HistogramAccumulator(distribution: distributionSteps, snapshots: histogramSnapshots)
                        histograms[h.tag] = acc
                    }
                    acc.distribution.add(
                        .init(step: h.step, bands: DistributionCompressor.compress(h.buckets)))
                    acc.snapshots.add(h)
                case .other(let o):
                    switch o.pluginName {
                    case .images:
                        if let image = Self.image(o, run: run.name) { images[o.tag] = image }
                    case .text:
                        if let text = Self.text(o) {
                            texts[o.tag] = ReportData.Text(tag: o.tag, run: run.name, step: o.step, text: text)
                        }
                    case .hparams:
                        if o.tag == HParams.sessionStartTag, let h = HParamsRecord.sessionHParams(o.pluginContent) {
                            hparams = h
                        } else if o.tag == HParams.experimentTag,
                            let tags = HParamsRecord.experimentMetricTags(o.pluginContent)
                        {
                            metricTags = tags
                        }
                    default:
                        break
                    }
                }
            }
        }
        let problems = reader.readProblems
        let downsampler = ScalarDownsampler(maxPoints: scalarPoints)
        var lastScalars: [String: Double] = [:]
        var scalarSeries: [(String, ReportData.ScalarSeries)] = []
        for tag in scalars.keys.sortedShared() {
            guard let acc = scalars[tag], let lastValue = acc.values.last else { continue }
            lastScalars[tag] = lastValue
            let kept = downsampler.keptIndices(values: acc.values)
            scalarSeries.append(
                (
                    tag,
                    ReportData.ScalarSeries(
                        run: run.name, steps: kept.map { acc.steps[$0] }, values: kept.map { acc.values[$0] },
                        total: acc.values.count)
                ))
        }
        var histogramSeries: [(String, ReportData.HistogramSeries)] = []
        for tag in histograms.keys.sortedShared() {
            guard let acc = histograms[tag] else { continue }
            let ridgelines = HistogramRebinning.rebin(acc.snapshots.result())
            histogramSeries.append(
                (
                    tag,
                    ReportData.HistogramSeries(
                        run: run.name, total: acc.distribution.count, distribution: acc.distribution.result(),
                        ridgelines: ridgelines)
                ))
        }
        let info = ReportData.Run(
            name: run.name, files: run.eventFiles.count, events: events, firstStep: firstStep, lastStep: lastStep,
            firstWallTime: firstWall, lastWallTime: lastWall, hparams: hparams, lastScalars: lastScalars)
        return RunRead(
            run: info, metricTags: metricTags, scalars: scalarSeries, histograms: histogramSeries,
            images: images.values.map { $0 }, texts: texts.values.map { $0 }, problems: problems)
    }

    /// The image of a v1 image value or of a v2 image tensor (`[width, height, image...]`, the
    /// first image shown), when its bytes are a format browsers draw.
    static func image(_ o: OtherValue, run: String) -> ReportData.Image? {
        var bytes: [UInt8]
        var width = 0
        var height = 0
        switch o.kind {
        case .image(let v):
            bytes = v.encodedImage
            width = Int(v.width)
            height = Int(v.height)
        case .tensor(let t) where t.dtype == .string && t.stringValues.count >= 3:
            bytes = t.stringValues[2]
            width = IntegerText.int(String(decoding: t.stringValues[0], as: UTF8.self)) ?? 0
            height = IntegerText.int(String(decoding: t.stringValues[1], as: UTF8.self)) ?? 0
        default:
            return nil
        }
        guard let mime = imageType(bytes) else { return nil }
        defer { bytes = [] }
        return ReportData.Image(
            tag: o.tag, run: run, step: o.step, width: width, height: height,
            src: "data:\(mime);base64," + Base64.encode(bytes))
    }

    /// The MIME type of PNG, JPEG, GIF and WebP bytes, from their signature; nil otherwise.
    static func imageType(_ b: [UInt8]) -> String? {
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if b.starts(with: Array("GIF8".utf8)) { return "image/gif" }
        if b.count >= 12 && b.starts(with: Array("RIFF".utf8)) && Array(b[8..<12]) == Array("WEBP".utf8) {
            return "image/webp"
        }
        return nil
    }

    /// The Markdown of a text tensor: a rank-0 string as it is, a vector line by line, a matrix as
    /// a Markdown table (TensorBoard draws both as tables).
    static func text(_ o: OtherValue) -> String? {
        guard case .tensor(let t) = o.kind, t.dtype == .string, !t.stringValues.isEmpty else { return nil }
        let strings = t.stringValues.map { String(decoding: $0, as: UTF8.self) }
        if t.shape.count == 2, t.shape[1] > 0, Int64(strings.count) == t.shape[0] * t.shape[1] {
            let columns = Int(t.shape[1])
            var lines: [String] = []
            for row in 0..<(strings.count / columns) {
                let cells = strings[(row * columns)..<((row + 1) * columns)].map {
                    $0.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
                }
                lines.append("| " + cells.joined(separator: " | ") + " |")
                if row == 0 { lines.append("|" + String(repeating: " --- |", count: columns)) }
            }
            return lines.joined(separator: "\n")
        }
        return strings.joined(separator: "\n\n")
    }
}

extension [UInt8] {
    /// Whether these bytes are exactly `other`'s.
    fileprivate func elementsEqualBytes(_ other: UnsafeRawBufferPointer) -> Bool {
        guard count == other.count else { return false }
        return withUnsafeBytes { mine in mine.elementsEqual(other) }
    }
}
