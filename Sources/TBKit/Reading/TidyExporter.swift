/// Streams scalars or histograms of a log directory as tidy rows (CSV or JSON Lines), one run and
/// one record at a time, so memory stays flat whatever the size of the logs.
///
/// Scalar rows: `run,tag,step,wall_time,value`. Histogram rows: one per bucket
/// `run,tag,step,wall_time,left,right,count`, or with `statistics` one per histogram
/// `run,tag,step,wall_time,min,max,num,sum,mean,std`. Numbers print in their shortest exact form
/// (float32 values as float32); non-finite numbers print as `nan`, `inf`, `-inf` in CSV and as the
/// strings "NaN", "Infinity", "-Infinity" in JSON Lines.
public struct TidyExporter: Sendable {
    /// Output syntax.
    public enum Format: String, Sendable, CaseIterable {
        /// Comma-separated values with a header line.
        case csv
        /// One JSON object per line.
        case jsonl
    }

    /// What to export.
    public enum Kind: String, Sendable, CaseIterable {
        /// Scalar points.
        case scalars
        /// Histograms.
        case histograms
    }

    /// Counts of what was written.
    public struct Counts: Sendable, Equatable {
        /// Rows written (header not counted).
        public var rows = 0
        /// Runs read.
        public var runs = 0
        /// Problems met while reading (never fatal).
        public var problems: [ReadProblem] = []
        /// Points of the exported kind left out because a later record superseded them (see
        /// `SupersededPoints`).
        public var superseded = 0

        /// No rows, runs or problems yet.
        public init() {}
    }

    /// Output syntax.
    public var format: Format
    /// Scalars or histograms.
    public var kind: Kind
    /// Histograms: one row per histogram with statistics instead of one per bucket.
    public var statistics: Bool
    /// Only these runs (all when empty).
    public var runs: Set<String>
    /// Adds a `source` column after `run`: the label of the source each run came from (for
    /// exports of several sources).
    public var includesSource = false
    /// Only these tags (all when empty).
    public var tags: Set<String>
    /// Whether records that hold one plain v1 scalar are formatted straight from their bytes
    /// (see `RawScalarEvent`); off only to check, in tests, that both ways write the same rows.
    var formatsRawScalars = true
    /// Values of a scalar run read in one pass before its rows are queued or a first pass is made
    /// (see `readScalarRun`); lowered by tests.
    var heldValues = 1 << 20
    /// Whether tag and run fields are quoted for the format; off for writers that store text as
    /// is (Parquet), which then receive each tag's bare UTF-8 bytes.
    package var quotesFields = true

    /// Makes an exporter.
    public init(
        format: Format = .csv, kind: Kind = .scalars, statistics: Bool = false,
        runs: Set<String> = [], tags: Set<String> = []
    ) {
        self.format = format
        self.kind = kind
        self.statistics = statistics
        self.runs = runs
        self.tags = tags
    }

    /// The column names in order.
    public var columns: [String] {
        let lead =
            includesSource ? ["run", "source", "tag", "step", "wall_time"] : ["run", "tag", "step", "wall_time"]
        return lead + valueColumns
    }

    /// The columns after `wall_time`.
    var valueColumns: [String] {
        switch (kind, statistics) {
        case (.scalars, _): return ["value"]
        case (.histograms, false): return ["left", "right", "count"]
        case (.histograms, true): return ["min", "max", "num", "sum", "mean", "std"]
        }
    }

    /// Writes the rows for every run under `logdir` to `sink`, in chunks of text (each ends with a
    /// newline). Runs are in name order, points in file order; points a later record superseded
    /// (a step logged again, a resume's purge; see `SupersededPoints`) are left out, as
    /// TensorBoard leaves them out.
    @_optimize(none)  // a thin adapter: keeps the optimizer from cloning the row loops for this closure
    public func export(logdir: String, to sink: (String) -> Void) throws(LogDirectoryError) -> Counts {
        try export(logdir: logdir, bytes: { sink(String(decoding: $0, as: UTF8.self)) })
    }

    /// Writes the rows as UTF-8 bytes, in chunks of about 256 KiB that each end with a newline; the
    /// buffer is only valid during the call. Same rows as `export(logdir:to:)`, without the
    /// per-chunk `String`.
    public func export(logdir: String, bytes sink: (UnsafeBufferPointer<UInt8>) -> Void) throws(LogDirectoryError)
        -> Counts
    {
        let runs = try RunDirectory.discover(logdir: logdir).map { SourcedRun(name: $0.name, source: logdir, run: $0) }
        return export(runs: runs, bytes: sink)
    }

