import Foundation
import Synchronization
import TBKit
import Testing

@testable import TBKitS3
@testable import TBKitS3Core

/// `S3ObjectReader` and `S3LogSource` against the test S3 server: objects read in place by
/// ranged GETs with a bounded read-ahead, and each failure named with its object.
@Suite(.enabled(if: liveS3Server, "needs AWS_ENDPOINT_URL (Scripts/ceph-rgw start)"))
struct S3ObjectReaderLiveTests {
    /// Bytes that differ at every offset within a range, so a misplaced range shows.
    static func pattern(_ count: Int, seed: UInt32 = 1) -> Data {
        var x = seed
        return Data(
            (0..<count).map { _ in
                x = x &* 1_664_525 &+ 1_013_904_223
                return UInt8(truncatingIfNeeded: x >> 24)
            })
    }

    static func reader(_ client: S3Client, _ bucket: String, _ key: String, chunk: Int, depth: Int) throws
        -> S3ObjectReader
    {
        let object = try #require(try client.headObject(bucket: bucket, key: key))
        return S3ObjectReader(
            client: client, object: S3Location(bucket: bucket, key: key), size: object.size, etag: object.etag,
            chunkSize: chunk, depth: depth)
    }

    /// Reads the whole object front to back in `piece`-byte reads, checking the read-ahead bound.
    static func readAll(_ reader: S3ObjectReader, piece: Int, depth: Int) throws -> Data {
        var out = Data()
        var buffer = [UInt8](repeating: 0, count: piece)
        while true {
            let n = try buffer.withUnsafeMutableBytes {
                try reader.read(fromAbsoluteOffset: Int64(out.count), into: $0)
            }
            #expect(reader.chunksHeld <= depth)
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }

    @Test func anObjectOfManyRangesIsReadByteForByteWithOneRangedGetPerRange() throws {
        let client = try S3ClientLiveTests.client()
        let bucket = try S3ClientLiveTests.bucket(client)
        let body = Self.pattern(50_000)
        try client.putObject(bucket: bucket, key: "run/big", body: body)
        let reader = try Self.reader(client, bucket, "run/big", chunk: 4096, depth: 3)
        let before = client.statistics.requests
        // 1000-byte reads cross range boundaries (4096 is no multiple of 1000).
        #expect(try Self.readAll(reader, piece: 1000, depth: 3) == body)
        #expect(client.statistics.requests - before == (50_000 + 4095) / 4096)
    }

    @Test func aLookAtTheHeadFetchesOneRangeAndReadAheadStartsPast64KiB() throws {
        let client = try S3ClientLiveTests.client()
        let bucket = try S3ClientLiveTests.bucket(client)
        try client.putObject(bucket: bucket, key: "archive", body: Self.pattern(400_000, seed: 3))
        let reader = try Self.reader(client, bucket, "archive", chunk: 100_000, depth: 3)
        let before = client.statistics.requests
        var buffer = [UInt8](repeating: 0, count: 512)
        _ = try buffer.withUnsafeMutableBytes { try reader.read(fromAbsoluteOffset: 0, into: $0) }
        #expect(client.statistics.requests - before == 1 && reader.chunksHeld == 1)
        _ = try buffer.withUnsafeMutableBytes { try reader.read(fromAbsoluteOffset: 70_000, into: $0) }
        #expect(reader.chunksHeld == 3)
    }

    @Test func readsAtAnyOffsetGiveTheBytesThereAndNothingPastTheEnd() throws {
        let client = try S3ClientLiveTests.client()
        let bucket = try S3ClientLiveTests.bucket(client)
        let body = Self.pattern(10_000, seed: 9)
        try client.putObject(bucket: bucket, key: "k", body: body)
        let reader = try Self.reader(client, bucket, "k", chunk: 4096, depth: 2)
        for offset in [9_990, 0, 4095, 4096, 8191, 5000] {
            var buffer = [UInt8](repeating: 0, count: 300)
            let n = try buffer.withUnsafeMutableBytes { try reader.read(fromAbsoluteOffset: Int64(offset), into: $0) }
            // One read stays within one range.
            let expected = min(300, 10_000 - offset, 4096 - offset % 4096)
            #expect(n == expected)
            #expect(Data(buffer[0..<n]) == body[offset..<offset + n])
        }
        var buffer = [UInt8](repeating: 0, count: 10)
        #expect(try buffer.withUnsafeMutableBytes { try reader.read(fromAbsoluteOffset: 10_000, into: $0) } == 0)
    }

    @Test func aZeroLengthObjectReadsAsEmptyWithoutAnyGet() throws {
        let client = try S3ClientLiveTests.client()
        let bucket = try S3ClientLiveTests.bucket(client)
        try client.putObject(bucket: bucket, key: "empty", body: Data())
        let reader = try Self.reader(client, bucket, "empty", chunk: 4096, depth: 3)
        let before = client.statistics.requests
        #expect(reader.size == 0)
        #expect(try Self.readAll(reader, piece: 100, depth: 3).isEmpty)
        #expect(client.statistics.requests == before)
    }

    @Test func anObjectReplacedWhileReadIsAnErrorNamingItAndItsETag() throws {
        let client = try S3ClientLiveTests.client()
        let bucket = try S3ClientLiveTests.bucket(client)
        try client.putObject(bucket: bucket, key: "run/changing", body: Self.pattern(40_000, seed: 1))
        let reader = try Self.reader(client, bucket, "run/changing", chunk: 4096, depth: 2)
        var buffer = [UInt8](repeating: 0, count: 100)
        _ = try buffer.withUnsafeMutableBytes { try reader.read(fromAbsoluteOffset: 0, into: $0) }
        try client.putObject(bucket: bucket, key: "run/changing", body: Self.pattern(40_000, seed: 2))
        #expect {
            try buffer.withUnsafeMutableBytes { try reader.read(fromAbsoluteOffset: 30_000, into: $0) }
        } throws: { error in
            let text = "\(error)"
            return text.contains("s3://\(bucket)/run/changing changed while it was being read")
                && text.contains("PreconditionFailed")
        }
    }

