import TBKit
import TBKitArchive

// libFuzzer target: arbitrary bytes as a tar stream (or a .tar.gz), read member by member.
//
// Byte 0 = flags, the rest = the archive.
//   flags bit 0: rewrite the checksum of every 512-byte block that is not all zeros, so mutated
//                headers get past the checksum to the numeric fields, pax records and long names
//   flags bit 1: gzip the archive first and read it back through GZipDecompressor in small
//                pieces, as `tbkit extract` reads a .tar.gz
// Every member's data is read (or skipped, by flags bit 2), its path and link target go through
// ArchivePath, the manifest member through ArchiveManifest.decode; then the rest is drained.
#if canImport(Glibc)
    import Glibc
#endif

/// Sets the header checksum field of each non-zero block as a tar writer would.
func repairChecksums(_ tar: inout [UInt8]) {
    var o = 0
    while tar.count - o >= 512 {
        if tar[o..<(o + 512)].contains(where: { $0 != 0 }) {
            for i in 148..<156 { tar[o + i] = UInt8(ascii: " ") }
            let sum = tar[o..<(o + 512)].reduce(0) { $0 + Int($1) }
            let digits = Array(String(sum, radix: 8).utf8)
            let field =
                [UInt8](repeating: UInt8(ascii: "0"), count: max(0, 6 - digits.count)) + digits.suffix(6) + [
                    0, UInt8(ascii: " "),
                ]
            for i in 0..<8 { tar[o + 148 + i] = field[i] }
        }
        o += 512
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTar(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let flags = data[0]
    var tar = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if flags & 1 != 0 { repairChecksums(&tar) }
    if flags & 2 != 0 {
        // Through the streaming decompressor, 97 compressed bytes at a time.
        guard let packed = try? GZip.compress(tar, level: 1),
            let inflater = try? InflateStream(chunkSize: 1024, format: .gzip)
        else {
            fail("cannot gzip \(tar.count) bytes")
        }
        var out: [UInt8] = []
        do {
            try packed.withUnsafeBytes { raw in
                var o = 0
                while o < raw.count {
                    let n = min(97, raw.count - o)
                    try inflater.decompress(UnsafeRawBufferPointer(rebasing: raw[o..<(o + n)])) {
                        out.append(contentsOf: $0)
                    }
                    o += n
                }
            }
            try inflater.finish()
        } catch {
            fail("a gzip stream TBKit wrote does not decompress: \(error)")
        }
        check(out == tar, "streaming gzip round trip changed the data")
    }
    var position = 0
    var reader = TarReader { buffer in
        let n = min(buffer.count, tar.count - position)
        tar.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[position..<(position + n)])) }
        position += n
        return n
    }
    var members = 0
    do {
        while let entry = try reader.next() {
            members += 1
            check(members <= tar.count / 512, "more members than blocks")
            _ = ArchivePath.components(of: entry.path)
            _ = ArchivePath.resolve(linkTarget: entry.linkTarget, linkPath: entry.path)
            if flags & 4 == 0 {
                var bytes: [UInt8] = []
                try reader.readData { bytes.append(contentsOf: $0) }
                check(UInt64(bytes.count) == entry.size || entry.kind != .regular, "member data is not its size")
                if entry.path.hasSuffix(ArchiveManifest.memberName) {
                    _ = try? ArchiveManifest.decode(bytes, archive: "fuzz.tar")
                }
            }
        }
        _ = try reader.drainToEnd()
    } catch {
        _ = "\(error)"
    }
    check(reader.offset == UInt64(position), "reader offset \(reader.offset) is not the bytes read \(position)")
    return 0
}
