import ArgumentParser
import Foundation
import TBKit

/// `tbkit inspect`: what a log directory holds, run by run and tag by tag.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show the runs, event files and tags of a log directory or event file.",
        discussion: """
            For each run (a directory directly holding an event file; "." is the log directory \
            itself): its files, number of events, first and last wall time (UTC), and its tags \
            grouped by kind (scalars, histograms, images, text, audio, graphs, other plugins), each \
            with its number of values, step range and, for scalars, the last value. Damaged or \
            truncated records are listed under the run; they never stop the listing.

            Examples:
              tbkit inspect logs
              tbkit inspect logs/run-1/events.out.tfevents.1700000000.host --json
            """
    )

    @Argument(help: "A log directory or a single event file.")
    var path: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        var local = self
        try ObjectStorage.withLocalLogdir(path) {
            local.path = $0
            try local.runLocal()
        }
    }

    func runLocal() throws {
        let inspection: LogdirInspection
        inspection = try LogdirInspection.inspect(logdir: path)
        let out = try TextOutput(forPerson: !json)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(
                positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
            let data = try encoder.encode(inspection)
            out.write(String(decoding: data, as: UTF8.self) + "\n")
        } else {
            out.write(Self.render(inspection))
        }
        try out.close()
    }

    static func render(_ inspection: LogdirInspection) -> String {
        var s = ""
        if inspection.runs.isEmpty {
            return
                "\(shown(inspection.logdir)): no event files found (a run is a directory holding a file whose name contains \"tfevents\")\n"
        }
        let runWord = inspection.runs.count == 1 ? "run" : "runs"
        s += "\(shown(inspection.logdir)): \(inspection.runs.count) \(runWord)\n"
        for run in inspection.runs {
            s += "\nrun \(shown(run.name))\n"
            var when = ""
            if let first = run.firstWallTime, let last = run.lastWallTime {
                when = ", \(formatWallTime(first)) to \(formatWallTime(last)) UTC"
            }
            s += "  \(run.files.count) file\(run.files.count == 1 ? "" : "s"), \(run.events) events\(when)\n"
            for file in run.files {
                s += "    \(shown(file.path))  (\(file.events) events)\n"
            }
            var kinds: [String] = []
            for tag in run.tags where !kinds.contains(tag.kind) { kinds.append(tag.kind) }
            for kind in kinds {
                let tags = run.tags.filter { $0.kind == kind }
                let label = LogdirInspection.kindOrder.contains(kind) ? kind : "plugin \(shown(kind))"
                let scalars = tags.first?.plugin == .scalars
                s += "  \(label) (\(tags.count) tag\(tags.count == 1 ? "" : "s"))\n"
                var rows: [[String]] = []
                for t in tags {
                    var row = [shown(t.tag), String(t.count), "\(t.firstStep)..\(t.lastStep)"]
                    if scalars { row.append(t.lastValue.map(formatNumber) ?? "") }
                    rows.append(row)
                }
                let header = scalars ? ["tag", "values", "steps", "last"] : ["tag", "values", "steps"]
                s += renderTable(header, rows, rightAligned: [1, 3], indent: "    ")
            }
            if run.tags.isEmpty { s += "  no summary values\n" }
            for problem in run.problems {
                s += "  problem: \(TerminalText.escaped(problem.description, limit: TerminalText.lineLimit))\n"
            }
        }
        return s
    }
}
