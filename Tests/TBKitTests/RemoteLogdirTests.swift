import Foundation
import Synchronization
import TBKitTestSupport
import Testing

@testable import TBKit

/// The seam for remote logdirs: a URL logdir goes to the registered scheme's store, which gets
/// every sealed file; an unknown scheme is refused before anything is written.
@Suite struct RemoteLogdirTests {
    /// A store that records what the writer hands it.
    final class RecordingStore: RemoteLogdirStore {
        let spoolDirectory: String
        let rotation = FileRotation(maxBytes: 1 << 30)
        let minimumFlushBytes = 200
        let sealed = Mutex<[String]>([])
        let finished = Mutex(0)
        init(spool: String) { spoolDirectory = spool }
        func fileSealed(path: String) { sealed.withLock { $0.append(path) } }
        func finish() throws { finished.withLock { $0 += 1 } }
    }

    struct RecordingScheme: RemoteLogdirScheme {
        let store: RecordingStore
        var scheme: String { "tbkit-test" }
        func open(url: String) throws -> any RemoteLogdirStore { store }
    }

    @Test func unregisteredSchemeIsRefusedNamingIt() {
        #expect(throws: SummaryWriterError.unsupportedLogdirScheme(scheme: "nosuch", logdir: "nosuch://b/run")) {
            _ = try SummaryWriter(logdir: "nosuch://b/run")
        }
    }

    @Test func schemeOfALocalPathIsNil() {
        #expect(RemoteLogdirs.scheme(of: "logs/run1") == nil)
        #expect(RemoteLogdirs.scheme(of: "/tmp/a://b") == nil)
        #expect(RemoteLogdirs.scheme(of: "S3://bucket/run") == "s3")
    }

    @Test func flushPastTheMinimumSealsAndCloseFinishesTheStore() throws {
        let tmp = TemporaryDirectory()
        let spool = tmp.path + "/spool"
        let store = RecordingStore(spool: spool)
        RemoteLogdirs.register(RecordingScheme(store: store))
        let writer = try SummaryWriter(logdir: "tbkit-test://bucket/run", flushInterval: 0)
        #expect(writer.localDirectory == spool)
        try writer.scalar("loss", 1.0, step: 0)
        try writer.flush()  // under 200 bytes: nothing sealed
        #expect(store.sealed.withLock { $0 }.isEmpty)
        for step in 1...10 { try writer.scalar("loss", Double(step), step: step) }
        try writer.flush()  // past 200 bytes: the file is sealed and handed on
        #expect(store.sealed.withLock { $0 }.count == 1)
        try writer.scalar("loss", 11.0, step: 11)
        try writer.close()
        let sealed = store.sealed.withLock { $0 }
        #expect(sealed.count == 2 && sealed == writer.paths)
        #expect(sealed.allSatisfy { $0.hasPrefix(spool + "/") })
        #expect(store.finished.withLock { $0 } == 1)
    }

    @Test func embeddingOnARemoteWriterGoesIntoTheSpoolNotAFolderNamedAfterTheScheme() throws {
        let tmp = TemporaryDirectory()
        let spool = tmp.path + "/spool"
        let store = RecordingStore(spool: spool)
        RemoteLogdirs.register(RecordingScheme(store: store))
        let writer = try SummaryWriter(logdir: "tbkit-test://bucket/run", flushInterval: 0)
        let entry = try #require(
            try writer.embedding("points", vectors: [1, 2, 3, 4], rows: 2, dims: 2, labels: ["a", "b"]))
        try writer.close()
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: spool + "/" + entry.tensorPath))
        #expect(fm.fileExists(atPath: spool + "/" + entry.metadataPath))
        #expect(fm.fileExists(atPath: spool + "/" + Projector.configFileName))
        #expect(!fm.fileExists(atPath: fm.currentDirectoryPath + "/tbkit-test:"))
    }
}
