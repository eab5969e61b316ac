import TBKit
import TBKitArchive

// libFuzzer target: arbitrary bytes through GZip.decompress; whatever decompresses must
// compress and decompress back to itself.
#if canImport(Glibc)
    import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGZip(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let plain = try? GZip.decompress(input) else { return 0 }
    guard let packed = try? GZip.compress(plain, level: 1), let back = try? GZip.decompress(packed) else {
        fail("decompressed data does not compress and decompress")
    }
    check(back == plain, "gzip round trip changed the data")
    return 0
}
