import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit
@testable import TBKitReport

/// The report reads plain v1 scalar records straight from their bytes; the data it gathers is
/// the data a full decode of every record gives.
@Suite struct ReportBuilderPlainScalarTests {
    /// A run of 20 tags taking turns (more than the builder's recent-tag slots), a histogram and
    /// a record that is not an Event; with `decodable`, every scalar record carries an unknown
    /// Event field, which a full decode skips but the plain-scalar matcher refuses.
    static func run(decodable: Bool) throws -> [UInt8] {
        var file: [UInt8] = []
        RecordWriter.append(
            payload: Event(wallTime: 1_700_000_000, what: .fileVersion("brain.Event:2")).encoded(), to: &file)
        for i in 0..<3_000 {
            let tag = "group\(i % 20 < 10 ? "a" : "b")/tag\(i % 20)"
            let value = SummaryValue(tag: tag, kind: .simpleValue(Float(i % 97) / 7))
            var payload = Event(
                wallTime: 1_700_000_000.5 + Double(i) / 3, step: Int64(i / 20 - 5),
                what: .summary(Summary(values: [value]))
            ).encoded()
            if decodable { payload += [0xA0, 0x01, 0x03] }  // field 20, varint 3
            RecordWriter.append(payload: payload, to: &file)
            if i % 500 == 0 {
                let h = try Histogram([Float(i), 1, 2, 3])
                let hv = SummaryValue(tag: "weights", kind: .histogram(h.proto))
                RecordWriter.append(
                    payload: Event(wallTime: 1_700_000_001, step: Int64(i), what: .summary(Summary(values: [hv])))
                        .encoded(), to: &file)
            }
        }
        RecordWriter.append(payload: [0x10, 0xFF], to: &file)  // not an Event: a problem
        return file
    }

    /// The data as JSON, without what differs by where the files are and how long the records
    /// are (the logdir, and the problem's path and byte offset).
    static func json(_ data: ReportData) throws -> String {
        var data = data
        data.logdir = ""
        data.problems = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(data), as: UTF8.self)
    }

    @Test func plainScalarRecordsGiveTheReportAFullDecodeGives() throws {
        let plain = TemporaryDirectory()
        plain.write("run/events.out.tfevents.1.h", try Self.run(decodable: false))
        let decoded = TemporaryDirectory()
        decoded.write("run/events.out.tfevents.1.h", try Self.run(decodable: true))
        let a = try ReportBuilder(scalarPoints: 50).build(logdir: plain.path)
        let b = try ReportBuilder(scalarPoints: 50).build(logdir: decoded.path)
        #expect(try Self.json(a) == Self.json(b))
        // 3,000 scalars, 6 histograms and the file_version event (the bad record is a problem).
        #expect(a.scalars.count == 20 && a.runs.first?.events == 3_007)
        #expect(a.histograms.count == 1 && a.problems.count == 1 && b.problems.count == 1)
    }
}
