import InitLabCore
import TBKit

/// The checkpoint file's framing, all integers little-endian:
///
/// ```
/// offset  size  field
///      0     8  magic "TBKitCkp"
///      8     4  format version (1)
///     12     4  reserved, zero
///     16     8  body length N
///     24     N  body (fields in a fixed order, see `TrainingCheckpoint`)
///   24+N     4  CRC32C (Castagnoli) of bytes 0..<24+N
/// ```
/// Arrays in the body are a UInt64 element count followed by the elements; strings are a UInt64
/// byte count followed by UTF-8. Every count is checked against the bytes left before anything is
/// allocated, so a damaged file is an error, never a crash or a huge allocation.
package enum CheckpointFormat {
    /// The first eight bytes of every checkpoint.
    package static let magic: [UInt8] = Array("TBKitCkp".utf8)
    /// The version this build writes and reads.
    package static let version: UInt32 = 1
    /// Magic, version, reserved word and body length.
    package static let headerSize = 24
    /// The CRC32C after the body.
    package static let trailerSize = 4

    /// The whole file for `body`: header, body, checksum.
    package static func frame(_ body: [UInt8]) -> [UInt8] {
        var out = CheckpointEncoder()
        out.bytes.reserveCapacity(headerSize + body.count + trailerSize)
        out.bytes += magic
        out.u32(version)
        out.u32(0)
        out.u64(UInt64(body.count))
        out.bytes += body
        let crc = out.bytes.withUnsafeBytes { CRC32C.checksum($0) }
        out.u32(crc)
        return out.bytes
    }

    /// The body of a framed file, after checking magic, version, length and checksum.
    package static func unframe(_ file: [UInt8], path: String) throws -> ArraySlice<UInt8> {
        guard file.count >= headerSize + trailerSize else {
            if file.count >= magic.count, Array(file.prefix(magic.count)) != magic {
                throw CheckpointError.notACheckpoint(path: path)
            }
            throw CheckpointError.tooShort(path: path, size: file.count)
        }
        guard Array(file.prefix(magic.count)) == magic else { throw CheckpointError.notACheckpoint(path: path) }
        var header = CheckpointDecoder(file[magic.count..<headerSize], path: path, base: magic.count)
        let version = try header.u32("version")
        guard version == Self.version else {
            throw CheckpointError.unsupportedVersion(path: path, version: version, supported: Self.version)
        }
        _ = try header.u32("reserved")
        let declared = try header.u64("body length")
        let available = file.count - headerSize - trailerSize
        guard declared == UInt64(available) else {
            throw CheckpointError.lengthMismatch(path: path, declared: declared, available: available)
        }
        let end = headerSize + available
        let computed = file.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<end])) }
        var trailer = CheckpointDecoder(file[end...], path: path, base: end)
        let stored = try trailer.u32("checksum")
        guard stored == computed else {
            throw CheckpointError.checksumMismatch(path: path, stored: stored, computed: computed)
        }
        return file[headerSize..<end]
    }
}

/// Appends little-endian fields to a byte array.
struct CheckpointEncoder {
    var bytes: [UInt8] = []

    mutating func u8(_ x: UInt8) { bytes.append(x) }
    mutating func u32(_ x: UInt32) { withUnsafeBytes(of: x.littleEndian) { bytes += $0 } }
    mutating func u64(_ x: UInt64) { withUnsafeBytes(of: x.littleEndian) { bytes += $0 } }
    mutating func i64(_ x: Int) { u64(UInt64(bitPattern: Int64(x))) }
    mutating func f64(_ x: Double) { u64(x.bitPattern) }
    mutating func bool(_ x: Bool) { u8(x ? 1 : 0) }

    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        u64(UInt64(utf8.count))
        bytes += utf8
    }

    mutating func floats(_ xs: [Float]) {
        u64(UInt64(xs.count))
        bytes.reserveCapacity(bytes.count + 4 * xs.count)
        for x in xs { u32(x.bitPattern) }
    }

    mutating func doubles(_ xs: [Double]) {
        u64(UInt64(xs.count))
        for x in xs { f64(x) }
    }

    mutating func ints(_ xs: [Int]) {
        u64(UInt64(xs.count))
        bytes.reserveCapacity(bytes.count + 8 * xs.count)
        for x in xs { i64(x) }
    }
}

