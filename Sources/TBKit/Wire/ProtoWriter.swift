/// Protobuf wire encoding by hand: appends fields to a byte buffer.
///
/// Every `write...` method writes its field unconditionally, so proto3 presence is decided by the
/// caller: plain fields at their default value are skipped with the `...IfNonZero` variants, while
/// oneof members and sub-messages are always written (`simple_value: 0.0` is `15 00 00 00 00`).
/// Callers write fields in ascending field number, as the official serializer does.
///
/// The field writers are inlined; the message encoders built on them (`Summary.encode(into:)`
/// and the others) are `@inline(never)`, as are the decoders of nested messages. Each message
/// is then optimized once, not again inside every message that holds it, which takes about a
/// fifth off TBKit's optimized compile; a call per message is nothing beside its bytes.
package struct ProtoWriter: Sendable {
    /// The encoded bytes so far.
    package var bytes: [UInt8]

    /// An empty writer, optionally with room for `capacity` bytes.
    package init(capacity: Int = 0) {
        bytes = []
        if capacity > 0 { bytes.reserveCapacity(capacity) }
    }

    /// Appends a base-128 varint (7 bits a byte, least significant group first).
    @inlinable
    package mutating func writeVarint(_ value: UInt64) {
        if value < 0x80 {
            bytes.append(UInt8(value))
        } else {
            writeLongVarint(value)
        }
    }

    /// `writeVarint` for values of two bytes or more: out of line, so each of the many callers
    /// inlines one append (keys, lengths and small values take one byte) and not the loop.
    @inline(never)
    package mutating func writeLongVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// The number of bytes `writeVarint(value)` appends.
    @inlinable
    package static func varintSize(_ value: UInt64) -> Int {
        // 1 + floor(log2(v) / 7); zero takes one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// Appends a field key.
    @inlinable
    package mutating func writeKey(field: Int, wireType: WireType) {
        writeVarint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    /// Appends a varint field (int32/int64/uint/enum/bool). Negative values take 10 bytes, as
    /// protobuf sign-extends int32 and int64 alike.
    @inlinable
    package mutating func writeVarintField(_ field: Int, _ value: Int64) {
        writeKey(field: field, wireType: .varint)
        writeVarint(UInt64(bitPattern: value))
    }

    /// Appends a varint field unless it is zero (a proto3 plain field at its default).
    @inlinable
    package mutating func writeVarintFieldIfNonZero(_ field: Int, _ value: Int64) {
        if value != 0 { writeVarintField(field, value) }
    }

    /// Appends a bool field.
    @inlinable
    package mutating func writeBoolField(_ field: Int, _ value: Bool) {
        writeVarintField(field, value ? 1 : 0)
    }

    /// Appends a double field (wire type 1, little-endian IEEE 754).
    @inlinable
    package mutating func writeDoubleField(_ field: Int, _ value: Double) {
        writeKey(field: field, wireType: .fixed64)
        appendFixed64(value.bitPattern)
    }

    /// Appends a double field unless it is +0.0 (a proto3 plain field at its default).
    @inlinable
    package mutating func writeDoubleFieldIfNonZero(_ field: Int, _ value: Double) {
        if value.bitPattern != 0 { writeDoubleField(field, value) }
    }

    /// Appends a float field (wire type 5, little-endian IEEE 754).
    @inlinable
    package mutating func writeFloatField(_ field: Int, _ value: Float) {
        writeKey(field: field, wireType: .fixed32)
        appendFixed32(value.bitPattern)
    }

    /// Appends raw little-endian 32 bits.
    @inlinable
    package mutating func appendFixed32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends raw little-endian 64 bits.
    @inlinable
    package mutating func appendFixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a length-delimited field holding `data`.
    @inlinable
    package mutating func writeBytesField(_ field: Int, _ data: UnsafeRawBufferPointer) {
        writeKey(field: field, wireType: .lengthDelimited)
        writeVarint(UInt64(data.count))
        bytes.append(contentsOf: data)
    }

    /// Appends a length-delimited field holding `data`.
    @inlinable
    package mutating func writeBytesField(_ field: Int, _ data: [UInt8]) {
        data.withUnsafeBytes { writeBytesField(field, $0) }
    }

    /// Appends a string field (UTF-8).
    @inlinable
    package mutating func writeStringField(_ field: Int, _ value: String) {
        var s = value
        s.withUTF8 { writeBytesField(field, UnsafeRawBufferPointer($0)) }
    }

    /// Appends a string field unless it is empty (a proto3 plain field at its default).
    @inlinable
    package mutating func writeStringFieldIfNonEmpty(_ field: Int, _ value: String) {
        if !value.isEmpty { writeStringField(field, value) }
    }

    /// Appends a sub-message field: `body` writes the message's fields, and its length is
    /// patched in front afterwards. A sub-message is written even when empty (`12 00`).
    @inlinable
    package mutating func writeMessageField(_ field: Int, _ body: (inout ProtoWriter) -> Void) {
        writeKey(field: field, wireType: .lengthDelimited)
        // Reserve one length byte; most messages are short. Longer ones shift the body.
        let lengthAt = bytes.count
        bytes.append(0)
        let start = bytes.count
        body(&self)
        let length = bytes.count - start
        if length < 0x80 {
            bytes[lengthAt] = UInt8(length)
        } else {
            widenLength(at: lengthAt, bodyStart: start)
        }
    }

    /// Replaces the one reserved length byte at `lengthAt` with the varint length of the body
    /// from `bodyStart` on, shifting the body (messages of 128 bytes or more).
    @inline(never)
    package mutating func widenLength(at lengthAt: Int, bodyStart: Int) {
        var prefix = ProtoWriter(capacity: 10)
        prefix.writeVarint(UInt64(bytes.count - bodyStart))
        bytes.replaceSubrange(lengthAt..<bodyStart, with: prefix.bytes)
    }

    /// Appends a packed repeated double field (one key, a byte length, the values).
    @inlinable
    package mutating func writePackedDoubles(_ field: Int, _ values: UnsafeBufferPointer<Double>) {
        writeKey(field: field, wireType: .lengthDelimited)
        writeVarint(UInt64(values.count * 8))
        appendLittleEndian(values)
    }

    /// Appends a packed repeated float field.
    @inlinable
    package mutating func writePackedFloats(_ field: Int, _ values: UnsafeBufferPointer<Float>) {
        writeKey(field: field, wireType: .lengthDelimited)
        writeVarint(UInt64(values.count * 4))
        appendLittleEndian(values)
    }

    /// Appends a packed repeated varint field (int32/int64/bool/enum).
    @inlinable
    package mutating func writePackedVarints(_ field: Int, _ values: [Int64]) {
        writeKey(field: field, wireType: .lengthDelimited)
        var size = 0
        for v in values { size += ProtoWriter.varintSize(UInt64(bitPattern: v)) }
        writeVarint(UInt64(size))
        for v in values { writeVarint(UInt64(bitPattern: v)) }
    }

    /// Appends the raw little-endian bytes of a buffer of numbers (floats, doubles, ints).
    @inlinable
    package mutating func appendLittleEndian<T>(_ values: UnsafeBufferPointer<T>) {
        #if _endian(little)
            bytes.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
            fatalError("TBKit writes little-endian data and supports little-endian hosts only")
        #endif
    }
}
