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
            strings "NaN"/"Infinity" (JSON Lines). Problems in the files are reported on \
            standard error and do not stop the export.

            Examples:
              tbkit export logs -o scalars.csv
              tbkit export logs --kind histograms --stats --format jsonl --run baseline
              tbkit export logs --tag train/loss --tag val/loss
            """
    )

    @Argument(help: "The log directory (or a single event file).")
    var logdir: String

    @Option(help: "Output format: csv or jsonl.")
    var format: TidyExporter.Format = .csv

    @Option(help: "What to export: scalars or histograms.")
    var kind: TidyExporter.Kind = .scalars

    @Option(name: .customLong("run"), help: "Only this run (repeatable; \".\" is the log directory itself).")
    var runs: [String] = []

    @Option(name: .customLong("tag"), help: "Only this tag (repeatable).")
    var tags: [String] = []

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output (- is standard output).")
    var output: String?

    @Flag(help: "Histograms: one row per histogram with min,max,num,sum,mean,std.")
    var stats = false

    func validate() throws {
        if stats && kind != .histograms {
            throw ValidationError("--stats applies to --kind histograms only")
        }
    }

    func run() throws {
        var local = self
        try ObjectStorage.withLocalLogdir(logdir) {
            local.logdir = $0
            try local.runLocal()
        }
    }

    func runLocal() throws {
        let exporter = TidyExporter(format: format, kind: kind, statistics: stats, runs: Set(runs), tags: Set(tags))
        let out = try TextOutput.open(output)
        let counts: TidyExporter.Counts
        do {
            counts = try exporter.export(logdir: logdir, bytes: { out.write(bytes: $0) })
        } catch {
            try? out.close()
            throw error
        }
        try out.close()
        for problem in counts.problems { printError("warning: \(problem)") }
        if output != nil && output != "-" {
            printError(
                "\(counts.rows) rows from \(counts.runs) run\(counts.runs == 1 ? "" : "s") written to \(out.name)")
        }
    }
}
