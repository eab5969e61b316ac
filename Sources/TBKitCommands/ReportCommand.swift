import ArgumentParser
import TBKit
import TBKitReport

/// `tbkit report`: one self-contained HTML page of a log directory.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page of a log directory.",
        discussion: """
            The page needs nothing else: its charts, style and script are inline, images are \
            data URIs and it fetches nothing, so it opens offline in any browser. It holds a \
            sortable runs table (steps, wall-clock span, last value of each scalar, hparams and \
            metrics), one chart per scalar tag with every run overlaid and TensorBoard's \
            smoothing, histograms as offset ridgelines, distributions as TensorBoard's percentile \
            bands, the latest image of each image tag and the latest text of each text tag. Long \
            series are downsampled (min and max per bucket, last point kept). Problems in the \
            files are listed on the page and on standard error; the rest is drawn.

            Examples:
              tbkit report logs -o report.html
              tbkit report logs -o report.html --max-points 5000
              tbkit report s3://bucket/experiments -o report.html
            """
    )

    @Argument(help: "Log directories, event files or s3://bucket/prefix (one or more).")
    var paths: [String] = []

    @Option(name: .shortAndLong, help: "The HTML file to write (- for standard output).")
    var output: String = "report.html"

    @Option(help: "Most points drawn per scalar series (longer series are downsampled).")
    var maxPoints: Int = 2000

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one log directory or event file") }
        if maxPoints < 4 { throw ValidationError("--max-points must be at least 4") }
    }

    func run() throws {
        // The page names the sources the user gave (an s3:// URL), not a temporary local copy.
        // Written inside: a damaged source fails the command after the page of what could be read.
        try ReadingSources.with(paths) { sources in
            try write(
                ReportBuilder(scalarPoints: maxPoints).build(
                    runs: sources.runs, label: sources.labels.joined(separator: " ")))
        }
    }

    func write(_ data: ReportData) throws {
        let page = try ReportPage.render(data)
        let out = try TextOutput.destination(output)
        page.withUnsafeBufferPointer { out.write(bytes: $0) }
        try out.close()
        for problem in data.problems { printError("warning: [\(problem.run)] \(problem.message)") }
        printError(
            "report of \(data.runs.count) run\(data.runs.count == 1 ? "" : "s") (\(data.scalars.count) scalar tags, \(data.histograms.count) histogram tags) written to \(shown(out.name)) (\(page.count) bytes)"
        )
    }
}
