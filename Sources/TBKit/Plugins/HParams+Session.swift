extension HParams {
    /// The hyperparameters of a `_hparams_/session_start_info` value's plugin content (a
    /// serialized `HParamsPluginData` whose `session_start_info`, field 3, holds the `hparams`
    /// map, field 1). Nil for any other payload or one that does not decode.
    package static func sessionHParams(pluginContent content: [UInt8]) -> [String: HParamValue]? {
        content.withUnsafeBytes { raw in
            var r = ProtoReader(raw)
            var result: [String: HParamValue]?
            do {
                while var start = try r.nextSubmessage(field: 3) {
                    result = try hparamsMap(&start)
                }
            } catch {
                return nil
            }
            return result
        }
    }

    /// A `SessionStartInfo`'s `hparams` map (field 1, entries of a string key and a
    /// `google.protobuf.Value`). Out of line, as the reading of each entry: hparams are read once
    /// per run, and the reader's calls inlined three levels deep made one very large function.
    @inline(never)
    private static func hparamsMap(_ start: inout ProtoReader) throws(ProtoDecodingError) -> [String: HParamValue] {
        var map: [String: HParamValue] = [:]
        while var entry = try start.nextSubmessage(field: 1) {
            let (key, value) = try mapEntry(&entry)
            if let value { map[key] = value }
        }
        return map
    }

    /// One entry of the `hparams` map: its key and value.
    @inline(never)
    private static func mapEntry(_ entry: inout ProtoReader) throws(ProtoDecodingError) -> (String, HParamValue?) {
        var key = ""
        var value: HParamValue?
        while !entry.isAtEnd {
            let (ef, ew) = try entry.readKey()
            if ef == 1 && ew == .lengthDelimited {
                key = try entry.readString()
            } else if ef == 2 && ew == .lengthDelimited {
                var v = try entry.readSubmessage()
                value = try protobufValue(&v)
            } else {
                try entry.skip(ew, field: ef)
            }
        }
        return (key, value)
    }

    /// A `google.protobuf.Value` holding a number, a string or a bool; nil for other kinds.
    private static func protobufValue(_ r: inout ProtoReader) throws(ProtoDecodingError) -> HParamValue? {
        var value: HParamValue?
        while !r.isAtEnd {
            let (f, w) = try r.readKey()
            switch (f, w) {
            case (2, .fixed64): value = .number(try r.readDouble())
            case (3, .lengthDelimited): value = .string(try r.readString())
            case (4, .varint): value = .bool(try r.readVarint() != 0)
            default: try r.skip(w, field: f)
            }
        }
        return value
    }
}
