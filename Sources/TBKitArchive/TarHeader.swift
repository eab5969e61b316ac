/// The 512-byte ustar header block (POSIX.1-1988 layout, "ustar\000" magic), encoded and decoded.
///
/// Numeric fields are zero-padded octal ending in NUL; the checksum is the unsigned byte sum of
/// the block with the checksum field read as eight spaces. Decoding also accepts GNU base-256
/// numbers and signed checksums, as GNU tar does, so archives from other tools read back.
package struct TarHeader: Sendable, Equatable {
    /// Size of a tar block.
    package static let blockSize = 512

    /// Name field (up to 100 bytes) and ustar prefix (up to 155 bytes); path = prefix + "/" + name.
    package var name: [UInt8]
    /// See `name`.
    package var prefix: [UInt8] = []
    /// Permission bits.
    package var mode: UInt32
    /// Owner/group ids.
    package var uid: UInt64 = 0
    /// See `uid`.
    package var gid: UInt64 = 0
    /// Data length.
    package var size: UInt64
    /// Seconds since the epoch.
    package var mtime: Int64
    /// Type flag byte ('0' regular, '5' directory, 'x' pax, ...).
    package var typeflag: UInt8
    /// Link target field (up to 100 bytes).
    package var linkname: [UInt8] = []
    /// Owner/group names (TBKit leaves them empty).
    package var uname: [UInt8] = []
    /// See `uname`.
    package var gname: [UInt8] = []
    /// Device numbers (only meaningful for device members, which TBKit never writes).
    package var devmajor: UInt64 = 0
    /// See `devmajor`.
    package var devminor: UInt64 = 0

    /// Largest value of an 11-digit octal size field; bigger sizes need a pax `size` record.
    package static let maxOctalSize: UInt64 = 0o77777777777

    /// A header with the given fields; byte fields longer than the ustar slot are cut by `encode`.
    package init(name: [UInt8], mode: UInt32, size: UInt64, mtime: Int64, typeflag: UInt8) {
        self.name = name
        self.mode = mode
        self.size = size
        self.mtime = mtime
        self.typeflag = typeflag
    }

    /// The full path stored in this header (prefix joined to name).
    package var path: [UInt8] { prefix.isEmpty ? name : prefix + [UInt8(ascii: "/")] + name }

    /// The 512 header bytes. Values must already fit (callers move the rest to pax records).
    package func encode() -> [UInt8] {
        var block = [UInt8](repeating: 0, count: TarHeader.blockSize)
        func put(_ bytes: [UInt8], at offset: Int, width: Int) {
            for (i, byte) in bytes.prefix(width).enumerated() { block[offset + i] = byte }
        }
        func octal(_ value: UInt64, at offset: Int, width: Int) {
            // width-1 digits then NUL.
            var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width - 1)
            var v = value
            var i = width - 2
            while v > 0 && i >= 0 {
                digits[i] = UInt8(ascii: "0") + UInt8(v & 7)
                v >>= 3
                i -= 1
            }
            put(digits, at: offset, width: width - 1)
        }
        put(name, at: 0, width: 100)
        octal(UInt64(mode & 0o7777), at: 100, width: 8)
        octal(uid, at: 108, width: 8)
        octal(gid, at: 116, width: 8)
        octal(min(size, TarHeader.maxOctalSize), at: 124, width: 12)
        octal(UInt64(clamping: max(mtime, 0)) & TarHeader.maxOctalSize, at: 136, width: 12)
        block[156] = typeflag
        put(linkname, at: 157, width: 100)
        put(Array("ustar".utf8) + [0], at: 257, width: 6)
        put(Array("00".utf8), at: 263, width: 2)
        put(uname, at: 265, width: 32)
        put(gname, at: 297, width: 32)
        octal(devmajor, at: 329, width: 8)
        octal(devminor, at: 337, width: 8)
        put(prefix, at: 345, width: 155)
        for i in 148..<156 { block[i] = UInt8(ascii: " ") }
        let sum = block.reduce(UInt64(0)) { $0 + UInt64($1) }
        var field = [UInt8](repeating: UInt8(ascii: "0"), count: 6)
        var v = sum
        for i in stride(from: 5, through: 0, by: -1) {
            field[i] = UInt8(ascii: "0") + UInt8(v & 7)
            v >>= 3
        }
        put(field + [0, UInt8(ascii: " ")], at: 148, width: 8)
        return block
    }

    /// Decodes a header block found at tar offset `offset`, verifying its checksum first.
    /// `previousMember` only improves the error message.
    package static func decode(
        _ block: UnsafeRawBufferPointer, offset: UInt64,
        previousMember: String?
    ) throws -> TarHeader {
        precondition(block.count == blockSize, "a tar header is one 512-byte block")
        func bytes(_ start: Int, _ width: Int) -> [UInt8] {
            let slice = block[start..<(start + width)]
            if let nul = slice.firstIndex(of: 0) { return Array(block[start..<nul]) }
            return Array(slice)
        }
        let nameField = String(decoding: bytes(0, 100), as: UTF8.self)
        var unsignedSum: Int64 = 0
        var signedSum: Int64 = 0
        for i in 0..<blockSize {
            let byte = (148..<156).contains(i) ? UInt8(ascii: " ") : block[i]
            unsignedSum += Int64(byte)
            signedSum += Int64(Int8(bitPattern: byte))
        }
        guard let stored = parseNumber(block, 148, 8), stored == unsignedSum || stored == signedSum else {
            throw TarError.badHeaderChecksum(offset: offset, nameField: nameField, previousMember: previousMember)
        }
        func number(_ field: String, _ start: Int, _ width: Int) throws -> Int64 {
            guard let value = parseNumber(block, start, width) else {
                throw TarError.badNumericField(field: field, offset: offset, member: nameField)
            }
            return value
        }
        let typeflag = block[156]
        var header = TarHeader(
            name: bytes(0, 100),
            mode: UInt32(truncatingIfNeeded: try number("mode", 100, 8)) & 0o7777,
            size: UInt64(clamping: try number("size", 124, 12)),
            mtime: try number("mtime", 136, 12),
            typeflag: typeflag)
        guard try number("size", 124, 12) >= 0 else {
            throw TarError.badNumericField(field: "size", offset: offset, member: nameField)
        }
        header.uid = UInt64(clamping: (try? number("uid", 108, 8)) ?? 0)
        header.gid = UInt64(clamping: (try? number("gid", 116, 8)) ?? 0)
        header.linkname = bytes(157, 100)
        let magic = bytes(257, 6)
        if magic == Array("ustar".utf8) {
            header.uname = bytes(265, 32)
            header.gname = bytes(297, 32)
            header.devmajor = UInt64(clamping: (try? number("devmajor", 329, 8)) ?? 0)
            header.devminor = UInt64(clamping: (try? number("devminor", 337, 8)) ?? 0)
            // GNU tar ("ustar  \0") has no prefix field at 345.
            if block[262] == 0 { header.prefix = bytes(345, 155) }
        }
        return header
    }

    /// Octal (leading spaces/NULs allowed, ends at NUL or space) or GNU base-256; nil if malformed.
    /// An all-blank field reads as 0.
    static func parseNumber(_ block: UnsafeRawBufferPointer, _ start: Int, _ width: Int) -> Int64? {
        let first = block[start]
        if first & 0x80 != 0 {
            // Base-256, big-endian, two's complement when 0xff.
            var value: Int64 = first == 0xff ? -1 : Int64(first & 0x7f)
            for i in (start + 1)..<(start + width) {
                guard value >> 55 == 0 || value >> 55 == -1 else { return nil }
                value = (value << 8) | Int64(block[i])
            }
            return value
        }
        var i = start
        let end = start + width
        while i < end && (block[i] == UInt8(ascii: " ") || block[i] == 0) { i += 1 }
        var value: Int64 = 0
        var sawDigit = false
        while i < end {
            let byte = block[i]
            if byte == 0 || byte == UInt8(ascii: " ") { break }
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7") else { return nil }
            guard value >> 60 == 0 else { return nil }
            value = value * 8 + Int64(byte - UInt8(ascii: "0"))
            sawDigit = true
            i += 1
        }
        // Only terminators may follow the digits.
        while i < end {
            guard block[i] == 0 || block[i] == UInt8(ascii: " ") else { return nil }
            i += 1
        }
        return sawDigit ? value : 0
    }
}
