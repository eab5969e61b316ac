import Foundation
import TBKit

/// One run's scalar series as TensorBoard shows them, and its hparams session: what aggregation
/// reads of a run.
///
/// Within a run the point TensorBoard shows wins: files are read in name order, a point at step
/// `s` supersedes the points of its tag at steps `>= s` read before it (so the last write of a
/// step wins, and a restart that goes back drops what it replaces), and a SessionLog START at
/// step `s` drops every tag's points at steps `>= s` (a writer's `purgeStep`). Each series is
/// therefore strictly increasing in step.
package struct RunScalars: Sendable {
    /// One tag's points, steps strictly increasing.
    package struct Series: Sendable, Equatable {
        /// The steps.
        package var steps: [Int64] = []
        /// The values, one per step (as logged: NaN and ±Inf included).
        package var values: [Double] = []

        /// An empty series.
        package init() {}

        /// Drops the points at or after `step`, then appends (`step`, `value`).
        mutating func supersede(step: Int64, value: Double) {
            dropSteps(from: step)
            steps.append(step)
            values.append(value)
        }

        /// Drops the trailing points at or after `step`.
        mutating func dropSteps(from step: Int64) {
            while let last = steps.last, last >= step {
                steps.removeLast()
                values.removeLast()
            }
        }
    }

    /// The run's name (its path under the logdir, "." for the logdir itself).
    package var name: String
    /// Scalar series by tag.
    package var series: [String: Series]
    /// The hparams of the run's session (`_hparams_/session_start_info`), nil without one.
    package var hparams: [String: HParamValue]?
    /// Problems met in the run's files (damaged records, with file and offset).
    package var problems: [EventFileProblem]

    /// Makes a value from parts (tests, other sources).
    package init(
        name: String, series: [String: Series], hparams: [String: HParamValue]? = nil,
        problems: [EventFileProblem] = []
    ) {
        self.name = name
        self.series = series
        self.hparams = hparams
        self.problems = problems
    }

    /// Reads `run`'s event files. This is the one place aggregation reads a run: another source
    /// (archives, object storage) plugs in here.
    package static func read(_ run: RunDirectory) -> RunScalars {
        read(name: run.name, files: run.eventFiles)
    }

    /// Reads the given event files, in the order given, as one run named `name`.
    package static func read(name: String, files: [String]) -> RunScalars {
        let reader = EventFileReader(files: files)
        var classifier = ValueClassifier()
        var hparams: [String: HParamValue]?
        // Series by slot; plain scalars find their slot by comparing tag bytes with the (few)
        // tags seen, without building a String per point.
        var store = SeriesStore()
        while let record = reader.nextEventOrPlainScalar() {
            switch record {
            case .plainScalar(let scalar):
                // A simple_value is a scalar whatever metadata its tag has (as the classifier says).
                let slot = store.slot(tagBytes: scalar.tag)
                store.series[slot].supersede(step: scalar.step, value: Double(scalar.value))
            case .event(let event):
                switch event.what {
                case .sessionLog(let status, _, _) where status == .start:
                    for i in store.series.indices { store.series[i].dropSteps(from: event.step) }
                case .summary(let summary):
                    for value in summary.values {
                        if case .none = value.kind { continue }
                        switch classifier.classify(value, step: event.step, wallTime: event.wallTime) {
                        case .scalar(let p):
                            store.series[store.slot(tag: p.tag)].supersede(step: p.step, value: p.value)
                        case .other(let o) where o.pluginName == .hparams && o.tag == HParams.sessionStartTag:
                            if let values = HParams.sessionHParams(pluginContent: o.pluginContent) { hparams = values }
                        default:
                            break
                        }
                    }
                default:
                    break
                }
            }
        }
        var series: [String: Series] = [:]
        for (tag, slot) in store.slots { series[tag] = store.series[slot] }
        return RunScalars(name: name, series: series, hparams: hparams, problems: reader.problems)
    }
}

/// A run's series while it is read: one slot per tag.
private struct SeriesStore {
    var series: [RunScalars.Series] = []
    var slots: [String: Int] = [:]
    var tagBytes: [[UInt8]] = []

    /// The slot of a tag given as a String.
    mutating func slot(tag: String) -> Int {
        if let slot = slots[tag] { return slot }
        return add(tag)
    }

    /// The slot of a tag given as its bytes (a plain scalar record's, borrowed).
    mutating func slot(tagBytes bytes: UnsafeRawBufferPointer) -> Int {
        for (i, known) in tagBytes.enumerated() where known.count == bytes.count && known.elementsEqual(bytes) {
            return i
        }
        return slot(tag: String(decoding: bytes, as: UTF8.self))
    }

    private mutating func add(_ tag: String) -> Int {
        let slot = series.count
        series.append(RunScalars.Series())
        slots[tag] = slot
        tagBytes.append(Array(tag.utf8))
        return slot
    }
}
