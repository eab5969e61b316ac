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
        /// Problems met while reading, as sentences (also counted, never fatal).
        public var problems: [String] = []
    }

    /// Output syntax.
    public var format: Format
    /// Scalars or histograms.
    public var kind: Kind
    /// Histograms: one row per histogram with statistics instead of one per bucket.
    public var statistics: Bool
    /// Only these runs (all when empty).
    public var runs: Set<String>
    /// Only these tags (all when empty).
    public var tags: Set<String>

    /// Makes an exporter.
    public init(format: Format = .csv, kind: Kind = .scalars, statistics: Bool = false,
                runs: Set<String> = [], tags: Set<String> = []) {
        self.format = format
        self.kind = kind
        self.statistics = statistics
        self.runs = runs
        self.tags = tags
    }

    /// The column names in order.
    public var columns: [String] {
        switch (kind, statistics) {
        case (.scalars, _): return ["run", "tag", "step", "wall_time", "value"]
        case (.histograms, false): return ["run", "tag", "step", "wall_time", "left", "right", "count"]
        case (.histograms, true): return ["run", "tag", "step", "wall_time", "min", "max", "num", "sum", "mean", "std"]
        }
    }

    /// Writes the rows for every run under `logdir` to `sink`, in chunks of text (each ends with a
    /// newline). Runs are in name order, points in file order.
    public func export(logdir: String, to sink: (String) -> Void) throws(LogDirectoryError) -> Counts {
        var counts = Counts()
        if format == .csv { sink(columns.joined(separator: ",") + "\n") }
        var out = ""
        out.reserveCapacity(1 << 16)
        for run in try RunDirectory.discover(logdir: logdir) {
            if !runs.isEmpty && !runs.contains(run.name) { continue }
            counts.runs += 1
            let reader = EventFileReader(files: run.eventFiles)
            let runField = field(run.name)
            while let value = reader.nextValue() {
                switch (kind, value) {
                case (.scalars, .scalar(let p)):
                    if !tags.isEmpty && !tags.contains(p.tag) { continue }
                    row(&out, runField, p.tag, p.step, p.wallTime, [number(p.value, float32: p.dtype == .float)])
                    counts.rows += 1
                case (.histograms, .histogram(let h)):
                    if !tags.isEmpty && !tags.contains(h.tag) { continue }
                    if statistics {
                        row(&out, runField, h.tag, h.step, h.wallTime,
                            [h.min, h.max, h.num, h.sum, h.mean, h.standardDeviation].map { number($0) })
                        counts.rows += 1
                    } else {
                        let start = prefix(runField, h.tag, h.step, h.wallTime)
                        // A bucket's left edge is usually the previous one's right edge: format it once.
                        var previousRight = Double.nan
                        var previousRightText = ""
                        for b in h.buckets {
                            let left = b.left.bitPattern == previousRight.bitPattern ? previousRightText : number(b.left)
                            let right = number(b.right)
                            bucketRow(&out, prefix: start, left, right, count(b.count))
                            previousRight = b.right
                            previousRightText = right
                            counts.rows += 1
                        }
                    }
                default:
                    continue
                }
                if out.utf8.count >= 1 << 16 {
                    sink(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
            counts.problems += reader.problems.map(\.description)
        }
        if !out.isEmpty { sink(out) }
        return counts
    }

    /// The leading columns (run, tag, step, wall_time) of every row of one point, formatted once.
    private func prefix(_ run: String, _ tag: String, _ step: Int64, _ wall: Double) -> String {
        switch format {
        case .csv:
            return run + "," + field(tag) + "," + String(step) + "," + number(wall)
        case .jsonl:
            return "{\"run\":" + run + ",\"tag\":" + field(tag) + ",\"step\":" + String(step)
                + ",\"wall_time\":" + number(wall)
        }
    }

    private func row(_ out: inout String, _ run: String, _ tag: String, _ step: Int64, _ wall: Double, _ values: [String]) {
        // Appended piece by piece: no temporary strings on the one-row-per-point path.
        switch format {
        case .csv:
            out += run; out += ","; out += field(tag); out += ","
            out += String(step); out += ","; out += number(wall)
        case .jsonl:
            out += "{\"run\":"; out += run; out += ",\"tag\":"; out += field(tag)
            out += ",\"step\":"; out += String(step); out += ",\"wall_time\":"; out += number(wall)
        }
        row(&out, prefix: "", values)
    }

    private func row(_ out: inout String, prefix: String, _ values: [String]) {
        out += prefix
        switch format {
        case .csv:
            for v in values { out += ","; out += v }
            out += "\n"
        case .jsonl:
            let names = columns
            for (i, v) in values.enumerated() {
                out += ",\""; out += names[4 + i]; out += "\":"; out += v
            }
            out += "}\n"
        }
    }

    /// One histogram bucket row after its leading columns, without temporaries.
    private func bucketRow(_ out: inout String, prefix: String, _ left: String, _ right: String, _ count: String) {
        out += prefix
        switch format {
        case .csv:
            out += ","; out += left; out += ","; out += right; out += ","; out += count; out += "\n"
        case .jsonl:
            out += ",\"left\":"; out += left; out += ",\"right\":"; out += right
            out += ",\"count\":"; out += count; out += "}\n"
        }
    }

    /// A bucket count: whole numbers (the usual case) print without the float formatter, in the
    /// same form `Double.description` gives them ("12.0").
    func count(_ x: Double) -> String {
        if x >= 0 && x < 1e15, x == x.rounded(.towardZero) {
            return String(Int64(x)) + ".0"
        }
        return number(x)
    }

    /// A text field quoted for the format (CSV quotes only when needed).
    func field(_ s: String) -> String {
        switch format {
        case .csv: return TidyExporter.csvField(s)
        case .jsonl: return TidyExporter.jsonString(s)
        }
    }

    /// A number in the format's syntax.
    func number(_ x: Double, float32: Bool = false) -> String {
        if x.isFinite {
            return float32 ? Float(x).description : x.description
        }
        switch format {
        case .csv: return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf")
        case .jsonl: return x.isNaN ? "\"NaN\"" : (x > 0 ? "\"Infinity\"" : "\"-Infinity\"")
        }
    }

    /// RFC 4180 quoting: wraps in quotes (doubling inner quotes) when the text has a comma, quote,
    /// or line break.
    public static func csvField(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) { return s }
        var out = "\""
        for c in s { if c == "\"" { out += "\"\"" } else { out.append(c) } }
        return out + "\""
    }

    /// A JSON string literal with the required escapes.
    public static func jsonString(_ s: String) -> String {
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
