import ArgumentParser
import TBKit

extension TidyExporter.Format: ExpressibleByArgument {}
extension TidyExporter.Kind: ExpressibleByArgument {}

/// `tbkit export`: scalars or histograms as tidy CSV or JSON Lines rows, streamed.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export scalars or histograms as tidy CSV or JSON Lines.",
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

            Examples:
              tbkit export logs -o scalars.csv
              tbkit export logs --kind histograms --stats --format jsonl --run baseline
              tbkit export logs --tag train/loss --tag val/loss
              tbkit export logs old-logs -o all.csv   # adds a source column after run
            """
    )

    @Argument(help: "Log directories, event files or s3:// prefixes (one or more).")
    var paths: [String] = []

    @Option(help: "Output format: csv or jsonl.")
    var format: TidyExporter.Format = .csv

    @Option(help: "What to export: scalars or histograms.")
    var kind: TidyExporter.Kind = .scalars

    @Option(name: .customLong("run"), help: "Only this run (repeatable; \".\" is the log directory itself).")
    var runs: [String] = []

    @Option(name: .customLong("tag"), help: "Only this tag (repeatable).")
    var tags: [String] = []

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @Flag(help: "Histograms: one row per histogram with min,max,num,sum,mean,std.")
    var stats = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one log directory or event file") }
        if stats && kind != .histograms {
            throw ValidationError("--stats applies to --kind histograms only")
        }
    }

    func run() throws {
        try ReadingSources.with(paths) { try export($0) }
    }

    func export(_ sources: ReadingSources) throws {
        var exporter = TidyExporter(format: format, kind: kind, statistics: stats, runs: Set(runs), tags: Set(tags))
        exporter.includesSource = sources.several
        let out = try output.map { try TextOutput(path: $0) } ?? TextOutput()
        let counts = exporter.export(runs: sources.runs, bytes: { out.write(bytes: $0) })
        try out.close()
        for problem in counts.problems { printError("warning: \(problem)") }
        if output != nil {
            let superseded =
                counts.superseded == 0
                ? "" : " (\(counts.superseded) superseded point\(counts.superseded == 1 ? "" : "s") left out)"
            printError(
                "\(counts.rows) rows from \(counts.runs) run\(counts.runs == 1 ? "" : "s") written to \(out.name)\(superseded)"
            )
        }
    }
}