    @Test func aNetworkFailureAfterRetriesIsAnErrorNamingTheObject() throws {
        let client = try S3ClientLiveTests.client {
            $0.endpoint = URL(string: "http://127.0.0.1:9")!
            $0.maxAttempts = 2
            $0.initialBackoff = 0.01
        }
        let failures = FailureLog()
        let reader = S3ObjectReader(
            client: client, object: S3Location(bucket: "somebucket", key: "run/events.out.tfevents.1"), size: 5000,
            etag: "abc", chunkSize: 4096, depth: 2, failed: { failures.add($0) })
        var buffer = [UInt8](repeating: 0, count: 100)
        #expect {
            try buffer.withUnsafeMutableBytes { try reader.read(fromAbsoluteOffset: 0, into: $0) }
        } throws: { error in
            let text = "\(error)"
            return text.contains("s3://somebucket/run/events.out.tfevents.1") && text.contains("after 2 attempts")
        }
        #expect(failures.all.count == 1)
    }

    @Test func aPrefixListsItsRunsAsDirectoriesHoldingEventFiles() throws {
        let client = try S3ClientLiveTests.client()
        let bucket = try S3ClientLiveTests.bucket(client)
        for key in [
            "logs/events.out.tfevents.1.root", "logs/a/events.out.tfevents.2.x", "logs/a/events.out.tfevents.1.x",
            "logs/a/b/events.out.tfevents.3.y", "logs/a/notes.txt", "logs/c/x.profile-empty",
            "other/events.out.tfevents.9",
        ] {
            try client.putObject(bucket: bucket, key: key, body: Data())
        }
        let runs = try S3LogSource(location: S3Location(bucket: bucket, key: "logs"), label: "s3://\(bucket)/logs/")
            .discover()
        let root = "s3://\(bucket)/logs"
        #expect(runs.map(\.name) == [".", "a", "a/b"])
        #expect(runs.map(\.path) == [root, root + "/a", root + "/a/b"])
        #expect(
            runs[1].eventFiles == [root + "/a/events.out.tfevents.1.x", root + "/a/events.out.tfevents.2.x"])
    }

    @Test func aMissingBucketAndAnEmptyPrefixAreRefusedNamingThem() throws {
        let client = try S3ClientLiveTests.client()
        let bucket = try S3ClientLiveTests.bucket(client)
        #expect {
            try S3LogSource(location: S3Location(bucket: "tbkit-no-such-bucket", key: "p"), label: "x").discover()
        } throws: { error in
            "\(error)".contains("NoSuchBucket") && "\(error)".contains("s3://tbkit-no-such-bucket/p/")
        }
        #expect {
            try S3LogSource(location: S3Location(bucket: bucket, key: "nothing"), label: "x").discover()
        } throws: { error in
            "\(error)".contains("s3://\(bucket)/nothing/: no objects under this prefix")
        }
    }
}

/// Failure sentences an `S3ObjectReader` reported.
private final class FailureLog: Sendable {
    private let sentences = Mutex<[String]>([])
    func add(_ sentence: String) { sentences.withLock { $0.append(sentence) } }
    var all: [String] { sentences.withLock { $0 } }
}