/// Reads little-endian fields from a checkpoint body, each bounds-checked; errors name the field
/// and its byte offset in the file.
///
/// Its readers are `@inline(never)`: a checkpoint is read once per resume, and the decoder of
/// `TrainingCheckpoint` calls them dozens of times, which inlined would make one very large
/// function for the optimizer (seconds of the release build) and save nothing measurable.
struct CheckpointDecoder {
    private let bytes: ArraySlice<UInt8>
    private var index: Int
    let path: String
    /// File offset of `bytes.startIndex`.
    private let base: Int

    init(_ bytes: ArraySlice<UInt8>, path: String, base: Int) {
        self.bytes = bytes
        self.index = bytes.startIndex
        self.path = path
        self.base = base
    }

    /// The file offset of the next byte.
    var offset: Int { base + (index - bytes.startIndex) }
    /// Whether every byte has been read.
    var isAtEnd: Bool { index == bytes.endIndex }

    func malformed(_ field: String, _ reason: String) -> CheckpointError {
        .malformed(path: path, field: field, offset: offset, reason: reason)
    }

    private mutating func take(_ n: Int, _ field: String) throws -> ArraySlice<UInt8> {
        guard n >= 0, bytes.endIndex - index >= n else {
            throw malformed(field, "needs \(n) bytes, \(bytes.endIndex - index) left")
        }
        defer { index += n }
        return bytes[index..<(index + n)]
    }

    private mutating func little(_ n: Int, _ field: String) throws -> UInt64 {
        var x: UInt64 = 0
        for (shift, byte) in try take(n, field).enumerated() { x |= UInt64(byte) << (8 * UInt64(shift)) }
        return x
    }

    @inline(never)
    mutating func u8(_ field: String) throws -> UInt8 { UInt8(try little(1, field)) }
    @inline(never)
    mutating func u32(_ field: String) throws -> UInt32 { UInt32(try little(4, field)) }
    @inline(never)
    mutating func u64(_ field: String) throws -> UInt64 { try little(8, field) }
    @inline(never)
    mutating func i64(_ field: String) throws -> Int { Int(Int64(bitPattern: try u64(field))) }
    /// A signed 64-bit field that must not be negative.
    @inline(never)
    mutating func nonNegative(_ field: String) throws -> Int {
        let at = offset
        let x = try i64(field)
        guard x >= 0 else {
            throw CheckpointError.malformed(path: path, field: field, offset: at, reason: "\(x) is negative")
        }
        return x
    }
    @inline(never)
    mutating func f64(_ field: String) throws -> Double { Double(bitPattern: try u64(field)) }

    @inline(never)
    mutating func bool(_ field: String) throws -> Bool {
        let at = offset
        switch try u8(field) {
        case 0: return false
        case 1: return true
        case let b: throw CheckpointError.malformed(path: path, field: field, offset: at, reason: "\(b) is not 0 or 1")
        }
    }

    /// A count of elements of `size` bytes each, checked against the bytes left.
    private mutating func count(_ field: String, elementSize: Int) throws -> Int {
        let at = offset
        let n = try u64(field)
        let left = UInt64(bytes.endIndex - index)
        guard n <= left / UInt64(elementSize) else {
            throw CheckpointError.malformed(
                path: path, field: field, offset: at,
                reason: "count \(n) needs \(n) x \(elementSize) bytes, only \(left) left")
        }
        return Int(n)
    }

    @inline(never)
    mutating func string(_ field: String) throws -> String {
        let n = try count(field, elementSize: 1)
        let at = offset
        guard let s = String(validating: try take(n, field), as: UTF8.self) else {
            throw CheckpointError.malformed(path: path, field: field, offset: at, reason: "not UTF-8")
        }
        return s
    }

    @inline(never)
    mutating func floats(_ field: String) throws -> [Float] {
        try array(field, elementSize: 4) { Float(bitPattern: try $0.u32(field)) }
    }

    @inline(never)
    mutating func doubles(_ field: String) throws -> [Double] {
        try array(field, elementSize: 8) { try $0.f64(field) }
    }

    @inline(never)
    mutating func ints(_ field: String) throws -> [Int] {
        try array(field, elementSize: 8) { try $0.i64(field) }
    }

    /// A counted array of `elementSize`-byte elements, each read by `element`.
    private mutating func array<T>(
        _ field: String, elementSize: Int, _ element: (inout Self) throws -> T
    ) throws -> [T] {
        let n = try count(field, elementSize: elementSize)
        var out = [T]()
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try element(&self)) }
        return out
    }
}
