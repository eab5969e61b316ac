/// TFRecord framing: `length (UInt64 LE) | masked CRC32C(length) | payload | masked CRC32C(payload)`.
///
/// Pure: frames bytes into a buffer; the file I/O lives in `EventFileWriter`.
package enum RecordWriter {
    /// Bytes of framing around each payload (8 + 4 + 4).
    package static let overhead = 16

    /// Appends one framed record holding `payload` to `buffer`.
    @inlinable
    package static func append(payload: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        let length = UInt64(payload.count).littleEndian
        withUnsafeBytes(of: length) { lengthBytes in
            buffer.append(contentsOf: lengthBytes)
            let lengthCRC = CRC32C.maskedChecksum(lengthBytes).littleEndian
            withUnsafeBytes(of: lengthCRC) { buffer.append(contentsOf: $0) }
        }
        buffer.append(contentsOf: payload)
        let dataCRC = CRC32C.maskedChecksum(payload).littleEndian
        withUnsafeBytes(of: dataCRC) { buffer.append(contentsOf: $0) }
    }

    /// Appends one framed record holding `payload` to `buffer`.
    @inlinable
    package static func append(payload: [UInt8], to buffer: inout [UInt8]) {
        payload.withUnsafeBytes { append(payload: $0, to: &buffer) }
    }

    /// One framed record holding `payload`.
    package static func frame(_ payload: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(payload.count + overhead)
        append(payload: payload, to: &out)
        return out
    }
}
