import Foundation

@testable import TBKit

/// A fresh temporary directory, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() {
        let base = FileManager.default.temporaryDirectory.path + "/tbkit-reader-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` (creating subdirectories) and returns the full path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let full = path + "/" + name
        try? FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }

    /// Appends `bytes` to the file at `path`.
    func append(_ path: String, _ bytes: [UInt8]) {
        guard let h = FileHandle(forWritingAtPath: path) else { return }
        h.seekToEndOfFile()
        h.write(Data(bytes))
        h.closeFile()
    }
}

enum Fixtures {
    /// Tests/TBKitTests/Fixtures, found from this source file's path.
    static let directory: String = {
        let here = #filePath
        return (here as NSString).deletingLastPathComponent + "/Fixtures"
    }()

    static let tensorboardX = directory + "/tensorboardx-writer/events.out.tfevents.1700000000.fixture"
    static let tensorflow = directory + "/tensorflow-style/events.out.tfevents.1700000100.fixture.v2"

    static func bytes(_ path: String) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
    }
}

/// Framed records of a small event file: file_version, then `count` scalar events.
func sampleEventFile(scalars count: Int, tag: String = "loss") -> [UInt8] {
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

extension RecordReader.Next {
    /// A comparable summary of the outcome (payload reduced to its bytes).
    var summary: String {
        switch self {
        case .record(let offset, let payload): return "record@\(offset):\(payload.count)"
        case .damaged(let d): return "damaged@\(d.offset):\(d.length)"
        case .incomplete(let offset, let available, let needed): return "incomplete@\(offset):\(available)/\(needed)"
        case .end: return "end"
        }
    }
}
