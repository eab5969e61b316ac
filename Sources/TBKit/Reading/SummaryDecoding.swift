extension Summary {
    /// Decodes a `Summary` (repeated `Value`, field 1).
    package init(decoding bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        var reader = ProtoReader(bytes)
        try self.init(from: &reader)
    }

    /// Decodes the fields left in `reader`.
    @inline(never)
    package init(from reader: inout ProtoReader) throws(ProtoDecodingError) {
        var values: [SummaryValue] = []
        while !reader.isAtEnd {
            let (field, type) = try reader.readKey()
            if field == 1 && type == .lengthDelimited {
                var sub = try reader.readSubmessage()
                values.append(try SummaryValue(from: &sub))
            } else {
                try reader.skip(type, field: field)
            }
        }
        self.init(values: values)
    }
}

extension SummaryValue {
    /// Decodes a `Summary.Value`. The oneof is last-one-wins, as in protobuf; field 3
    /// (obsolete_old_style_histogram) is kept as `.other`.
    package init(decoding bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        var reader = ProtoReader(bytes)
        try self.init(from: &reader)
    }

    /// Decodes the fields left in `reader`.
    @inline(never)
    package init(from reader: inout ProtoReader) throws(ProtoDecodingError) {
        var tag = ""
        var metadata: SummaryMetadata?
        var kind = Kind.none
        while !reader.isAtEnd {
            let (field, type) = try reader.readKey()
            switch (field, type) {
            case (1, .lengthDelimited): tag = try reader.readString()
            case (2, .fixed32): kind = .simpleValue(try reader.readFloat())
            case (3, .lengthDelimited): kind = .other(field: 3, bytes: try reader.readBytes())
            case (4, .lengthDelimited):
                var sub = try reader.readSubmessage()
                kind = .image(try ImageValue(from: &sub))
            case (5, .lengthDelimited):
                var sub = try reader.readSubmessage()
                kind = .histogram(try HistogramProto(from: &sub))
            case (6, .lengthDelimited):
                var sub = try reader.readSubmessage()
                kind = .audio(try AudioValue(from: &sub))
            case (8, .lengthDelimited):
                var sub = try reader.readSubmessage()
                kind = .tensor(try TensorProto(from: &sub))
            case (9, .lengthDelimited):
                var sub = try reader.readSubmessage()
                metadata = try SummaryMetadata(from: &sub)
            default:
                try reader.skip(type, field: field)
            }
        }
        self.init(tag: tag, metadata: metadata, kind: kind)
    }
}

extension SummaryMetadata {
    /// Decodes a `SummaryMetadata` (plugin_data, display_name, summary_description, data_class).
    package init(decoding bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        var reader = ProtoReader(bytes)
        try self.init(from: &reader)
    }

    /// Decodes the fields left in `reader`.
    @inline(never)
    package init(from reader: inout ProtoReader) throws(ProtoDecodingError) {
        var pluginName = ""
        var content: [UInt8] = []
        var displayName = ""
        var description = ""
        var dataClass: Int32 = 0
        while !reader.isAtEnd {
            let (field, type) = try reader.readKey()
            switch (field, type) {
            case (1, .lengthDelimited):
                var sub = try reader.readSubmessage()
                while !sub.isAtEnd {
                    let (f, t) = try sub.readKey()
                    switch (f, t) {
                    case (1, .lengthDelimited): pluginName = try sub.readString()
                    case (2, .lengthDelimited): content = try sub.readBytes()
                    default: try sub.skip(t, field: f)
                    }
                }
            case (2, .lengthDelimited): displayName = try reader.readString()
            case (3, .lengthDelimited): description = try reader.readString()
            case (4, .varint): dataClass = try reader.readInt32()
            default: try reader.skip(type, field: field)
            }
        }
        self.init(
            pluginName: PluginName(rawValue: pluginName), content: content, displayName: displayName,
            summaryDescription: description, dataClass: DataClass(wireValue: dataClass))
    }
}

extension ImageValue {
    /// Decodes a `Summary.Image`.
    package init(decoding bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        var reader = ProtoReader(bytes)
        try self.init(from: &reader)
    }

    /// Decodes the fields left in `reader`.
    @inline(never)
    package init(from reader: inout ProtoReader) throws(ProtoDecodingError) {
        var height: Int32 = 0
        var width: Int32 = 0
        var colorspace: Int32 = 0
        var image: [UInt8] = []
        while !reader.isAtEnd {
            let (field, type) = try reader.readKey()
            switch (field, type) {
            case (1, .varint): height = try reader.readInt32()
            case (2, .varint): width = try reader.readInt32()
            case (3, .varint): colorspace = try reader.readInt32()
            case (4, .lengthDelimited): image = try reader.readBytes()
            default: try reader.skip(type, field: field)
            }
        }
        self.init(height: height, width: width, colorspace: colorspace, encodedImage: image)
    }
}

extension AudioValue {
    /// Decodes a `Summary.Audio`. A missing content_type decodes as "" (proto3 default).
    package init(decoding bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        var reader = ProtoReader(bytes)
        try self.init(from: &reader)
    }

    /// Decodes the fields left in `reader`.
    @inline(never)
    package init(from reader: inout ProtoReader) throws(ProtoDecodingError) {
        var rate: Float = 0
        var channels: Int64 = 0
        var frames: Int64 = 0
        var audio: [UInt8] = []
        var contentType = ""
        while !reader.isAtEnd {
            let (field, type) = try reader.readKey()
            switch (field, type) {
            case (1, .fixed32): rate = try reader.readFloat()
            case (2, .varint): channels = try reader.readInt64()
            case (3, .varint): frames = try reader.readInt64()
            case (4, .lengthDelimited): audio = try reader.readBytes()
            case (5, .lengthDelimited): contentType = try reader.readString()
            default: try reader.skip(type, field: field)
            }
        }
        self.init(
            sampleRate: rate, numChannels: channels, lengthFrames: frames, encodedAudio: audio,
            contentType: contentType)
    }
}
