/// What `SupersededPoints` needs of an Event record, read without decoding its values: the step,
/// the tag of each summary value and whether a value is set, a graph, a SessionLog START.
///
/// Fields are read as `Event(decoding:)` reads them (the step and the last of the `what` fields
/// win; a value's kind is set by any of its value fields), but the nested values (histograms,
/// tensors, images) are skipped, not decoded. A record whose nested values would fail to decode
/// is outlined all the same, while the full reading skips it: such a record (its CRC right, its
/// contents not) can only supersede points the full reading would keep.
package struct EventOutline {
    /// What the record holds.
    package enum What {
        /// A summary: each value's tag and whether it has a value set.
        case summary([(tag: String, hasKind: Bool)])
        /// A graph_def.
        case graph
        /// A SessionLog START.
        case start
        /// Anything else (file_version, another SessionLog, other fields, nothing).
        case other
    }

    /// The step (0 when absent).
    package var step: Int64 = 0
    /// What the record holds.
    package var what = What.other

    /// The outline of an Event payload.
    package init(decoding bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        var reader = ProtoReader(bytes)
        while !reader.isAtEnd {
            let (field, type) = try reader.readKey()
            switch (field, type) {
            case (2, .varint): step = try reader.readInt64()
            case (4, .lengthDelimited):
                _ = try reader.readLengthDelimited()
                what = .graph
            case (5, .lengthDelimited):
                var summary = try reader.readSubmessage()
                what = .summary(try Self.values(&summary))
            case (7, .lengthDelimited):
                var log = try reader.readSubmessage()
                var status: Int32 = 0
                while !log.isAtEnd {
                    let (f, t) = try log.readKey()
                    if f == 1 && t == .varint { status = try log.readInt32() } else { try log.skip(t, field: f) }
                }
                what = SessionStatus(wireValue: status) == .start ? .start : .other
            case (3, .lengthDelimited), (6, .lengthDelimited), (8, .lengthDelimited), (9, .lengthDelimited):
                _ = try reader.readLengthDelimited()
                what = .other
            default:
                try reader.skip(type, field: field)
            }
        }
    }

    /// The values of a Summary message: the tag (1) and whether a value field (2, 3, 4, 5, 6, 8)
    /// is present, of each `value` (1).
    private static func values(_ summary: inout ProtoReader) throws(ProtoDecodingError) -> [(
        tag: String, hasKind: Bool
    )] {
        var out: [(tag: String, hasKind: Bool)] = []
        while !summary.isAtEnd {
            let (field, type) = try summary.readKey()
            guard field == 1, type == .lengthDelimited else {
                try summary.skip(type, field: field)
                continue
            }
            var value = try summary.readSubmessage()
            var tag = ""
            var hasKind = false
            while !value.isAtEnd {
                let (f, t) = try value.readKey()
                switch (f, t) {
                case (1, .lengthDelimited): tag = try value.readString()
                case (2, .fixed32):
                    _ = try value.readFloat()
                    hasKind = true
                case (3, .lengthDelimited), (4, .lengthDelimited), (5, .lengthDelimited), (6, .lengthDelimited),
                    (8, .lengthDelimited):
                    _ = try value.readLengthDelimited()
                    hasKind = true
                default:
                    try value.skip(t, field: f)
                }
            }
            out.append((tag, hasKind))
        }
        return out
    }
}