    /// The same rows for runs of one or more sources (see `LogSources`), named as given; with
    /// `includesSource`, each row names its run's source.
    public func export(runs sourced: [SourcedRun], bytes sink: (UnsafeBufferPointer<UInt8>) -> Void) -> Counts {
        let chosen = sourced.filter { self.runs.isEmpty || self.runs.contains($0.name) }
        let runs = chosen.map(\.named)
        var counts = Counts()
        counts.runs = runs.count
        var rows = TidyRows(exporter: self)
        if format == .csv {
            rows.out.append(Array(columns.joined(separator: ",").utf8))
            rows.out.append(byte: 0x0A)
        }
        // Decoding runs on a second thread while this one formats and hands out the rows.
        let queue = startReading(runs)
        var current = -1
        while let batch = queue.take() {
            if batch.run != current {
                current = batch.run
                rows.startRun(field: runField(chosen[current]))
            }
            counts.rows += rows.rows(of: batch, sink)
            if let problems = batch.problems { counts.problems += problems }
            counts.superseded += batch.superseded
        }
        if rows.out.count > 0 { rows.out.flush(sink) }
        return counts
    }

    /// The bytes of a run's leading field: its name, and with `includesSource` its source too
    /// (CSV `run,source`; JSON Lines `"run","source":"label"`, which the row's `{"run":` opens).
    func runField(_ run: SourcedRun) -> [UInt8] {
        guard includesSource else { return Array(field(run.name).utf8) }
        switch format {
        case .csv: return Array((field(run.name) + "," + field(run.source)).utf8)
        case .jsonl: return Array((field(run.name) + ",\"source\":" + field(run.source)).utf8)
        }
    }

    /// Bytes handed to the sink at a time (whole rows, so a little more).
    package static let chunkSize = 1 << 18

    /// A number in the format's syntax, appended.
    static func appendNumber(_ x: Double, float32: Bool, format: Format, to out: inout TidyRowBuffer) {
        if x.isFinite {
            if float32 { out.append(formatted: Float(x)) } else { out.append(formatted: x) }
            return
        }
        switch format {
        case .csv: out.append(x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf"))
        case .jsonl: out.append(x.isNaN ? "\"NaN\"" : (x > 0 ? "\"Infinity\"" : "\"-Infinity\""))
        }
    }

    /// A text field quoted for the format (CSV quotes only when needed).
    func field(_ s: String) -> String {
        guard quotesFields else { return s }
        switch format {
        case .csv: return TidyExporter.csvField(s)
        case .jsonl: return TidyExporter.jsonString(s)
        }
    }

    /// RFC 4180 quoting: wraps in quotes (doubling inner quotes) when the text has a comma, quote,
    /// or line break.
    package static func csvField(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) { return s }
        var out = "\""
        for c in s { if c == "\"" { out += "\"\"" } else { out.append(c) } }
        return out + "\""
    }

    /// A JSON string literal with the required escapes.
    package static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

/// The row formatting state of one export: the output buffer, the value column labels, the number
/// caches and the current run's field. Not copyable (it owns raw buffers).
struct TidyRows: ~Copyable {
    let format: TidyExporter.Format
    var out = TidyRowBuffer(capacity: TidyExporter.chunkSize + 4096)
    /// The labels before each value column (`,` in CSV, `,"name":` in JSON Lines).
    let names: [[UInt8]]
    // Raw copies of the first three labels for the per-row paths (no reference counting there).
    let label0: TidyRowBuffer
    let label1: TidyRowBuffer
    let label2: TidyRowBuffer
    let edges = TidyNumberCache()
    let values = TidyNumberCache()
    let floats = TidyNumberCache()
    /// Wall times: the rows of one step often share one.
    let wallTimes = TidyNumberCache()
    /// The leading columns of the histogram being written.
    var start = TidyRowBuffer(capacity: 256)
    var run: [UInt8] = []
    /// Quoted tag fields of the current run.
    var tagFields: [String: [UInt8]] = [:]
    /// The quoted tag field of each tag slot of the current run (see `TidyBatch`).
    var slotFields = [[UInt8]](repeating: [], count: TagSlots.count)
    let exporter: TidyExporter

    init(exporter: TidyExporter) {
        self.exporter = exporter
        format = exporter.format
        names = exporter.valueColumns.map { name in
            switch exporter.format {
            case .csv: return [0x2C]
            case .jsonl: return Array(",\"\(name)\":".utf8)
            }
        }
        label0 = TidyRowBuffer(copying: names[0])
        label1 = TidyRowBuffer(copying: names.count > 1 ? names[1] : [])
        label2 = TidyRowBuffer(copying: names.count > 2 ? names[2] : [])
    }

    /// Starts the rows of a run whose quoted name is `field`.
    mutating func startRun(field: [UInt8]) {
        run = field
        tagFields.removeAll(keepingCapacity: true)
        for i in slotFields.indices { slotFields[i] = [] }
    }

