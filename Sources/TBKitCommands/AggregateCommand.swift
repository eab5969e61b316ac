import ArgumentParser
import Foundation
import TBKit
import TBKitAggregation

extension AggregationBand: ExpressibleByArgument {}

/// `tbkit aggregate`: runs that differ only in their seed, as one run per group with a band.
struct AggregateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Aggregate runs that differ only in their seed: mean with a band, per group, tag and step.",
        discussion: """
            Groups runs that differ only in their seed: by default runs whose hparams session \
            values are equal apart from `seed`, and runs without a session by their name with a \
            trailing seed part (_seed3, seed_3, _s3) removed; --group-by REGEX groups by the \
            regex's first capture group instead. For each group, scalar tag and step: mean, sample \
            std (n-1), min, max, median, n and the mean's 95% confidence interval (Student's t, \
            n-1 degrees of freedom). Steps are aligned by value: a step counts where at least \
            --min-runs runs (default: every run of the group that has the tag) have a point. \
            Within a run the point TensorBoard shows counts (the last write of a step; purged \
            points are gone). NaN and infinite points are left out and counted.

            OUTDIR receives one run per group with <tag>/mean, <tag>/lower, <tag>/upper (the \
            band: --band ci95, std or minmax) and <tag>/n, and a custom scalars layout of margin \
            charts: TensorBoard's Custom Scalars dashboard shows each tag as one chart with every \
            group as a line with a shaded band. With --format csv or jsonl, -o is a file (or - \
            for standard output) that receives tidy rows instead: \
            group,tag,step,n,mean,std,min,max,median,ci_low,ci_high.

            Examples:
              tbkit aggregate logs -o logs-agg
              tbkit aggregate logs --band std --tag test_acc -o logs-agg --overwrite
              tbkit aggregate logs --group-by '(.*)_run[0-9]+' --format csv -o stats.csv
            """
    )

    /// What `--format` may say.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case events, csv, jsonl
    }

    @Argument(help: "Log directories whose runs are aggregated (several are read together).")
    var sources: [String]

    @Option(name: .shortAndLong, help: "Output directory (events), or file for csv/jsonl ('-' is standard output).")
    var output: String

    @Option(help: "events (TensorBoard runs, the default), csv or jsonl (tidy rows).")
    var format: OutputFormat = .events

    @Option(help: "The band around the mean: ci95 (default), std or minmax.")
    var band: AggregationBand = .ci95

    @Option(help: "Group by this regular expression's first capture group (searched in each run name).")
    var groupBy: String?

    @Option(
        help: "Runs that must have a point at a step for it to count (default: all runs of the group with the tag).")
    var minRuns: Int?

    @Option(name: .customLong("tag"), help: "Only this tag (repeatable).")
    var tags: [String] = []

    @OptionGroup var replace: OverwriteOption

    func validate() throws {
        if sources.isEmpty { throw ValidationError("give at least one log directory to aggregate") }
        if let minRuns, minRuns < 1 { throw ValidationError("--min-runs must be at least 1 (got \(minRuns))") }
        if let groupBy { try AggregateCommand.validateGroupBy(groupBy) }
    }

    /// Refuses a `--group-by` regex that does not compile or has no capture group, as a usage
    /// error (shared with `compare --group`).
    static func validateGroupBy(_ pattern: String) throws {
        do {
            _ = try RunGrouping.pattern(pattern).groups(of: [])
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        // Sources as every reading command takes them (log directories, event files, archives,
        // s3:// prefixes); a run name two sources share becomes <source>/<run>.
        try ReadingSources.with(sources) { found in
            try aggregate(found.runs.map { RunScalars.read($0.named) }, labels: found.labels)
        }
    }

    private func aggregate(_ runs: [RunScalars], labels: [String]) throws {
        let grouping: RunGrouping = groupBy.map { .pattern($0) } ?? .seeds
        let aggregation = try ScalarAggregation.aggregate(
            runs, grouping: grouping, tags: Set(tags), minRuns: minRuns)
        for (run, problem) in aggregation.problems { printError("warning: run \(run): \(problem)") }
        if !aggregation.leftOut.isEmpty {
            printError(
                "note: --group-by matched no group in \(aggregation.leftOut.count) run(s), left out: \(aggregation.leftOut.prefix(5).joined(separator: ", "))\(aggregation.leftOut.count > 5 ? ", ..." : "")"
            )
        }
        guard !aggregation.groups.isEmpty else {
            throw CommandFailure(
                "\(labels.map(shown).joined(separator: ", ")): no run with scalar values\(tags.isEmpty ? "" : " for the tags \(tags.joined(separator: ", "))") to aggregate"
            )
        }
        switch format {
        case .events:
            let written = try AggregationWriter.write(aggregation, to: output, band: band, overwrite: replace.overwrite)
            printSummary(aggregation)
            print(
                "\(aggregation.groups.count) group run(s), \(written.count) event file(s) in \(output)/ (tensorboard --logdir \(output), Custom Scalars)"
            )
        case .csv, .jsonl:
            let out = try output == "-" ? TextOutput() : TextOutput(path: output)
            let rows = AggregationRows.write(aggregation, format: format == .csv ? .csv : .jsonl) {
                out.write(bytes: $0)
            }
            try out.close()
            if output != "-" {
                printSummary(aggregation)
                print("\(rows) rows written to \(output)")
            }
        }
    }

    /// One line per group, with what was left out.
    private func printSummary(_ aggregation: ScalarAggregation) {
        for group in aggregation.groups {
            let steps = group.tags.map(\.steps.count).reduce(0, +)
            let nonFinite = group.tags.map(\.nonFinite).reduce(0, +)
            let sparse = group.tags.map(\.sparseSteps).reduce(0, +)
            var line =
                "\(group.name): \(group.members.count) run(s), \(group.tags.count) tag(s), \(steps) aggregated step(s)"
            if group.members.count == 1 { line += " (one run: its band is the run itself, no interval)" }
            if nonFinite > 0 { line += "; \(nonFinite) NaN/Inf point(s) left out" }
            if sparse > 0 { line += "; \(sparse) step(s) with too few runs skipped" }
            print(line)
        }
    }
}
