/// Why a protobuf message could not be decoded, with the byte offset where it went wrong.
///
/// Offsets count from the start of the buffer the outermost `ProtoReader` was given (plus its
/// `baseOffset`), so a message nested three levels deep still reports where in the record it broke.
package enum ProtoDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The buffer ended inside a key, varint, fixed-width value or length-delimited field.
    case truncated(offset: Int, needed: Int, available: Int)
    /// A varint ran past 10 bytes without its last byte.
    case overlongVarint(offset: Int)
    /// A 10-byte varint whose last byte sets bits above bit 63.
    case varintOverflow(offset: Int)
    /// A key with wire type 3 or 4 (groups, never written by TensorFlow) or 6/7 (undefined).
    case invalidWireType(Int, field: Int, offset: Int)
    /// A key with field number 0 or above 2^29 - 1.
    case invalidFieldNumber(UInt64, offset: Int)
    /// A packed repeated fixed-width field whose byte length is not a multiple of the element size.
    case misalignedPackedField(field: Int, length: Int, elementSize: Int, offset: Int)

    /// The byte offset the error refers to.
    package var offset: Int {
        switch self {
        case .truncated(let o, _, _), .overlongVarint(let o), .varintOverflow(let o),
            .invalidWireType(_, _, let o), .invalidFieldNumber(_, let o),
            .misalignedPackedField(_, _, _, let o):
            return o
        }
    }

    /// A sentence for people.
    package var description: String {
        switch self {
        case .truncated(let offset, let needed, let available):
            return
                "protobuf truncated at byte \(offset): needed \(needed) more bytes, \(available) left; the message is cut short or a length is corrupt"
        case .overlongVarint(let offset):
            return "protobuf varint at byte \(offset) is longer than 10 bytes; the data is corrupt"
        case .varintOverflow(let offset):
            return "protobuf varint at byte \(offset) does not fit in 64 bits; the data is corrupt"
        case .invalidWireType(let type, let field, let offset):
            let what =
                (type == 3 || type == 4)
                ? "a group (wire type \(type)), which TBKit does not read" : "undefined wire type \(type)"
            return "protobuf key at byte \(offset) for field \(field) has \(what); the data is corrupt or not an event"
        case .invalidFieldNumber(let number, let offset):
            return "protobuf key at byte \(offset) has invalid field number \(number); the data is corrupt"
        case .misalignedPackedField(let field, let length, let size, let offset):
            return
                "packed field \(field) at byte \(offset) is \(length) bytes, not a multiple of \(size); the data is corrupt"
        }
    }
}

