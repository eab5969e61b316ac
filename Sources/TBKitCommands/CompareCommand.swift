import ArgumentParser
import Foundation
import TBKit

extension ScalarComparison.Goal: ExpressibleByArgument {}

/// `tbkit compare`: runs side by side for each scalar tag.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare runs side by side for each scalar tag.",
        discussion: """
            For every scalar tag (or only those given with --tag), one table with a row per run: \
            the last value and its step, the minimum, the maximum, and the best value with the \
            step where it was first reached. Rows are sorted best first. Lower is better for tags \
            that name a loss or an error (loss, error, err, mse, mae, perplexity, nll, cost), \
            higher otherwise; --goal overrides that for every tag. Points are read as TensorBoard \
            shows them: a point superseded by a later record (a step logged again, a resume's \
            purge) does not count. Several sources are compared together: a source column says where \
            each run came from, and a run name two sources share becomes <source>/<run>.

            Examples:
              tbkit compare logs
              tbkit compare logs --tag val/accuracy --tag val/loss
              tbkit compare logs --tag reward --goal max
              tbkit compare logs --json
              tbkit compare logs old-logs --tag test_acc
            """
    )

    @Argument(help: "Log directories, event files or s3:// prefixes (one or more).")
    var paths: [String] = []

    @Option(help: "Only this tag (repeatable).")
    var tag: [String] = []

    @Option(help: "min or max: whether lower or higher values are better (default: guessed per tag).")
    var goal: ScalarComparison.Goal?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one log directory or event file") }
    }

    func run() throws {
        // Printed inside: a damaged source fails the command after what could be read is shown.
        try ReadingSources.with(paths) { sources in
            try show(
                ScalarComparison.compare(runs: sources.runs, tags: tag, goal: goal),
                logdir: sources.labels.joined(separator: " "), several: sources.several)
        }
    }

    func show(_ comparison: ScalarComparison, logdir: String, several: Bool) throws {
        let out = try TextOutput()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(
                positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
            out.write(String(decoding: try encoder.encode(comparison), as: UTF8.self) + "\n")
            try out.close()
            return
        }
        if comparison.tags.isEmpty {
            out.write(
                tag.isEmpty
                    ? "\(logdir): no scalar tags found\n"
                    : "\(logdir): none of the tags \(tag.joined(separator: ", ")) has scalar values\n")
        }
        for (i, table) in comparison.tags.enumerated() {
            if i > 0 { out.write("\n") }
            out.write("\(table.tag)  (\(table.goal == .minimize ? "lower" : "higher") is better)\n")
            let rows = table.entries.map { e in
                [
                    e.run, formatNumber(e.last), String(e.lastStep), formatNumber(e.min), formatNumber(e.max),
                    formatNumber(e.best), String(e.bestStep), String(e.count),
                ] + (several ? [e.source] : [])
            }
            out.write(
                renderTable(
                    ["run", "last", "at step", "min", "max", "best", "best step", "points"]
                        + (several ? ["source"] : []),
                    rows, rightAligned: [1, 2, 3, 4, 5, 6, 7], indent: "  "))
        }
        try out.close()
    }
}
