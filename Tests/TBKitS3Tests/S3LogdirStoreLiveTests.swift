import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit
@testable import TBKitS3
@testable import TBKitS3Core

/// The spool of an s3:// run against the live server: what could not be sent stays local, is
/// named by `finish()`, and is sent by the next store opened for the same run.
@Suite(.enabled(if: liveS3Server, "needs AWS_ENDPOINT_URL (Scripts/ceph-rgw start)"))
struct S3LogdirStoreLiveTests {
    @Test func unsentSegmentStaysInTheSpoolAndTheNextStoreSendsIt() throws {
        let good = try S3ClientLiveTests.client()
        let bucket = try S3ClientLiveTests.bucket(good)
        let tmp = TemporaryDirectory()
        let spool = tmp.path + "/spool"
        let settings = try S3LogdirSettings(environment: ["TBKIT_S3_SPOOL": spool, "TBKIT_S3_CLOSE_TIMEOUT": "1"])
        let location = S3Location(bucket: bucket, key: "p/run")
        let dead = try S3ClientLiveTests.client {
            $0.endpoint = URL(string: "http://127.0.0.1:9")!
            $0.maxAttempts = 1
        }

        let first = try S3LogdirStore(location: location, client: dead, settings: settings)
        let name = "events.out.tfevents.1700000000.host.1.000000.abcdef01"
        let path = first.spoolDirectory + "/" + name
        let bytes = Data((0..<3000).map { UInt8($0 % 256) })
        #expect(FileManager.default.createFile(atPath: path, contents: bytes))
        first.fileSealed(path: path)
        #expect {
            try first.finish()
        } throws: { error in
            guard case .remoteUploadIncomplete(let logdir, let paths, let reason)? = error as? SummaryWriterError
            else { return false }
            return logdir == "s3://\(bucket)/p/run" && paths == [path] && reason.contains("no answer")
        }
        #expect(FileManager.default.fileExists(atPath: path))

        let second = try S3LogdirStore(location: location, client: good, settings: settings)
        try second.finish()
        #expect(try good.getObject(bucket: bucket, key: "p/run/" + name) == bytes)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(second.uploadedCount == 1)
    }

    /// Opens stores for `tbkit-s3-embedding://bucket/key` URLs with a given spool, so the test
    /// leaves the process's `s3` registration alone.
    struct SpoolScheme: RemoteLogdirScheme {
        let client: S3Client
        let settings: S3LogdirSettings
        var scheme: String { "tbkit-s3-embedding" }
        func open(url: String) throws -> any RemoteLogdirStore {
            let location = try S3Location(url: "s3" + url.dropFirst(scheme.count))
            return try S3LogdirStore(location: location, client: client, settings: settings)
        }
    }

    @Test func anEmbeddingOfAnS3WriterIsUploadedBesideItsEventFiles() throws {
        let client = try S3ClientLiveTests.client()
        let bucket = try S3ClientLiveTests.bucket(client)
        let tmp = TemporaryDirectory()
        let settings = try S3LogdirSettings(environment: ["TBKIT_S3_SPOOL": tmp.path + "/spool"])
        RemoteLogdirs.register(SpoolScheme(client: client, settings: settings))
        let writer = try SummaryWriter(logdir: "tbkit-s3-embedding://\(bucket)/p/run", flushInterval: 0)
        try writer.scalar("loss", 1.0, step: 0)
        let entry = try #require(
            try writer.embedding("points", vectors: [1, 2, 3, 4], rows: 2, dims: 2, labels: ["a", "b"]))
        try writer.close()
        let keys = try client.listObjects(bucket: bucket, prefix: "p/run/").objects.map(\.key)
        #expect(keys.contains("p/run/" + entry.tensorPath))
        #expect(keys.contains("p/run/" + entry.metadataPath))
        #expect(keys.contains("p/run/" + Projector.configFileName))
        #expect(keys.contains { RunDirectory.isEventFileName($0) })
        let tensor = try client.getObject(bucket: bucket, key: "p/run/" + entry.tensorPath)
        #expect(String(decoding: tensor, as: UTF8.self) == "1.0\t2.0\n3.0\t4.0\n")
        let fm = FileManager.default
        #expect(!fm.fileExists(atPath: fm.currentDirectoryPath + "/tbkit-s3-embedding:"))
    }
}
