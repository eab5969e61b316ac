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
            with its number of values, step range and, for scalars, the last value, as TensorBoard \
            shows them: a value superseded by a later record (a step logged again, a resume's \
            purge) is not counted, and a "superseded" column says how many there were. Damaged or \
            truncated records are listed under the run; they never stop the listing. Several \
            sources are read together: a run name two of them share becomes <source>/<run>, and \
            each run says which source it came from. A file that is neither an event file nor a \
            log archive is refused, with what it looks like.

            Examples:
              tbkit inspect logs
              tbkit inspect logs/run-1/events.out.tfevents.1700000000.host --json
              tbkit inspect logs old-logs   # several sources: each run says where it is from
            """
    )

    @Argument(help: "Log directories, event files or s3:// prefixes (one or more).")
    var paths: [String] = []

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one log directory or event file") }
    }

    func run() throws {
        // Printed inside: a damaged source fails the command after what could be read is shown.
        try ReadingSources.with(paths) { sources in
            try show(LogdirInspection.inspect(runs: sources.runs, sources: sources.labels))
        }
    }

    func show(_ inspection: LogdirInspection) throws {
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
        let several = inspection.sources.count > 1
        if several {
            s += "\(inspection.sources.count) sources (\(inspection.sources.map(shown).joined(separator: ", "))): "
            s += "\(inspection.runs.count) \(runWord)\n"
        } else {
            s += "\(shown(inspection.logdir)): \(inspection.runs.count) \(runWord)\n"
        }
        for run in inspection.runs {
            s += several ? "\nrun \(shown(run.name))  (from \(shown(run.source)))\n" : "\nrun \(shown(run.name))\n"
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
                let superseded = tags.contains { $0.superseded > 0 }
                s += "  \(label) (\(tags.count) tag\(tags.count == 1 ? "" : "s"))\n"
                var rows: [[String]] = []
                for t in tags {
                    var row = [shown(t.tag), String(t.count), t.count > 0 ? "\(t.firstStep)..\(t.lastStep)" : ""]
                    if scalars { row.append(t.lastValue.map(formatNumber) ?? "") }
                    if superseded { row.append(String(t.superseded)) }
                    rows.append(row)
                }
                var header = scalars ? ["tag", "values", "steps", "last"] : ["tag", "values", "steps"]
                if superseded { header.append("superseded") }
                s += renderTable(header, rows, rightAligned: scalars ? [1, 3, 4] : [1, 3], indent: "    ")
            }
            if run.tags.isEmpty { s += "  no summary values\n" }
            for problem in run.problems {
                s += "  problem: \(TerminalText.escaped(problem.description, limit: TerminalText.lineLimit))\n"
            }
        }
        return s
    }
}
