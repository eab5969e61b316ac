import ArgumentParser
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
            higher otherwise; --goal overrides that for every tag.

            Examples:
              tbkit compare logs
              tbkit compare logs --tag val/accuracy --tag val/loss
              tbkit compare logs --tag reward --goal max
            """
    )

    @Argument(help: "The log directory.")
    var logdir: String

    @Option(help: "Only this tag (repeatable).")
    var tag: [String] = []

    @Option(help: "min or max: whether lower or higher values are better (default: guessed per tag).")
    var goal: ScalarComparison.Goal?

    func run() throws {
        var local = self
        try ObjectStorage.withLocalLogdir(logdir) {
            local.logdir = $0
            try local.runLocal()
        }
    }

    func runLocal() throws {
        let comparison: ScalarComparison
        comparison = try ScalarComparison.compare(logdir: logdir, tags: tag, goal: goal)
        let out = try TextOutput(forPerson: true)
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
                ]
            }
            out.write(
                renderTable(
                    ["run", "last", "at step", "min", "max", "best", "best step", "points"], rows,
                    rightAligned: [1, 2, 3, 4, 5, 6, 7], indent: "  "))
        }
        try out.close()
    }
}
