import Foundation
import TBKit

/// The committed event files of Tests/TBKitTests/Fixtures (see its README).
package enum Fixtures {
    /// Tests/TBKitTests/Fixtures, found from this source file's path.
    package static let directory: String = {
        let here = #filePath
        let tests = ((here as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        return tests + "/TBKitTests/Fixtures"
    }()

    /// Written by tensorboardX.
    package static let tensorboardX = directory + "/tensorboardx-writer/events.out.tfevents.1700000000.fixture"
    /// Written the way TensorFlow writes v2 summaries.
    package static let tensorflow = directory + "/tensorflow-style/events.out.tfevents.1700000100.fixture.v2"

    /// The bytes of the file at `path` (empty when it cannot be read).
    package static func bytes(_ path: String) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
    }
}

/// Framed records of a small event file: file_version, then `count` scalar events.
package func sampleEventFile(scalars count: Int, tag: String = "loss") -> [UInt8] {
    var out: [UInt8] = []
    RecordWriter.append(
        payload: Event(wallTime: 1_700_000_000, what: .fileVersion("brain.Event:2")).encoded(), to: &out)
    for i in 0..<count {
        let e = Event(
            wallTime: 1_700_000_000 + Double(i), step: Int64(i),
            what: .summary(
                Summary(values: [
                    SummaryValue(tag: tag, kind: .simpleValue(Float(i) * 0.5))
                ])))
        RecordWriter.append(payload: e.encoded(), to: &out)
    }
    return out
}
