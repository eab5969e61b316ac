import Foundation
import Testing

@testable import TBKitS3
@testable import TBKitS3Core

/// Signature Version 4 against the worked examples in AWS's S3 documentation ("Signature
/// Calculations for the Authorization Header: Transferring Payload in a Single Chunk"): example
/// keys, bucket `examplebucket`, 2013-05-24 00:00:00 UTC, us-east-1. The expected signatures are
/// the published ones.
@Suite struct SigV4Tests {
    static let signer = SigV4(
        credentials: S3Credentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")
    static let date = "20130524T000000Z"
    static let host = "examplebucket.s3.amazonaws.com"

    @Test func getObjectWithRangeMatchesAWSExample() {
        let request = SigV4.Request(
            method: "GET", encodedPath: "/test.txt", query: [],
            headers: [
                ("Host", Self.host), ("Range", "bytes=0-9"), ("x-amz-content-sha256", SigV4.emptyPayloadHash),
                ("x-amz-date", Self.date),
            ], payloadHash: SigV4.emptyPayloadHash)
        let s = Self.signer.sign(request, amzDate: Self.date)
        #expect(
            s.canonicalRequest
                == "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:\(SigV4.emptyPayloadHash)\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n\(SigV4.emptyPayloadHash)"
        )
        #expect(
            s.stringToSign
                == "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
        )
        #expect(s.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(
            s.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
    }

    @Test func getBucketLifecycleSignsAnEmptyValuedQueryParameter() {
        let request = SigV4.Request(
            method: "GET", encodedPath: "/", query: [("lifecycle", "")],
            headers: [
                ("Host", Self.host), ("x-amz-date", Self.date), ("x-amz-content-sha256", SigV4.emptyPayloadHash),
            ], payloadHash: SigV4.emptyPayloadHash)
        let s = Self.signer.sign(request, amzDate: Self.date)
        #expect(s.canonicalRequest.hasPrefix("GET\n/\nlifecycle=\n"))
        #expect(s.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test func listObjectsSortsAndEncodesTheQuery() {
        let request = SigV4.Request(
            method: "GET", encodedPath: "/", query: [("prefix", "J"), ("max-keys", "2")],
            headers: [
                ("Host", Self.host), ("x-amz-date", Self.date), ("x-amz-content-sha256", SigV4.emptyPayloadHash),
            ], payloadHash: SigV4.emptyPayloadHash)
        let s = Self.signer.sign(request, amzDate: Self.date)
        #expect(s.canonicalRequest.hasPrefix("GET\n/\nmax-keys=2&prefix=J\n"))
        #expect(s.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func amzDateIsUTCSecondsFromTheEpoch() {
        #expect(SigV4.amzDate(Date(timeIntervalSince1970: 1_369_353_600)) == "20130524T000000Z")
        #expect(SigV4.amzDate(Date(timeIntervalSince1970: 951_782_400 + 86_399.5)) == "20000229T235959Z")
        #expect(SigV4.amzDate(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
    }

    @Test func percentEncodingKeepsUnreservedAndEncodesTheRestOnce() {
        #expect(SigV4.percentEncode("a b/c~d_e.f-g", keepSlash: true) == "a%20b/c~d_e.f-g")
        #expect(SigV4.percentEncode("a/b=c&d", keepSlash: false) == "a%2Fb%3Dc%26d")
        #expect(SigV4.percentEncode("é", keepSlash: false) == "%C3%A9")
    }
}
