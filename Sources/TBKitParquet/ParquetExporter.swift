import TBKit

/// Writes the scalars or histograms of a log directory as Parquet, with the same rows and columns
/// as `TidyExporter`'s CSV: run and tag as dictionary-encoded UTF-8 strings, step as INT64,
/// wall_time and every value column as DOUBLE (float32 values widened exactly), GZIP pages, and
/// min/max/null_count statistics on every column chunk. Row groups of bounded size keep memory
/// flat. Reading and decoding run on a second thread, as for CSV.
///
/// A file is written under a temporary name and renamed into place when whole; with
/// `partitionByRun`, each run goes to `DIR/run=<name>/part-0.parquet` (Hive-style, the name
/// percent-encoded where a path needs it), as pyarrow, DuckDB and Polars read datasets.
public struct ParquetExporter: Sendable {
    /// Scalars or histograms.
    public var kind: TidyExporter.Kind
    /// Histograms: one row per histogram with statistics instead of one per bucket.
    public var statistics: Bool
    /// Only these runs (all when empty).
    public var runs: Set<String>
    /// Only these tags (all when empty).
    public var tags: Set<String>
    /// Rows per row group (bounds the memory an export holds).
    public var rowGroupSize = 1 << 19

    /// Makes an exporter.
    public init(
        kind: TidyExporter.Kind = .scalars, statistics: Bool = false, runs: Set<String> = [], tags: Set<String> = []
    ) {
        self.kind = kind
        self.statistics = statistics
        self.runs = runs
        self.tags = tags
    }

    /// The column names in order (the CSV export's).
    public var columns: [String] { tidy.columns }

    private var tidy: TidyExporter {
        var t = TidyExporter(format: .csv, kind: kind, statistics: statistics, runs: runs, tags: tags)
        t.quotesFields = false
        return t
    }

    /// Writes one Parquet file at `path` (replacing any file there only once the new one is whole).
    public func export(logdir: String, toFile path: String) throws(ParquetError) -> TidyExporter.Counts {
        try export(logdir: logdir, to: .file(path))
    }

    /// Writes one Parquet file as a stream of bytes (standard output, a pipe): Parquet needs no
    /// seeking, the footer comes last. The buffer is only valid during the call.
    public func export(
        logdir: String, bytes sink: @escaping (UnsafeRawBufferPointer) throws(ParquetError) -> Void
    ) throws(ParquetError) -> TidyExporter.Counts {
        try export(logdir: logdir, to: .stream(sink))
    }

    /// Writes a Hive-style dataset under `directory`: `run=<name>/part-0.parquet` for every run
    /// with rows. Directories are created as needed; a file already there is replaced.
    public func export(logdir: String, toDataset directory: String) throws(ParquetError) -> TidyExporter.Counts {
        try ParquetExporter.makeDirectories(directory)
        return try export(logdir: logdir, to: .dataset(directory))
    }

    /// Writes the runs of one or more sources (see `LogSources`), named as given, to one file at
    /// `path`.
    public func export(runs sourced: [SourcedRun], toFile path: String) throws(ParquetError) -> TidyExporter.Counts {
        try export(found: sourced.map(\.named), to: .file(path))
    }

    /// Writes the runs of one or more sources as one Parquet stream (see
    /// `export(logdir:bytes:)`).
    public func export(
        runs sourced: [SourcedRun], bytes sink: @escaping (UnsafeRawBufferPointer) throws(ParquetError) -> Void
    ) throws(ParquetError) -> TidyExporter.Counts {
        try export(found: sourced.map(\.named), to: .stream(sink))
    }

    /// Writes the runs of one or more sources as a Hive-style dataset under `directory` (see
    /// `export(logdir:toDataset:)`).
    public func export(runs sourced: [SourcedRun], toDataset directory: String) throws(ParquetError)
        -> TidyExporter.Counts
    {
        try ParquetExporter.makeDirectories(directory)
        return try export(found: sourced.map(\.named), to: .dataset(directory))
    }

