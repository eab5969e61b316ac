import TBKitTestSupport
import Testing

@testable import TBKit

/// Bins that cannot bucket truthfully are refused with a typed error, never written.
@Suite struct HistogramBinsValidationTests {
    let values: [Double] = [1, 2, 3]

    @Test func unsortedEdgesAreAThrownError() {
        #expect(throws: HistogramBinsError.descendingEdge(index: 1, value: 1, previous: 3)) {
            try Histogram(values, bins: .edges([3, 1, 2]))
        }
    }

    @Test func repeatedEdgesAreAThrownError() {
        #expect(throws: HistogramBinsError.repeatedEdge(index: 2, value: 1)) {
            try Histogram(values, bins: .edges([0, 1, 1, 2]))
        }
    }

    @Test func nanEdgesAreAThrownError() {
        #expect(throws: HistogramBinsError.self) { try Histogram(values, bins: .edges([0, .nan, 2])) }
        do {
            _ = try Histogram(values, bins: .edges([0, .nan, 2]))
        } catch {
            guard case .nonFiniteEdge(let index, let v) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(index == 1 && v.isNaN)
        }
    }

    @Test func infiniteEdgesAreAThrownError() {
        #expect(throws: HistogramBinsError.nonFiniteEdge(index: 2, value: .infinity)) {
            try Histogram(values, bins: .edges([0, 1, .infinity]))
        }
        #expect(throws: HistogramBinsError.nonFiniteEdge(index: 0, value: -.infinity)) {
            try Histogram([Float(1)], bins: .edges([-.infinity, 1, 2]))
        }
    }

    @Test func fewerThanTwoEdgesAreAThrownError() {
        #expect(throws: HistogramBinsError.tooFewEdges(count: 1)) { try Histogram(values, bins: .edges([1])) }
        #expect(throws: HistogramBinsError.tooFewEdges(count: 0)) { try Histogram(values, bins: .edges([])) }
    }

    @Test func zeroOrNegativeBucketCountsAreAThrownError() {
        #expect(throws: HistogramBinsError.noBuckets(count: 0)) { try Histogram(values, bins: .count(0)) }
        #expect(throws: HistogramBinsError.noBuckets(count: -3)) { try Histogram([Float(1)], bins: .count(-3)) }
    }

    @Test func theWriterRefusesBadBinsAndWritesNothingForThem() throws {
        let dir = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: dir.path)
        #expect(throws: HistogramBinsError.descendingEdge(index: 1, value: 1, previous: 3)) {
            try writer.histogram("h", values, step: 0, bins: .edges([3, 1, 2]))
        }
        #expect(throws: HistogramBinsError.noBuckets(count: 0)) {
            try writer.histogram("h", [Float(1), 2], step: 0, bins: .count(0))
        }
        try writer.scalar("after", 1, step: 0)
        try writer.close()
        var seen: [String] = []
        for run in try RunDirectory.discover(logdir: dir.path) {
            let reader = EventFileReader(files: run.eventFiles)
            while let v = reader.nextValue() {
                switch v {
                case .scalar(let p): seen.append("scalar \(p.tag)")
                case .histogram(let h): seen.append("histogram \(h.tag)")
                case .other(let o): seen.append("other \(o.tag)")
                }
            }
        }
        #expect(seen == ["scalar after"])
    }

    @Test func errorMessagesSayWhichEdgeAndWhatToDo() {
        let text = HistogramBinsError.descendingEdge(index: 1, value: 1, previous: 3).description
        #expect(text.contains("edge 1") && text.contains("ascending"))
        #expect(HistogramBinsError.noBuckets(count: 0).description.contains("at least 1"))
    }

    @Test func validBinsStillPass() throws {
        try HistogramBins.tensorflow.validate()
        try HistogramBins.count(1).validate()
        try HistogramBins.edges([-1, 0, 1e300]).validate()
    }
}
