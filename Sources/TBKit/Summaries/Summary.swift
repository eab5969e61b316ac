/// `tensorflow.Summary` (summary.proto): a list of tagged values, field 1 repeated.
public struct Summary: Sendable, Equatable {
    /// The values, in order.
    public var values: [SummaryValue]

    /// Makes a summary of the given values.
    package init(values: [SummaryValue]) { self.values = values }

    /// Appends the protobuf encoding (each value as field 1).
    @inline(never)
    package func encode(into w: inout ProtoWriter) {
        for value in values {
            w.writeMessageField(1) { value.encode(into: &$0) }
        }
    }
}

/// `tensorflow.Summary.Value`: a tag, optional plugin metadata, and one member of the value oneof.
public struct SummaryValue: Sendable, Equatable {
    /// The tag TensorBoard groups by (field 1).
    public var tag: String
    /// Plugin metadata (field 9); put it on the first value of each tag in each file.
    public var metadata: SummaryMetadata?
    /// The oneof member; always written, even when zero.
    public var kind: Kind

    /// The value oneof of `Summary.Value`.
    public enum Kind: Sendable, Equatable {
        /// A v1 scalar (field 2, float).
        case simpleValue(Float)
        /// A v1 histogram (field 5).
        case histogram(HistogramProto)
        /// A v1 image (field 4): a serialized `Summary.Image`.
        case image(ImageValue)
        /// A v1 audio clip (field 6): a serialized `Summary.Audio`.
        case audio(AudioValue)
        /// A tensor (field 8), the v2 form of every summary.
        case tensor(TensorProto)
        /// A member TBKit does not model (field number and raw bytes), kept for round trips.
        case other(field: Int, bytes: [UInt8])
        /// No member set: readers drop such a value.
        case none
    }

    /// Makes a value.
    package init(tag: String, metadata: SummaryMetadata? = nil, kind: Kind) {
        self.tag = tag
        self.metadata = metadata
        self.kind = kind
    }

    /// Appends the protobuf encoding in ascending field order (1 tag, then the oneof, then 9).
    @inline(never)
    package func encode(into w: inout ProtoWriter) {
        w.writeStringFieldIfNonEmpty(1, tag)
        switch kind {
        case .simpleValue(let x):
            w.writeFloatField(2, x)
        case .image(let image):
            w.writeMessageField(4) { image.encode(into: &$0) }
        case .histogram(let histogram):
            w.writeMessageField(5) { histogram.encode(into: &$0) }
        case .audio(let audio):
            w.writeMessageField(6) { audio.encode(into: &$0) }
        case .tensor(let tensor):
            w.writeMessageField(8) { tensor.encode(into: &$0) }
        case .other(let field, let bytes):
            w.writeBytesField(field, bytes)
        case .none:
            break
        }
        if let metadata {
            w.writeMessageField(9) { metadata.encode(into: &$0) }
        }
    }
}

/// `tensorflow.SummaryMetadata`: which plugin owns a tag, and that plugin's content.
public struct SummaryMetadata: Sendable, Equatable {
    /// `plugin_data.plugin_name`: `.scalars`, `.histograms`, `.images`, `.text`, ... or a name
    /// TBKit does not know, kept as read.
    public var pluginName: PluginName
    /// `plugin_data.content`: the plugin's own serialized proto (empty for version 0).
    public var content: [UInt8]
    /// Field 2.
    public var displayName: String
    /// Field 3.
    public var summaryDescription: String
    /// Field 4: how the data is shaped (`.unknown` lets both loaders infer it from the plugin).
    public var dataClass: DataClass

    /// Makes metadata for a plugin.
    package init(
        pluginName: PluginName, content: [UInt8] = [], displayName: String = "",
        summaryDescription: String = "", dataClass: DataClass = .unknown
    ) {
        self.pluginName = pluginName
        self.content = content
        self.displayName = displayName
        self.summaryDescription = summaryDescription
        self.dataClass = dataClass
    }

    /// Appends the protobuf encoding; `plugin_data` is always written.
    @inline(never)
    package func encode(into w: inout ProtoWriter) {
        w.writeMessageField(1) {
            $0.writeStringFieldIfNonEmpty(1, pluginName.rawValue)
            if !content.isEmpty { $0.writeBytesField(2, content) }
        }
        w.writeStringFieldIfNonEmpty(2, displayName)
        w.writeStringFieldIfNonEmpty(3, summaryDescription)
        w.writeVarintFieldIfNonZero(4, Int64(dataClass.wireValue))
    }
}

/// `tensorflow.Summary.Image`: an encoded (PNG) image for the v1 images dashboard.
public struct ImageValue: Sendable, Equatable {
    /// Pixels high.
    public var height: Int32
    /// Pixels wide.
    public var width: Int32
    /// 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.
    public var colorspace: Int32
    /// The PNG bytes.
    public var encodedImage: [UInt8]

    /// Makes an image value.
    package init(height: Int32, width: Int32, colorspace: Int32, encodedImage: [UInt8]) {
        self.height = height
        self.width = width
        self.colorspace = colorspace
        self.encodedImage = encodedImage
    }

    /// Appends the protobuf encoding.
    @inline(never)
    package func encode(into w: inout ProtoWriter) {
        w.writeVarintFieldIfNonZero(1, Int64(height))
        w.writeVarintFieldIfNonZero(2, Int64(width))
        w.writeVarintFieldIfNonZero(3, Int64(colorspace))
        if !encodedImage.isEmpty { w.writeBytesField(4, encodedImage) }
    }
}

/// `tensorflow.Summary.Audio`: an encoded (WAV) clip for the v1 audio dashboard.
public struct AudioValue: Sendable, Equatable {
    /// Samples per second.
    public var sampleRate: Float
    /// Channels.
    public var numChannels: Int64
    /// Frames (samples per channel).
    public var lengthFrames: Int64
    /// The WAV bytes.
    public var encodedAudio: [UInt8]
    /// "audio/wav".
    public var contentType: String

    /// Makes an audio value.
    package init(
        sampleRate: Float, numChannels: Int64, lengthFrames: Int64, encodedAudio: [UInt8],
        contentType: String = "audio/wav"
    ) {
        self.sampleRate = sampleRate
        self.numChannels = numChannels
        self.lengthFrames = lengthFrames
        self.encodedAudio = encodedAudio
        self.contentType = contentType
    }

    /// Appends the protobuf encoding.
    @inline(never)
    package func encode(into w: inout ProtoWriter) {
        if sampleRate.bitPattern != 0 { w.writeFloatField(1, sampleRate) }
        w.writeVarintFieldIfNonZero(2, numChannels)
        w.writeVarintFieldIfNonZero(3, lengthFrames)
        if !encodedAudio.isEmpty { w.writeBytesField(4, encodedAudio) }
        w.writeStringFieldIfNonEmpty(5, contentType)
    }
}
