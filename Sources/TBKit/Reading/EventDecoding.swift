extension Event {
    /// Decodes an `Event` from one record's payload; unknown fields are skipped, and a member of
    /// the `what` oneof TBKit does not model is kept as `.other(field:bytes:)`.
    package init(decoding bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        var reader = ProtoReader(bytes)
        try self.init(from: &reader)
    }

    /// Decodes an `Event` from a byte array.
    package init(decoding bytes: [UInt8]) throws(ProtoDecodingError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(ProtoDecodingError) -> Event in try Event(decoding: raw) }
        }
        self = try result.get()
    }

    /// Decodes the fields left in `reader` (a whole message).
    package init(from reader: inout ProtoReader) throws(ProtoDecodingError) {
        var wallTime = 0.0
        var step: Int64 = 0
        var what = What.none
        while !reader.isAtEnd {
            let (field, type) = try reader.readKey()
            switch (field, type) {
            case (1, .fixed64): wallTime = try reader.readDouble()
            case (2, .varint): step = try reader.readInt64()
            case (3, .lengthDelimited): what = .fileVersion(try reader.readString())
            case (4, .lengthDelimited): what = .graphDef(try reader.readBytes())
            case (5, .lengthDelimited):
                var sub = try reader.readSubmessage()
                what = .summary(try Summary(from: &sub))
            case (7, .lengthDelimited):
                var sub = try reader.readSubmessage()
                var status: Int32 = 0
                var path = ""
                var message = ""
                while !sub.isAtEnd {
                    let (f, t) = try sub.readKey()
                    switch (f, t) {
                    case (1, .varint): status = try sub.readInt32()
                    case (2, .lengthDelimited): path = try sub.readString()
                    case (3, .lengthDelimited): message = try sub.readString()
                    default: try sub.skip(t, field: f)
                    }
                }
                what = .sessionLog(status: SessionStatus(wireValue: status), checkpointPath: path, message: message)
            case (6, .lengthDelimited), (8, .lengthDelimited), (9, .lengthDelimited):
                what = .other(field: field, bytes: try reader.readBytes())
            default:
                try reader.skip(type, field: field)
            }
        }
        self.init(wallTime: wallTime, step: step, what: what)
    }
}
