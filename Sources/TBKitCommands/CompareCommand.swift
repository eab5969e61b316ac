import ArgumentParser
import Foundation
import TBKit
import TBKitAggregation

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
              tbkit compare logs --tag test_acc --group

            With --group, runs that differ only in their seed are grouped as `tbkit aggregate` \
            groups them (or by --group-by REGEX's first capture group), and each --tag gets one \
            table of the groups, best first: the last value of each run as mean ± std, min, max \
            and n, then the best group against each other one: the difference of their means \
            with its 95% interval (Welch's t, Welch–Satterthwaite degrees of freedom). An \
            interval that excludes 0 means the lead is bigger than the spread between seeds.
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

    @Flag(help: "Compare groups of seeds on each --tag's last value (mean ± std, Welch intervals).")
    var group = false

    @Option(help: "With --group: group by this regular expression's first capture group.")
    var groupBy: String?

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one log directory or event file") }
        if groupBy != nil && !group { throw ValidationError("--group-by applies with --group only") }
        if group && json { throw ValidationError("--json does not apply with --group") }
        if group && tag.isEmpty {
            throw ValidationError("--group compares one tag's last value: name it with --tag (e.g. --tag test_acc)")
        }
        if let groupBy { try AggregateCommand.validateGroupBy(groupBy) }
    }

    func run() throws {
        // Printed inside: a damaged source fails the command after what could be read is shown.
        try ReadingSources.with(paths) { sources in
            if group {
                return try runGroups(
                    sources.runs.map { RunScalars.read($0.named) }, logdir: sources.labels.joined(separator: " "))
            }
            try show(
                ScalarComparison.compare(runs: sources.runs, tags: tag, goal: goal),
                logdir: sources.labels.joined(separator: " "), several: sources.several)
        }
    }

    func show(_ comparison: ScalarComparison, logdir: String, several: Bool) throws {
        let out = try TextOutput(forPerson: !json)
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
                    ? "\(shown(logdir)): no scalar tags found\n"
                    : "\(shown(logdir)): none of the tags \(tag.map(shown).joined(separator: ", ")) has scalar values\n"
            )
        }
        for (i, table) in comparison.tags.enumerated() {
            if i > 0 { out.write("\n") }
            out.write("\(shown(table.tag))  (\(table.goal == .minimize ? "lower" : "higher") is better)\n")
            let rows = table.entries.map { e in
                [
                    shown(e.run), formatNumber(e.last), String(e.lastStep), formatNumber(e.min), formatNumber(e.max),
                    formatNumber(e.best), String(e.bestStep), String(e.count),
                ] + (several ? [shown(e.source)] : [])
            }
            out.write(
                renderTable(
                    ["run", "last", "at step", "min", "max", "best", "best step", "points"]
                        + (several ? ["source"] : []),
                    rows, rightAligned: [1, 2, 3, 4, 5, 6, 7], indent: "  "))
        }
        try out.close()
    }

    /// `--group`: one table of groups per tag, then the best group against each other one.
    func runGroups(_ runs: [RunScalars], logdir: String) throws {
        for (run, problem) in runs.flatMap({ r in r.problems.map { (r.name, $0) } }) {
            printError("warning: run \(run): \(problem)")
        }
        let grouping: RunGrouping = groupBy.map { .pattern($0) } ?? .seeds
        let out = try TextOutput(forPerson: true)
        for (i, name) in tag.enumerated() {
            if i > 0 { out.write("\n") }
            let c = try GroupComparison.compare(runs, tag: name, grouping: grouping, goal: goal)
            guard !c.entries.isEmpty else {
                out.write("\(logdir): no run has scalar values for \(name)\n")
                continue
            }
            out.write("\(name), last value per run  (\(c.goal == .minimize ? "lower" : "higher") is better)\n")
            let rows = c.entries.map { e in
                let s = e.statistics
                return [
                    e.group, formatNumber(s.mean) + " ± " + (s.count < 2 ? "-" : formatNumber(s.standardDeviation)),
                    formatNumber(s.min), formatNumber(s.max),
                    String(s.count) + (e.nonFinite > 0 ? " (+\(e.nonFinite) NaN/Inf left out)" : ""),
                ]
            }
            out.write(
                renderTable(["group", "mean ± std", "min", "max", "n"], rows, rightAligned: [1, 2, 3], indent: "  "))
            guard let best = c.entries.first, !c.differences.isEmpty else { continue }
            out.write("\n\(best.group) against each other group: difference of means, 95% interval (Welch)\n")
            let diffs = c.differences.map { d in
                [
                    d.group, formatNumber(d.difference),
                    d.low.isNaN ? "- (needs 2+ runs per group)" : "[\(formatNumber(d.low)), \(formatNumber(d.high))]",
                    d.degreesOfFreedom.isFinite ? formatNumber(d.degreesOfFreedom) : "-",
                    d.low.isNaN ? "-" : (d.isSignificant ? "yes" : "no (within the seeds' spread)"),
                ]
            }
            out.write(
                renderTable(
                    ["vs group", "difference", "95% interval", "dof", "interval excludes 0"], diffs,
                    rightAligned: [1, 3], indent: "  "))
        }
        try out.close()
    }
}
