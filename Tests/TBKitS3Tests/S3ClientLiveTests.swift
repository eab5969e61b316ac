import Foundation
import Testing

@testable import TBKitS3
@testable import TBKitS3Core

/// True when a test S3 server's endpoint is exported.
let liveS3Server = ProcessInfo.processInfo.environment["AWS_ENDPOINT_URL"] != nil

/// The client against a real S3 server: `Scripts/test` starts Ceph's RADOS gateway
/// (`Scripts/ceph-rgw`) and exports its endpoint and keys (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
/// AWS_SECRET_ACCESS_KEY) before `swift test`, so these run there; without a server they are
/// skipped by name.
@Suite(.enabled(if: liveS3Server, "needs AWS_ENDPOINT_URL (Scripts/ceph-rgw start)"))
struct S3ClientLiveTests {

    static func client(_ change: (inout S3Configuration) -> Void = { _ in }) throws -> S3Client {
        var configuration = try S3Configuration.fromEnvironment()
        change(&configuration)
        return S3Client(configuration: configuration)
    }

    /// A fresh bucket for one test.
    static func bucket(_ client: S3Client) throws -> String {
        let name = "tbkit-test-\(UInt32.random(in: 0...UInt32.max))"
        try client.createBucket(name)
        return name
    }

    @Test func putGetRangeHeadListAndDeleteRoundTrip() throws {
        let client = try Self.client()
        let bucket = try Self.bucket(client)
        let body = Data((0..<1000).map { UInt8($0 % 251) })
        try client.putObject(bucket: bucket, key: "run/a b+c.bin", body: body)
        #expect(try client.getObject(bucket: bucket, key: "run/a b+c.bin") == body)
        #expect(try client.getObject(bucket: bucket, key: "run/a b+c.bin", range: 10...19) == body[10...19])
        #expect(try client.headObject(bucket: bucket, key: "run/a b+c.bin")?.size == 1000)
        #expect(try client.headObject(bucket: bucket, key: "run/missing") == nil)
        try client.deleteObject(bucket: bucket, key: "run/a b+c.bin")
        #expect(try client.listAllObjects(bucket: bucket, prefix: "run/").isEmpty)
    }

    @Test func listingFollowsContinuationTokensInKeyOrder() throws {
        let client = try Self.client()
        let bucket = try Self.bucket(client)
        let keys = (0..<7).map { "p/k\($0)&<x>" }
        for key in keys.reversed() { try client.putObject(bucket: bucket, key: key, body: Data(key.utf8)) }
        try client.putObject(bucket: bucket, key: "q/other", body: Data())
        let page = try client.listObjects(bucket: bucket, prefix: "p/", maxKeys: 3)
        #expect(page.objects.count == 3 && page.nextContinuationToken != nil)
        let all = try client.listAllObjects(bucket: bucket, prefix: "p/", pageSize: 3)
        #expect(all.map(\.key) == keys)
        #expect(all.map(\.size) == keys.map { UInt64($0.utf8.count) })
    }

    @Test func multipartUploadJoinsPartsInOrder() throws {
        let client = try Self.client()
        let bucket = try Self.bucket(client)
        let first = Data(repeating: 7, count: 5 << 20)
        let second = Data("tail".utf8)
        let id = try client.createMultipartUpload(bucket: bucket, key: "big")
        let e1 = try client.uploadPart(bucket: bucket, key: "big", uploadID: id, partNumber: 1, body: first)
        let e2 = try client.uploadPart(bucket: bucket, key: "big", uploadID: id, partNumber: 2, body: second)
        try client.completeMultipartUpload(bucket: bucket, key: "big", uploadID: id, parts: [(1, e1), (2, e2)])
        #expect(try client.headObject(bucket: bucket, key: "big")?.size == UInt64(first.count + second.count))
        #expect(
            try client.getObject(bucket: bucket, key: "big", range: UInt64(first.count - 2)...UInt64(first.count + 3))
                == Data([7, 7]) + second)
        let aborted = try client.createMultipartUpload(bucket: bucket, key: "never")
        try client.abortMultipartUpload(bucket: bucket, key: "never", uploadID: aborted)
        #expect(try client.headObject(bucket: bucket, key: "never") == nil)
    }

    @Test func missingBucketIsNamedWithItsS3Code() throws {
        let client = try Self.client()
        #expect {
            try client.checkAccess(bucket: "tbkit-no-such-bucket", prefix: "x/")
        } throws: { error in
            let e = error as? S3Error
            return e?.code == "NoSuchBucket" && "\(error)".contains("s3://tbkit-no-such-bucket/x/")
        }
    }

    @Test func wrongSecretIsSignatureDoesNotMatch() throws {
        let client = try Self.client { $0.credentials.secretAccessKey += "x" }
        #expect {
            try client.checkAccess(bucket: "anything", prefix: "")
        } throws: { error in
            (error as? S3Error)?.code == "SignatureDoesNotMatch" && "\(error)".contains("AWS_SECRET_ACCESS_KEY")
        }
    }

    @Test func skewedClockIsRequestTimeTooSkewed() throws {
        let client = try Self.client { $0.clockOffset = -3600 }
        #expect {
            try client.checkAccess(bucket: "anything", prefix: "")
        } throws: { error in
            (error as? S3Error)?.code == "RequestTimeTooSkewed"
        }
    }

    @Test func silentEndpointIsUnreachableAfterBoundedRetries() throws {
        // A port nothing listens on: connection refused at once, retried, then named.
        let client = try Self.client {
            $0.endpoint = URL(string: "http://127.0.0.1:9")!
            $0.maxAttempts = 2
            $0.initialBackoff = 0.01
        }
        let start = Date()
        #expect {
            try client.checkAccess(bucket: "somebucket", prefix: "p/")
        } throws: { error in
            guard case .unreachable(_, _, let bucket, _, _, let attempts)? = error as? S3Error else { return false }
            return bucket == "somebucket" && attempts == 2
        }
        #expect(Date().timeIntervalSince(start) < 30)
        #expect(client.statistics.retries == 1)
    }
}
