import CTBKitSupport

/// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord framing.
///
/// `checksum` uses the CPU's instruction when it has one (SSE4.2 on x86-64, the CRC extension on
/// arm64), chosen once at run time, and a slicing-by-8 table otherwise. Both give identical
/// results: `CRC32C.checksum("123456789")` is `0xE3069283`.
package enum CRC32C {
    /// True when `TBKIT_CRC32C=software` is set: the software path is used as on a CPU without
    /// the instruction (to test that path, or to compare).
    package static let softwareRequested: Bool = Platform.environmentValue("TBKIT_CRC32C") == "software"

    /// True when `checksum` runs on the CPU's CRC32C instruction. The CPU is asked on first use
    /// (never at load time), so a CPU or OS without the instruction simply gets the software path.
    package static let usesHardware: Bool = !softwareRequested && tbkit_crc32c_hw_available() != 0

    /// The path `checksum` takes, in words (what `tbkit bench` prints).
    package static var pathDescription: String {
        if usesHardware {
            #if arch(x86_64)
                return "hardware (SSE4.2 crc32 instruction)"
            #else
                return "hardware (ARMv8 CRC32 instructions)"
            #endif
        }
        if softwareRequested { return "software (slicing-by-8), as TBKIT_CRC32C=software asks" }
        return "software (slicing-by-8): this CPU or OS offers no CRC32C instruction TBKit can use"
    }

    /// The CRC32C of `bytes`, continuing from `crc` (the finished CRC of the bytes before them).
    @inlinable
    package static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        if usesHardware {
            guard let base = bytes.baseAddress else { return crc }
            return tbkit_crc32c_hw(crc, base, bytes.count)
        }
        return software(bytes, continuing: crc)
    }

    /// The CRC32C of a byte collection (an `[UInt8]`, a `String.UTF8View`, ...).
    package static func checksum<C: Collection>(_ bytes: C, continuing crc: UInt32 = 0) -> UInt32
    where C.Element == UInt8 {
        if let result = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0), continuing: crc) }
        ) {
            return result
        }
        let copy = Array(bytes)
        return copy.withUnsafeBytes { checksum($0, continuing: crc) }
    }

    /// The CRC32C of a string's UTF-8 bytes.
    package static func checksum(_ string: String) -> UInt32 {
        var s = string
        return s.withUTF8 { checksum(UnsafeRawBufferPointer($0)) }
    }

    /// TensorFlow's mask: rotate right by 15 bits, then add 0xA282EAD8 (wrapping). Stored CRCs are
    /// masked so that a CRC of data that itself contains CRCs stays well distributed.
    @inlinable
    package static func mask(_ crc: UInt32) -> UInt32 {
        ((crc &>> 15) | (crc &<< 17)) &+ 0xA282_EAD8
    }

    /// The inverse of `mask`.
    @inlinable
    package static func unmask(_ masked: UInt32) -> UInt32 {
        let rot = masked &- 0xA282_EAD8
        return (rot &>> 17) | (rot &<< 15)
    }

    /// The masked CRC32C of `bytes`, as stored in a TFRecord.
    @inlinable
    package static func maskedChecksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        mask(checksum(bytes))
    }

    /// Slicing-by-8 table implementation; used where the CPU has no CRC32C instruction, and
    /// package so tests and benchmarks can compare it with the hardware path.
    package static func software(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        var c = ~crc
        var count = bytes.count
        guard var p = bytes.baseAddress else { return crc }
        return table.withUnsafeBufferPointer { t -> UInt32 in
            // Bytes one at a time until the pointer is 8-aligned.
            while count > 0 && Int(bitPattern: p) & 7 != 0 {
                c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                p += 1
                count -= 1
            }
            while count >= 8 {
                let lo = UInt32(littleEndian: p.load(as: UInt32.self)) ^ c
                let hi = UInt32(littleEndian: p.load(fromByteOffset: 4, as: UInt32.self))
                // Table k (entries k * 256 ..< (k + 1) * 256) for the byte k places before the end.
                let low: UInt32 =
                    t[1792 + Int(lo & 0xFF)] ^ t[1536 + Int((lo >> 8) & 0xFF)]
                    ^ t[1280 + Int((lo >> 16) & 0xFF)] ^ t[1024 + Int(lo >> 24)]
                let high: UInt32 =
                    t[768 + Int(hi & 0xFF)] ^ t[512 + Int((hi >> 8) & 0xFF)]
                    ^ t[256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                c = low ^ high
                p += 8
                count -= 8
            }
            while count > 0 {
                c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                p += 1
                count -= 1
            }
            return ~c
        }
    }

    /// 8 x 256 entries: table k advances a byte that is followed by k more bytes.
    private static let table: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[n] = c
        }
        for n in 0..<256 {
            var c = t[n]
            for k in 1..<8 {
                c = t[Int(c & 0xFF)] ^ (c >> 8)
                t[k * 256 + n] = c
            }
        }
        return t
    }()
}
