import ArgumentParser
import TBKit
import TBKitParquet

/// `tbkit export`: scalars or histograms as tidy CSV or JSON Lines rows, streamed, or as Parquet.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export scalars or histograms as tidy CSV, JSON Lines or Parquet.",
        discussion: """
            Scalars give one row per point: run,tag,step,wall_time,value. Histograms give one row \
            per bucket: run,tag,step,wall_time,left,right,count; with --stats one row per \
            histogram: run,tag,step,wall_time,min,max,num,sum,mean,std. Rows stream out as the \
            files are read, so memory stays flat for any size of logs. Float32 values print in \
            their shortest float32 form; NaN and infinities print as nan/inf (CSV) or as the \
            strings "NaN"/"Infinity" (JSON Lines). Points are exported as TensorBoard shows \
            them: a point superseded by a later record (the same step logged again, steps logged \
            again after a resume's SessionLog START) is left out. Problems in the files are reported on \
            standard error and do not stop the export. With several sources, a source column follows \
            run, and a run name two sources share becomes <source>/<run>.

            Parquet has the same columns, typed: run and tag dictionary-encoded UTF-8 strings, \
            step INT64, every other column DOUBLE (float32 values widened exactly), GZIP pages, \
            statistics on every column chunk, row groups of 524,288 rows. A file is written under \
            a temporary name and renamed when whole; without -o it streams to standard output. \
            --partition run writes a Hive-style dataset: DIR/run=<name>/part-0.parquet. An \
            s3:// output is written locally, then uploaded.

            Examples:
              tbkit export logs -o scalars.csv
              tbkit export logs --kind histograms --stats --format jsonl --run baseline
              tbkit export logs --tag train/loss --tag val/loss
              tbkit export logs --format parquet -o scalars.parquet
              tbkit export logs --format parquet --partition run -o dataset/
              tbkit export logs old-logs -o all.csv   # adds a source column after run
            """
    )

    @Argument(help: "Log directories, event files or s3:// prefixes (one or more).")
    var paths: [String] = []

    /// The output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl, parquet
    }

    /// What to export: the tidy kinds, and (Parquet only) hparams and text.
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case scalars, histograms, hparams, text

        /// The tidy exporters' kind, for scalars and histograms.
        var tidy: TidyExporter.Kind? {
            switch self {
            case .scalars: return .scalars
            case .histograms: return .histograms
            case .hparams, .text: return nil
            }
        }
    }

    /// Partitioning of a Parquet dataset.
    enum Partition: String, ExpressibleByArgument, CaseIterable {
        case run
    }

    @Option(help: "Output format: csv, jsonl or parquet.")
    var format: Format = .csv

    @Option(help: "What to export: scalars, histograms, or (Parquet only) hparams or text.")
    var kind: Kind = .scalars

    @Option(name: .customLong("run"), help: "Only this run (repeatable; \".\" is the log directory itself).")
    var runs: [String] = []

    @Option(name: .customLong("tag"), help: "Only this tag (repeatable).")
    var tags: [String] = []

    @Option(
        name: .shortAndLong,
        help: "Write to this file (or s3:// object) instead of standard output (- is standard output).")
    var output: String?

    @Option(help: "Parquet: rows per row group (memory held while writing grows with it).")
    var rowGroupSize = 1 << 19

    @Option(help: "Parquet: one file per run under the -o directory, as run=<name>/part-0.parquet.")
    var partition: Partition?

    @Flag(help: "Histograms: one row per histogram with min,max,num,sum,mean,std.")
    var stats = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one log directory or event file") }
        if stats && kind != .histograms {
            throw ValidationError("--stats applies to --kind histograms only")
        }
        if kind.tidy == nil && format != .parquet {
            throw ValidationError("--kind \(kind.rawValue) is exported as Parquet only: add --format parquet")
        }
        if kind.tidy == nil && partition != nil {
            throw ValidationError("--partition applies to --kind scalars and histograms")
        }
        if kind == .hparams && !tags.isEmpty {
            throw ValidationError("--tag does not apply to --kind hparams (one row per run)")
        }
        if rowGroupSize < 1 { throw ValidationError("--row-group-size must be at least 1") }
        if partition != nil && (format != .parquet || output == nil) {
            throw ValidationError("--partition needs --format parquet and an -o directory")
        }
    }

    func run() throws {
        var local = self
        if local.output == "-" { local.output = nil }  // standard output
        try ReadingSources.with(paths) { sources in
            guard let output = local.output, ObjectStorage.isRemote(output) else {
                return report(try local.export(sources))
            }
            // Written to a scratch file (or directory), then uploaded; reported once uploaded.
            let scratch = try ObjectStorage.Scratch()
            defer { scratch.cleanUp() }
            local.output = scratch.path + "/" + (partition == nil ? "export" : "dataset")
            let counts = try local.export(sources)
            try ObjectStorage.upload(local.output ?? "", to: output)
            report(counts)
        }
    }

    /// The export to a local file or standard output; returns what was written.
    func export(_ sources: ReadingSources) throws -> TidyExporter.Counts {
        if format == .parquet { return try runParquet(sources) }
        var exporter = TidyExporter(
            format: format == .jsonl ? .jsonl : .csv, kind: kind.tidy ?? .scalars, statistics: stats, runs: Set(runs),
            tags: Set(tags))
        exporter.includesSource = sources.several
        let out = try TextOutput.destination(output)
        let counts = exporter.export(runs: sources.runs, bytes: { out.write(bytes: $0) })
        try out.close()
        return counts
    }

    /// Parquet to a file, a dataset directory or standard output.
    func runParquet(_ sources: ReadingSources) throws -> TidyExporter.Counts {
        guard let tidyKind = kind.tidy else { return try runParquetTable(sources) }
        var exporter = ParquetExporter(kind: tidyKind, statistics: stats, runs: Set(runs), tags: Set(tags))
        exporter.rowGroupSize = rowGroupSize
        let counts: TidyExporter.Counts
        if let output {
            counts =
                partition == nil
                ? try exporter.export(runs: sources.runs, toFile: output)
                : try exporter.export(runs: sources.runs, toDataset: output)
        } else {
            let out = try TextOutput()
            counts = try exporter.export(runs: sources.runs) { bytes in
                out.write(bytes: bytes.assumingMemoryBound(to: UInt8.self))
            }
            try out.close()
        }
        return counts
    }

    /// `--kind hparams` or `text`, to a file or standard output.
    func runParquetTable(_ sources: ReadingSources) throws -> TidyExporter.Counts {
        let stdout = output == nil ? try TextOutput() : nil
        let target: any ParquetOutput =
            try output.map { try ParquetFileOutput(path: $0) }
            ?? ParquetStreamOutput { bytes in stdout?.write(bytes: bytes.assumingMemoryBound(to: UInt8.self)) }
        let counts =
            kind == .hparams
            ? try ParquetTables.hparams(sources: sources.runs, runs: Set(runs), output: target)
            : try ParquetTables.text(sources: sources.runs, runs: Set(runs), tags: Set(tags), output: target)
        try stdout?.close()
        return counts
    }

    /// The problems met, then (when written to a file or object) the count of rows.
    private func report(_ counts: TidyExporter.Counts) {
        for problem in counts.problems { printError("warning: \(problem)") }
        if let name = output, name != "-" {
            let superseded =
                counts.superseded == 0
                ? "" : " (\(counts.superseded) superseded point\(counts.superseded == 1 ? "" : "s") left out)"
            printError(
                "\(counts.rows) rows from \(counts.runs) run\(counts.runs == 1 ? "" : "s") written to \(shown(name))\(superseded)"
            )
        }
    }
}
