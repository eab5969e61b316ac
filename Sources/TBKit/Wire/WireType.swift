/// The protobuf wire types. A field's key is `varint((field << 3) | wireType)`.
package enum WireType: UInt8, Sendable {
    /// int32, int64, uint32, uint64, bool, enum.
    case varint = 0
    /// double, fixed64.
    case fixed64 = 1
    /// string, bytes, sub-messages, packed repeated fields.
    case lengthDelimited = 2
    /// Deprecated groups: never written, rejected when read.
    case startGroup = 3
    /// Deprecated groups: never written, rejected when read.
    case endGroup = 4
    /// float, fixed32.
    case fixed32 = 5
}