/// Bounds-checked protobuf wire decoding over borrowed bytes: the mirror of `ProtoWriter`.
///
/// The reader never reads outside `buffer`: every length is checked against what is left before
/// it is used, so corrupt input yields a `ProtoDecodingError`, never a crash or a large allocation.
/// It borrows the buffer: keep the memory alive while the reader (or a sub-reader) is in use.
/// Unknown fields are skipped by wire type; groups and undefined wire types are rejected.
package struct ProtoReader {
    @usableFromInline let base: UnsafeRawPointer?
    /// Current position, relative to the buffer start.
    @usableFromInline var position: Int
    @usableFromInline let end: Int
    /// Added to positions in errors, so nested readers report offsets in the outermost buffer.
    package let baseOffset: Int

    /// A reader over `buffer`; errors report offsets plus `baseOffset`.
    package init(_ buffer: UnsafeRawBufferPointer, baseOffset: Int = 0) {
        base = buffer.baseAddress
        position = 0
        end = buffer.count
        self.baseOffset = baseOffset
    }

    /// True when every byte has been consumed.
    @inlinable package var isAtEnd: Bool { position >= end }

    /// The offset of the next byte to read, as reported in errors.
    @inlinable package var offset: Int { baseOffset + position }

    /// Bytes left to read.
    @inlinable package var remaining: Int { end - position }

    /// Reads a base-128 varint of at most 10 bytes.
    @inlinable
    package mutating func readVarint() throws(ProtoDecodingError) -> UInt64 {
        guard let base else { throw .truncated(offset: offset, needed: 1, available: 0) }
        // Fast path: a single byte.
        if position < end {
            let b = base.load(fromByteOffset: position, as: UInt8.self)
            if b < 0x80 {
                position += 1
                return UInt64(b)
            }
        }
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var p = position
        while true {
            guard p < end else {
                throw .truncated(offset: baseOffset + p, needed: 1, available: 0)
            }
            let b = base.load(fromByteOffset: p, as: UInt8.self)
            p += 1
            if shift == 63 {
                // The 10th byte may only carry bit 63.
                if b & 0x80 != 0 { throw .overlongVarint(offset: baseOffset + start) }
                if b > 1 { throw .varintOverflow(offset: baseOffset + start) }
            }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        position = p
        return result
    }

    /// Reads a field key; rejects field number 0, numbers above 2^29 - 1, and wire types 3, 4, 6, 7.
    @inlinable
    package mutating func readKey() throws(ProtoDecodingError) -> (field: Int, wireType: WireType) {
        let at = offset
        let key = try readVarint()
        let number = key >> 3
        guard number >= 1, number <= 0x1FFF_FFFF else { throw .invalidFieldNumber(number, offset: at) }
        let raw = UInt8(key & 7)
        guard let type = WireType(rawValue: raw), type != .startGroup, type != .endGroup else {
            throw .invalidWireType(Int(raw), field: Int(number), offset: at)
        }
        return (Int(number), type)
    }

    /// Reads 4 little-endian bytes.
    @inlinable
    package mutating func readFixed32() throws(ProtoDecodingError) -> UInt32 {
        guard remaining >= 4, let base else { throw .truncated(offset: offset, needed: 4, available: remaining) }
        let v = base.loadUnaligned(fromByteOffset: position, as: UInt32.self)
        position += 4
        return UInt32(littleEndian: v)
    }

    /// Reads 8 little-endian bytes.
    @inlinable
    package mutating func readFixed64() throws(ProtoDecodingError) -> UInt64 {
        guard remaining >= 8, let base else { throw .truncated(offset: offset, needed: 8, available: remaining) }
        let v = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return UInt64(littleEndian: v)
    }

    /// Reads a double (wire type 1).
    @inlinable
    package mutating func readDouble() throws(ProtoDecodingError) -> Double {
        Double(bitPattern: try readFixed64())
    }

    /// Reads a float (wire type 5).
    @inlinable
    package mutating func readFloat() throws(ProtoDecodingError) -> Float {
        Float(bitPattern: try readFixed32())
    }

    /// Reads a varint as a protobuf int64 (two's complement).
    @inlinable
    package mutating func readInt64() throws(ProtoDecodingError) -> Int64 {
        Int64(bitPattern: try readVarint())
    }

    /// Reads a varint as a protobuf int32/enum: the low 32 bits, as protobuf parsers do.
    @inlinable
    package mutating func readInt32() throws(ProtoDecodingError) -> Int32 {
        Int32(truncatingIfNeeded: try readVarint())
    }

    /// Reads a length-delimited field's bytes as a borrowed slice, after checking the length
    /// against what is left.
    @inlinable
    package mutating func readLengthDelimited() throws(ProtoDecodingError) -> UnsafeRawBufferPointer {
        let at = offset
        let length = try readVarint()
        guard length <= UInt64(remaining) else {
            throw .truncated(offset: at, needed: length > UInt64(Int.max) ? Int.max : Int(length), available: remaining)
        }
        let n = Int(length)
        let slice = UnsafeRawBufferPointer(start: base.map { $0 + position }, count: n)
        position += n
        return slice
    }

    /// Reads a length-delimited field as a reader over its bytes, reporting offsets in this
    /// reader's coordinates.
    @inlinable
    package mutating func readSubmessage() throws(ProtoDecodingError) -> ProtoReader {
        let slice = try readLengthDelimited()
        return ProtoReader(slice, baseOffset: baseOffset + position - slice.count)
    }

    /// The next occurrence of `wanted` as a length-delimited field, as a reader over its bytes,
    /// every other field before it skipped; nil at the end of the message. For the messages read
    /// for one field only (a plugin's payload, say), not for the hot decoders.
    package mutating func nextSubmessage(field wanted: Int) throws(ProtoDecodingError) -> ProtoReader? {
        while !isAtEnd {
            let (field, wire) = try readKey()
            if field == wanted && wire == .lengthDelimited { return try readSubmessage() }
            try skip(wire, field: field)
        }
        return nil
    }

    /// Reads a length-delimited field as a byte array.
    @inlinable
    package mutating func readBytes() throws(ProtoDecodingError) -> [UInt8] {
        Array(try readLengthDelimited())
    }

    /// Reads a string field. Invalid UTF-8 is repaired with U+FFFD rather than refused, so one bad
    /// tag never hides the rest of a file.
    @inlinable
    package mutating func readString() throws(ProtoDecodingError) -> String {
        String(decoding: try readLengthDelimited(), as: UTF8.self)
    }

    /// Skips a field's value of the given wire type.
    @inlinable
    package mutating func skip(_ wireType: WireType, field: Int = 0) throws(ProtoDecodingError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64:
            guard remaining >= 8 else { throw .truncated(offset: offset, needed: 8, available: remaining) }
            position += 8
        case .lengthDelimited: _ = try readLengthDelimited()
        case .fixed32:
            guard remaining >= 4 else { throw .truncated(offset: offset, needed: 4, available: remaining) }
            position += 4
        case .startGroup, .endGroup:
            throw .invalidWireType(Int(wireType.rawValue), field: field, offset: offset)
        }
    }

    /// Appends the values of a repeated double field, packed (wire type 2) or not (wire type 1).
    @inline(never)
    package mutating func readDoubles(_ wireType: WireType, field: Int, into values: inout [Double])
        throws(ProtoDecodingError)
    {
        try readFixedWidth(wireType, unpacked: .fixed64, field: field, into: &values) { r throws(ProtoDecodingError) in
            try r.readDouble()
        }
    }

    /// Appends the values of a repeated float field, packed (wire type 2) or not (wire type 5).
    @inline(never)
    package mutating func readFloats(_ wireType: WireType, field: Int, into values: inout [Float])
        throws(ProtoDecodingError)
    {
        try readFixedWidth(wireType, unpacked: .fixed32, field: field, into: &values) { r throws(ProtoDecodingError) in
            try r.readFloat()
        }
    }

    /// A repeated fixed-width field: one value under its own wire type, or a packed run whose
    /// length must be a whole number of values; any other wire type is skipped.
    private mutating func readFixedWidth<T: BitwiseCopyable>(
        _ wireType: WireType, unpacked: WireType, field: Int, into values: inout [T],
        one: (inout ProtoReader) throws(ProtoDecodingError) -> T
    ) throws(ProtoDecodingError) {
        switch wireType {
        case unpacked:
            values.append(try one(&self))
        case .lengthDelimited:
            let at = offset
            let slice = try readLengthDelimited()
            let size = MemoryLayout<T>.size
            guard slice.count % size == 0 else {
                throw .misalignedPackedField(field: field, length: slice.count, elementSize: size, offset: at)
            }
            ProtoReader.appendLittleEndian(slice, as: T.self, to: &values)
        default:
            try skip(wireType, field: field)
        }
    }

    /// Appends the values of a repeated varint field (int32, int64, bool, enum), packed or not.
    @inline(never)
    package mutating func readVarints(_ wireType: WireType, field: Int, into values: inout [Int64])
        throws(ProtoDecodingError)
    {
        switch wireType {
        case .varint:
            values.append(try readInt64())
        case .lengthDelimited:
            var inner = try readSubmessage()
            while !inner.isAtEnd { values.append(try inner.readInt64()) }
        default:
            try skip(wireType, field: field)
        }
    }

    /// Copies little-endian fixed-width numbers out of a (possibly unaligned) byte slice.
    @usableFromInline
    static func appendLittleEndian<T: BitwiseCopyable>(
        _ bytes: UnsafeRawBufferPointer, as: T.Type, to values: inout [T]
    ) {
        let n = bytes.count / MemoryLayout<T>.size
        guard n > 0, let src = bytes.baseAddress else { return }
        #if _endian(little)
            let old = values.count
            // Grow with a placeholder, then overwrite with the raw bytes in one copy.
            values.append(contentsOf: repeatElement(src.loadUnaligned(as: T.self), count: n))
            values.withUnsafeMutableBytes { dst in
                guard let d = dst.baseAddress else { return }
                (d + old * MemoryLayout<T>.stride).copyMemory(from: src, byteCount: n * MemoryLayout<T>.size)
            }
        #else
            fatalError("TBKit reads little-endian data and supports little-endian hosts only")
        #endif
    }
}
