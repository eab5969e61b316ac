/// Standard base64 (RFC 4648, with padding), for images embedded as `data:` URIs.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = group(bytes[i], bytes[i + 1], bytes[i + 2])
            out.append(digit(n, 18))
            out.append(digit(n, 12))
            out.append(digit(n, 6))
            out.append(digit(n, 0))
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            let n = group(bytes[i], rest == 2 ? bytes[i + 1] : 0, 0)
            out.append(digit(n, 18))
            out.append(digit(n, 12))
            out.append(rest == 2 ? digit(n, 6) : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Three bytes as one 24-bit number, the first in the high bits.
    private static func group(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt32 {
        let high: UInt32 = UInt32(a) << 16
        let middle: UInt32 = UInt32(b) << 8
        return high | middle | UInt32(c)
    }

    /// The alphabet's character for the six bits of `n` starting at bit `shift`.
    private static func digit(_ n: UInt32, _ shift: UInt32) -> UInt8 {
        alphabet[Int((n >> shift) & 63)]
    }
}