    /// The rows of one batch, handing out full chunks. Returns the number of rows.
    mutating func rows(of batch: borrowing TidyBatch, _ sink: (UnsafeBufferPointer<UInt8>) -> Void) -> Int {
        for (slot, field) in batch.slotFields { slotFields[slot] = field }
        let count = batch.tags.count
        batch.tags.withUnsafeBufferPointer { tags in
            batch.steps.withUnsafeBufferPointer { steps in
                batch.walls.withUnsafeBufferPointer { walls in
                    batch.values.withUnsafeBufferPointer { values in
                        for i in 0..<count {
                            let t = tags[i]
                            slotFields[Int(t & ~TidyBatch.float32)].withUnsafeBufferPointer {
                                scalar(tag: $0, steps[i], walls[i], values[i], float32: t & TidyBatch.float32 != 0)
                            }
                            if out.count >= TidyExporter.chunkSize { out.flush(sink) }
                        }
                    }
                }
            }
        }
        var rows = count
        for h in batch.histograms {
            rows += exporter.statistics ? statistics(h) : buckets(h, sink)
            if out.count >= TidyExporter.chunkSize { out.flush(sink) }
        }
        return rows
    }

    /// The quoted field of `tag`, kept for the run (up to 4096 tags).
    mutating func tagField(_ tag: String) -> [UInt8] {
        if let known = tagFields[tag] { return known }
        let bytes = Array(exporter.field(tag).utf8)
        if tagFields.count < 4096 { tagFields[tag] = bytes }
        return bytes
    }

    /// A scalar row from bytes already quoted for the tag.
    mutating func scalar(tag: UnsafeBufferPointer<UInt8>, _ step: Int64, _ wall: Double, _ x: Double, float32: Bool) {
        TidyRows.prefix(&out, format, run, tag, step, wall, wallTimes)
        out.append(label0)
        if float32 {
            floats.append(x, float32: true, format: format, to: &out)
        } else {
            values.append(x, float32: false, format: format, to: &out)
        }
        endRow()
    }

    /// One row with the histogram's statistics. Returns 1.
    mutating func statistics(_ h: HistogramPoint) -> Int {
        let field = tagField(h.tag)
        field.withUnsafeBufferPointer { TidyRows.prefix(&out, format, run, $0, h.step, h.wallTime, wallTimes) }
        let stats = [h.min, h.max, h.num, h.sum, h.mean, h.standardDeviation]
        for (i, x) in stats.enumerated() {
            out.append(names[i])
            values.append(x, float32: false, format: format, to: &out)
        }
        endRow()
        return 1
    }

    /// One row per bucket of the histogram. Returns the number of rows.
    mutating func buckets(_ h: HistogramPoint, _ sink: (UnsafeBufferPointer<UInt8>) -> Void) -> Int {
        // The leading columns are the same for every bucket of the point: format once.
        start.removeAll()
        let field = tagField(h.tag)
        field.withUnsafeBufferPointer { TidyRows.prefix(&start, format, run, $0, h.step, h.wallTime, wallTimes) }
        for b in h.buckets {
            out.append(start)
            out.append(label0)
            edges.append(b.left, float32: false, format: format, to: &out)
            out.append(label1)
            edges.append(b.right, float32: false, format: format, to: &out)
            out.append(label2)
            appendCount(b.count)
            endRow()
            if out.count >= TidyExporter.chunkSize { out.flush(sink) }
        }
        return h.buckets.count
    }

    /// The leading columns (run, tag, step, wall_time) of a row.
    private static func prefix(
        _ out: inout TidyRowBuffer, _ format: TidyExporter.Format, _ run: [UInt8], _ tag: UnsafeBufferPointer<UInt8>,
        _ step: Int64, _ wall: Double, _ wallTimes: borrowing TidyNumberCache
    ) {
        switch format {
        case .csv:
            out.append(run)
            out.append(byte: 0x2C)
            out.append(tag)
            out.append(byte: 0x2C)
            out.append(integer: step)
            out.append(byte: 0x2C)
        case .jsonl:
            out.append("{\"run\":")
            out.append(run)
            out.append(",\"tag\":")
            out.append(tag)
            out.append(",\"step\":")
            out.append(integer: step)
            out.append(",\"wall_time\":")
        }
        wallTimes.append(wall, float32: false, format: format, to: &out)
    }

    private mutating func endRow() {
        if format == .jsonl { out.append(byte: 0x7D) }
        out.append(byte: 0x0A)
    }

    /// A bucket count: whole numbers (the usual case) print without the float formatter, in the
    /// same form `Double.description` gives them ("12.0").
    private mutating func appendCount(_ x: Double) {
        if x >= 0 && x < 1e15, x == x.rounded(.towardZero) {
            out.append(integer: Int64(x))
            out.append(byte: 0x2E)
            out.append(byte: 0x30)
        } else {
            values.append(x, float32: false, format: format, to: &out)
        }
    }
}
