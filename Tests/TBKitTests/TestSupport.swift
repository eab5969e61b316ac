import Foundation

@testable import TBKit

/// Splits TFRecord bytes into payloads, checking both CRCs; a minimal, independent check of the
/// framing that the writer tests rely on. Returns nil on any damage.
func splitRecords(_ bytes: [UInt8]) -> [[UInt8]]? {
    var out = [[UInt8]]()
    var i = 0
    while i < bytes.count {
        guard bytes.count - i >= 12 else { return nil }
        var length: UInt64 = 0
        for k in 0..<8 { length |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        guard CRC32C.mask(CRC32C.checksum(bytes[i..<(i + 8)])) == u32(i + 8) else { return nil }
        let n = Int(length)
        guard bytes.count - i - 12 >= n + 4 else { return nil }
        let payload = Array(bytes[(i + 12)..<(i + 12 + n)])
        guard CRC32C.mask(CRC32C.checksum(payload)) == u32(i + 12 + n) else { return nil }
        out.append(payload)
        i += 16 + n
    }
    return out
}

func readFile(_ path: String) -> [UInt8] {
    (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
}
