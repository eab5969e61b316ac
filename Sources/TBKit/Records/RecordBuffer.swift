/// A growable byte buffer of whole TFRecords, written with raw stores: the in-memory side of an
/// event file between flushes.
///
/// Invariant: `count` bytes hold complete records only. Records are either encoded by a
/// `ProtoWriter` (any message) or, for the hottest case, a v1 scalar event, stored directly.
/// Not thread-safe; owned by one `EventFileWriter`.
package final class RecordBuffer {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    /// Bytes of whole records held.
    package private(set) var count: Int = 0
    /// Reused for encoding messages, so the generic path does not allocate per record.
    private var scratch = ProtoWriter(capacity: 256)

    /// An empty buffer with room for `capacity` bytes.
    package init(capacity: Int = 1 << 16) {
        self.capacity = Swift.max(capacity, 64)
        base = .allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// The buffered bytes (valid until the next mutation).
    package func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Forgets every buffered byte, keeping the memory.
    package func removeAll() { count = 0 }

    @inline(__always)
    private func reserve(_ extra: Int) {
        if count + extra <= capacity { return }
        var newCapacity = capacity * 2
        while newCapacity < count + extra { newCapacity *= 2 }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        grown.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    /// Frames `payload` as one record at the end of the buffer.
    package func append(payload: UnsafeRawBufferPointer) {
        reserve(payload.count + RecordWriter.overhead)
        let p = base + count
        p.storeBytes(of: UInt64(payload.count).littleEndian, as: UInt64.self)
        let lengthCRC = CRC32C.maskedChecksum(UnsafeRawBufferPointer(start: p, count: 8))
        p.storeBytes(of: lengthCRC.littleEndian, toByteOffset: 8, as: UInt32.self)
        if let src = payload.baseAddress { (p + 12).copyMemory(from: src, byteCount: payload.count) }
        let dataCRC = CRC32C.maskedChecksum(UnsafeRawBufferPointer(start: p + 12, count: payload.count))
        p.storeBytes(of: dataCRC.littleEndian, toByteOffset: 12 + payload.count, as: UInt32.self)
        count += payload.count + RecordWriter.overhead
    }

    /// Frames the message that `body` encodes as one record.
    package func appendRecord(_ body: (inout ProtoWriter) -> Void) {
        scratch.bytes.removeAll(keepingCapacity: true)
        body(&scratch)
        scratch.bytes.withUnsafeBytes { append(payload: $0) }
    }

    /// Frames `Event{wall_time, step, summary{value{tag, simple_value}}}` with raw stores: the
    /// same bytes as encoding that `Event` (a test holds the two paths equal), at a fraction
    /// of the cost. `tag` is the tag's UTF-8 bytes.
    package func appendScalarEvent(wallTime: Double, step: Int64, tag: UnsafeRawBufferPointer, value: Float) {
        let tagCount = tag.count
        let valueSize = 1 + ProtoWriter.varintSize(UInt64(tagCount)) + tagCount + 5
        let summarySize = 1 + ProtoWriter.varintSize(UInt64(valueSize)) + valueSize
        var payloadSize = 1 + ProtoWriter.varintSize(UInt64(summarySize)) + summarySize
        if wallTime.bitPattern != 0 { payloadSize += 9 }
        let stepBits = UInt64(bitPattern: step)
        if step != 0 { payloadSize += 1 + ProtoWriter.varintSize(stepBits) }
        reserve(payloadSize + RecordWriter.overhead)

        let p = base + count
        var q = p + 12
        @inline(__always) func byte(_ b: UInt8) {
            q.storeBytes(of: b, as: UInt8.self)
            q += 1
        }
        @inline(__always) func varint(_ v: UInt64) {
            var v = v
            while v >= 0x80 {
                byte(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            byte(UInt8(v))
        }
        if wallTime.bitPattern != 0 {
            byte(0x09)
            q.storeBytes(of: wallTime.bitPattern.littleEndian, as: UInt64.self)
            q += 8
        }
        if step != 0 {
            byte(0x10)
            varint(stepBits)
        }
        byte(0x2A)
        varint(UInt64(summarySize))
        byte(0x0A)
        varint(UInt64(valueSize))
        byte(0x0A)
        varint(UInt64(tagCount))
        if let src = tag.baseAddress { q.copyMemory(from: src, byteCount: tagCount) }
        q += tagCount
        byte(0x15)
        q.storeBytes(of: value.bitPattern.littleEndian, as: UInt32.self)

        p.storeBytes(of: UInt64(payloadSize).littleEndian, as: UInt64.self)
        let lengthCRC = CRC32C.maskedChecksum(UnsafeRawBufferPointer(start: p, count: 8))
        p.storeBytes(of: lengthCRC.littleEndian, toByteOffset: 8, as: UInt32.self)
        let dataCRC = CRC32C.maskedChecksum(UnsafeRawBufferPointer(start: p + 12, count: payloadSize))
        p.storeBytes(of: dataCRC.littleEndian, toByteOffset: 12 + payloadSize, as: UInt32.self)
        count += payloadSize + RecordWriter.overhead
    }
}
