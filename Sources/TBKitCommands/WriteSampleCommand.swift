import ArgumentParser
import Foundation
import TBKit

/// `tbkit write-sample`: a log directory with every scalar and histogram form TBKit writes, from
/// inputs simple enough for another program to recompute exactly. The conformance tests read it
/// with TensorBoard itself and compare.
struct WriteSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write-sample",
        abstract: "Write a sample log directory of scalars and histograms (for conformance checks).",
        discussion: """
            Runs written under LOGDIR:
              scalars_v1   tags loss, special (0, -0, tiny, huge, NaN, ±Inf), wall_time = 1.7e9 + step
              scalars_v2   the same as rank-0 DT_FLOAT tensors with plugin "scalars"
              histograms   tags tf_default, equal_30, edges, with_nan (v1 HistogramProto)
                           and v2_tensor (DT_DOUBLE [k,3] with plugin "histograms")
            Input of step s, element i: value(s, i) = Float(((i * 7919 + s * 104729) % 2003 - 1001) / 100) * 10^(i % 5 - 2)

            Example:
              tbkit write-sample /tmp/sample && tensorboard --logdir /tmp/sample
            """,
        shouldDisplay: false
    )

    @Argument(help: "The log directory to create.")
    var logdir: String

    @Option(help: "Steps per tag.")
    var steps = 20

    @Option(
        help:
            "Instead of the sample: write this many scalars to LOGDIR/stress, flushing every 100, and print the last step known written when an error stops it."
    )
    var stressScalars: Int?

    @Flag(help: "Leave the writers open at exit (their records must still reach the file).")
    var exitWithoutClose = false

    /// The sample input; mirrored by Tests/Conformance/test_core.py.
    static func value(step: Int, index i: Int) -> Float {
        let base = Double((i * 7919 + step * 104_729) % 2003 - 1001) / 100
        let scale = [0.01, 0.1, 1.0, 10.0, 100.0][i % 5]
        return Float(base * scale)
    }

    static let specials: [Float] = [0, -0.0, 1e-30, -3.0e38, .nan, .infinity, -.infinity]

    func run() throws {
        if let count = stressScalars {
            try stress(count)
            return
        }
        let v1 = try SummaryWriter(logdir: ObjectStorage.join(logdir, "scalars_v1"))
        let v2 = try SummaryWriter(logdir: ObjectStorage.join(logdir, "scalars_v2"), scalarFormat: .tensor)
        for writer in [v1, v2] {
            for s in 0..<steps {
                try writer.scalar("loss", Self.value(step: s, index: 1), step: s, wallTime: 1.7e9 + Double(s))
                try writer.scalar(
                    "special", Self.specials[s % Self.specials.count], step: s, wallTime: 1.7e9 + Double(s))
            }
            if !exitWithoutClose { try writer.close() }
        }
        let h = try SummaryWriter(logdir: ObjectStorage.join(logdir, "histograms"))
        for s in 0..<steps {
            let n = 1000 + 37 * s
            let values = (0..<n).map { Self.value(step: s, index: $0) }
            let time = 1.7e9 + Double(s)
            try h.histogram("tf_default", values, step: s, wallTime: time)
            try h.histogram("equal_30", values, step: s, bins: .count(30), wallTime: time)
            try h.histogram("edges", values, step: s, bins: .edges([-1000, -10, -1, 0, 1, 10, 1000]), wallTime: time)
            try h.histogram("v2_tensor", values, step: s, bins: .count(30), format: .tensor, wallTime: time)
            var withNaN = values
            withNaN[0] = .nan
            withNaN[1] = .infinity
            try h.histogram("with_nan", withNaN, step: s, wallTime: time)
        }
        if exitWithoutClose {
            // Kept alive past `run()`, so only the exit hook can flush them.
            Self.leftOpen = [v1, v2, h]
        } else {
            try h.close()
        }
    }

    nonisolated(unsafe) static var leftOpen: [SummaryWriter] = []

    private func stress(_ count: Int) throws {
        let writer = try SummaryWriter(logdir: ObjectStorage.join(logdir, "stress"))
        var flushed = -1
        do {
            for s in 0..<count {
                try writer.scalar("stress", Float(s), step: s)
                if s % 100 == 99 {
                    try writer.flush()
                    flushed = s
                }
            }
            try writer.close()
            print("last flushed step: \(count - 1)")
        } catch {
            print("last flushed step: \(flushed)")
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}
