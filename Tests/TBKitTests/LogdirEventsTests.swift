import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit

/// `LogdirEvents` follows a run as it grows.
@Suite struct LogdirEventsTests {
    @Test func theSequenceYieldsWhatIsWrittenThenWhatIsAppendedLater() async throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path + "/run1", flushInterval: 0)
        for step in 0..<3 { try writer.scalar("loss", Float(step), step: step) }
        try writer.flush()
        var seen: [(String, Int64)] = []
        for try await item in LogdirEvents(logdir: tmp.path, pollEvery: .milliseconds(20)) {
            guard case .scalar(let s) = item.value else { continue }
            seen.append((item.run, s.step))
            if s.step == 2 {
                try writer.scalar("loss", 3.0, step: 3)
                try writer.flush()
            }
            if s.step == 3 { break }
        }
        try writer.close()
        #expect(seen.map(\.1) == [0, 1, 2, 3])
        #expect(seen.allSatisfy { $0.0 == "run1" })
    }

    @Test func aMissingLogdirThrows() async {
        await #expect(throws: LogDirectoryError.self) {
            for try await _ in LogdirEvents(logdir: "/nonexistent/tbkit-logdir") {}
        }
    }
}
