import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit

/// What `SummaryWriter` writes, `EventFileReader` reads back value for value.
@Suite struct SummaryWriterReadBackTests {
    @Test func scalarsAndHistogramsOfBothFormatsReadBackExactly() throws {
        let dir = TemporaryDirectory()
        let v1 = try SummaryWriter(logdir: dir.path + "/v1")
        let v2 = try SummaryWriter(logdir: dir.path + "/v2", scalarFormat: .tensor)
        let samples: [Double] = [-1.5, 0, 0.25, 0.25, 3]
        for step in 0..<3 {
            try v1.scalar("loss", 0.1 * Double(step), step: step, wallTime: 100 + Double(step))
            try v2.scalar("loss", 0.1 * Double(step), step: step, wallTime: 100 + Double(step))
        }
        try v1.histogram("w", samples, step: 7, wallTime: 200)
        try v2.histogram("w", precomputed: try Histogram(samples), step: 7, format: .tensor, wallTime: 200)
        try v1.close()
        try v2.close()

        let runs = try RunDirectory.discover(logdir: dir.path)
        #expect(runs.map(\.name) == ["v1", "v2"])
        for run in runs {
            let reader = EventFileReader(files: run.eventFiles)
            var scalars: [ScalarPoint] = []
            var histograms: [HistogramPoint] = []
            while let v = reader.nextValue() {
                switch v {
                case .scalar(let p): scalars.append(p)
                case .histogram(let h): histograms.append(h)
                case .other(let o): Issue.record("unexpected \(o.tag) in \(run.name)")
                }
            }
            #expect(reader.problems.isEmpty)
            #expect(scalars.map(\.value) == [0, Double(Float(0.1)), Double(Float(0.2))], "\(run.name)")
            #expect(scalars.map(\.step) == [0, 1, 2])
            #expect(scalars.map(\.wallTime) == [100, 101, 102])
            #expect(histograms.count == 1)
            let h = try #require(histograms.first)
            #expect(h.step == 7 && h.wallTime == 200)
            #expect(h.buckets.reduce(0) { $0 + $1.count } == 5, "\(run.name)")
            #expect(h.buckets.first?.left == -1.5)
            #expect(h.buckets.last?.right == 3)
            let v = FileVerification.verify(path: run.eventFiles[0])
            #expect(v.isSound)
        }
    }
}
