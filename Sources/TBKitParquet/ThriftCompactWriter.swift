/// The Thrift compact protocol, writing side only: what a Parquet footer and page headers need.
///
/// A field is a header byte (the field-id delta from the previous field of the same struct in the
/// high nibble, the type in the low one; a long form when the delta is not 1...15), then the
/// value: integers as zigzag varints, binary as a varint length and the bytes, booleans inside
/// the header's type, lists as a size/element-type byte (a long form from 15 elements). A struct
/// ends with a 0 byte. Callers write fields in increasing id order, as Thrift does.
struct ThriftCompactWriter {
    /// The compact protocol's type codes.
    enum FieldType: UInt8 {
        case booleanTrue = 1
        case booleanFalse = 2
        case byte = 3
        case i16 = 4
        case i32 = 5
        case i64 = 6
        case double = 7
        case binary = 8
        case list = 9
        case set = 10
        case map = 11
        case structure = 12
    }

    /// The bytes written so far.
    private(set) var bytes: [UInt8] = []
    /// The last field id of each open struct (innermost last).
    private var lastFieldIDs: [Int16] = [0]

    init() { bytes.reserveCapacity(256) }

    // MARK: fields

    /// An i32 field.
    mutating func field(_ id: Int16, i32 value: Int32) {
        fieldHeader(id, .i32)
        varint(zigzag(Int64(value)))
    }

    /// An i16 field.
    mutating func field(_ id: Int16, i16 value: Int16) {
        fieldHeader(id, .i16)
        varint(zigzag(Int64(value)))
    }

    /// An i64 field.
    mutating func field(_ id: Int16, i64 value: Int64) {
        fieldHeader(id, .i64)
        varint(zigzag(value))
    }

    /// A boolean field (its value is the header's type).
    mutating func field(_ id: Int16, bool value: Bool) {
        fieldHeader(id, value ? .booleanTrue : .booleanFalse)
    }

    /// A binary field.
    mutating func field(_ id: Int16, binary value: [UInt8]) {
        fieldHeader(id, .binary)
        binary(value)
    }

    /// A string field (UTF-8 binary).
    mutating func field(_ id: Int16, string value: String) {
        field(id, binary: Array(value.utf8))
    }

    /// A struct field whose fields `body` writes.
    mutating func field(_ id: Int16, struct body: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, .structure)
        structure(body)
    }

    /// A list field of `count` elements of `element` type, which `body` writes (with the element
    /// writers below).
    mutating func field(
        _ id: Int16, listOf element: FieldType, count: Int, _ body: (inout ThriftCompactWriter) -> Void
    ) {
        fieldHeader(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | element.rawValue)
        } else {
            bytes.append(0xF0 | element.rawValue)
            varint(UInt64(count))
        }
        body(&self)
    }

    // MARK: list elements and nested values

    /// A struct (as a list element or a field's value): its fields, then the stop byte.
    mutating func structure(_ body: (inout ThriftCompactWriter) -> Void) {
        lastFieldIDs.append(0)
        body(&self)
        bytes.append(0)
        lastFieldIDs.removeLast()
    }

    /// An i32 list element.
    mutating func element(i32 value: Int32) { varint(zigzag(Int64(value))) }

    /// A binary list element.
    mutating func binary(_ value: [UInt8]) {
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A string list element.
    mutating func element(string value: String) { binary(Array(value.utf8)) }

    /// Ends the outermost struct (a top-level message).
    mutating func stop() { bytes.append(0) }

    // MARK: encoding

    private mutating func fieldHeader(_ id: Int16, _ type: FieldType) {
        let delta = Int(id) - Int(lastFieldIDs[lastFieldIDs.count - 1])
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            varint(zigzag(Int64(id)))
        }
        lastFieldIDs[lastFieldIDs.count - 1] = id
    }

    private func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }

    private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
}
