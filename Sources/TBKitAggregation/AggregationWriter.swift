import Foundation
import TBKit

/// Writes a `ScalarAggregation` as TensorBoard runs, one per group, with `<tag>/mean`,
/// `<tag>/lower`, `<tag>/upper` (the band) and `<tag>/n` at every aggregated step, and a custom
/// scalars layout of margin charts (one chart per tag, every group on it as a line with a shaded
/// band) in every group's run; TensorBoard merges the copies.
package enum AggregationWriter {
    /// The custom scalars category the margin charts are in.
    package static func categoryTitle(band: AggregationBand) -> String {
        "aggregate: mean with \(band.caption) band"
    }

    /// The layout: one margin chart per tag of any group, in tag order.
    package static func layout(_ aggregation: ScalarAggregation, band: AggregationBand) -> CustomScalarLayout {
        var tags = Set<String>()
        for g in aggregation.groups { for t in g.tags where !t.steps.isEmpty { tags.insert(t.tag) } }
        let charts = tags.sortedShared().map { tag in
            CustomScalarLayout.Chart(
                title: tag,
                margin: [.init(value: "\(tag)/mean", lower: "\(tag)/lower", upper: "\(tag)/upper")])
        }
        return CustomScalarLayout([.init(title: categoryTitle(band: band), charts: charts)])
    }

    /// Writes every group into `directory`/<group>/. A directory that already holds event files
    /// is refused unless `overwrite`, which deletes those files first. Returns the files written.
    @discardableResult
    package static func write(
        _ aggregation: ScalarAggregation, to directory: String, band: AggregationBand, overwrite: Bool
    ) throws -> [String] {
        let existing =
            FileManager.default.fileExists(atPath: directory) ? try RunDirectory.discover(logdir: directory) : []
        let files = existing.flatMap(\.eventFiles)
        if !files.isEmpty {
            guard overwrite else {
                throw AggregationOutputError.holdsEvents(directory: directory, files: files.count)
            }
            for file in files {
                do {
                    try FileManager.default.removeItem(atPath: file)
                } catch {
                    throw AggregationOutputError.io(path: file, reason: "\(error.localizedDescription)")
                }
            }
        }
        let layout = layout(aggregation, band: band)
        var written: [String] = []
        for group in aggregation.groups {
            let runPath = (directory as NSString).appendingPathComponent(group.name)
            let writer = try SummaryWriter(logdir: runPath)
            try writer.customScalarsLayout(layout)
            for series in group.tags {
                let mean = "\(series.tag)/mean"
                let lower = "\(series.tag)/lower"
                let upper = "\(series.tag)/upper"
                let n = "\(series.tag)/n"
                for (step, s) in zip(series.steps, series.statistics) {
                    let (lo, hi) = band.bounds(s)
                    let at = Int(step)
                    try writer.scalar(mean, s.mean, step: at)
                    try writer.scalar(lower, lo, step: at)
                    try writer.scalar(upper, hi, step: at)
                    try writer.scalar(n, Double(s.count), step: at)
                }
            }
            try writer.close()
            written.append(contentsOf: writer.paths)
        }
        return written
    }
}

/// An aggregate that cannot be written.
package enum AggregationOutputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The output directory already holds event files.
    case holdsEvents(directory: String, files: Int)
    /// A file could not be removed or written.
    case io(path: String, reason: String)

    /// A sentence for people: what, where, what to do.
    package var description: String {
        switch self {
        case .holdsEvents(let directory, let files):
            return
                "\(directory) already holds \(files) event file(s); TensorBoard would mix them with the aggregate: pass --overwrite to delete them first, or choose another output directory"
        case .io(let path, let reason):
            return "cannot write the aggregate at \(path): \(reason)"
        }
    }
}