    /// A run name as a Hive partition value: bytes other than ASCII letters, digits and `-_.~`
    /// percent-encoded (so a nested run `a/b` stays one directory), as readers decode them.
    package static func partitionValue(_ run: String) -> String {
        var out = ""
        for b in run.utf8 {
            let plain =
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == 0x2D || b == 0x5F || b == 0x2E || b == 0x7E
            if plain {
                out.append(Character(Unicode.Scalar(b)))
            } else {
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    private static func makeDirectories(_ path: String) throws(ParquetError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if (try? Platform.status(prefix))??.isDirectory != true {
                do {
                    try Platform.makeDirectory(prefix)
                } catch {
                    // Made meanwhile by someone else is fine.
                    if (try? Platform.status(prefix))??.isDirectory != true {
                        throw ParquetError.io(path: prefix, operation: "create directory", reason: "\(error)")
                    }
                }
            }
            prefix += "/"
        }
    }

    /// The columns of this export, in the CSV's order.
    private func makeColumns() -> [ParquetColumn] {
        columns.enumerated().map { i, name in
            ParquetColumn(name: name, kind: i < 2 ? .dictionaryString : (i == 2 ? .int64 : .double))
        }
    }

    /// Where an export's bytes go. A value rather than a closure per public entry point, so the
    /// export below is compiled once instead of once per entry point.
    private enum Destination {
        /// One file at a path.
        case file(String)
        /// One file as a stream of bytes.
        case stream((UnsafeRawBufferPointer) throws(ParquetError) -> Void)
        /// A Hive-style dataset under a directory (already made): one file per run.
        case dataset(String)

        var partitioned: Bool {
            if case .dataset = self { return true }
            return false
        }

        /// The output of a file: called once, with nil, before the first row of a single file;
        /// for a dataset with each run's name before its first row.
        func open(_ run: String?) throws(ParquetError) -> any ParquetOutput {
            switch self {
            case .file(let path):
                return try ParquetFileOutput(path: path)
            case .stream(let sink):
                return ParquetStreamOutput(sink: sink)
            case .dataset(let directory):
                let runDirectory = directory + "/run=" + ParquetExporter.partitionValue(run ?? ".")
                try ParquetExporter.makeDirectories(runDirectory)
                return try ParquetFileOutput(path: runDirectory + "/part-0.parquet")
            }
        }
    }

    /// The export of a logdir's runs.
    private func export(logdir: String, to destination: Destination) throws(ParquetError) -> TidyExporter.Counts {
        let found: [RunDirectory]
        do { found = try RunDirectory.discover(logdir: logdir) } catch { throw .source(error) }
        return try export(found: found, to: destination)
    }

    /// The export itself, of runs already found (named as they are to appear).
    private func export(found: [RunDirectory], to destination: Destination) throws(ParquetError)
        -> TidyExporter.Counts
    {
        let partitioned = destination.partitioned
        let runs = found.filter { self.runs.isEmpty || self.runs.contains($0.name) }
        var counts = TidyExporter.Counts()
        counts.runs = runs.count
        let columns = makeColumns()
        var file = ParquetRunFile(columns: columns, rowGroupSize: rowGroupSize)
        if !partitioned { try file.start(output: try destination.open(nil)) }
        let queue = tidy.startReading(runs)
        defer { queue.stop() }
        var slotIDs = [UInt32](repeating: 0, count: TagSlots.count)
        var current = -1
        var runID: UInt32 = 0
        let tagColumn = columns[1]
        while let batch = queue.take() {
            if batch.run != current {
                current = batch.run
                runID = columns[0].intern(runs[current].name)
                if partitioned { try file.finish() }
            }
            if let problems = batch.problems { counts.problems += problems }
            counts.superseded += batch.superseded
            guard !batch.tags.isEmpty || !batch.histograms.isEmpty else { continue }
            if partitioned && !file.isOpen { try file.start(output: try destination.open(runs[current].name)) }
            for (slot, field) in batch.slotFields {
                slotIDs[slot] = tagColumn.intern(String(decoding: field, as: UTF8.self))
            }
            counts.rows += try file.append(batch, runID: runID, slotIDs: slotIDs, statistics: statistics)
        }
        try file.finish()
        return counts
    }
}
