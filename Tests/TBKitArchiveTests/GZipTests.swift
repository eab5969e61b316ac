import Testing

@testable import TBKit
@testable import TBKitArchive

@Suite struct GZipTests {
    @Test func compressThenDecompressGivesTheInputBack() throws {
        let input = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ ($0 >> 7)) }
        let packed = try GZip.compress(input)
        #expect(packed.count < input.count)
        #expect(packed[0] == 0x1F && packed[1] == 0x8B)
        #expect(try GZip.decompress(packed) == input)
    }

    @Test func truncatedStreamIsAnError() throws {
        let packed = try GZip.compress(Array(repeating: 7, count: 10_000))
        #expect(throws: GZip.Error.self) { try GZip.decompress(Array(packed.dropLast(10))) }
    }
}
