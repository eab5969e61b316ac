extension SummaryWriter {
    /// `AudioPluginData{encoding: WAV}`: `10 0b`.
    package static let audioPluginContent: [UInt8] = [0x10, 0x0B]

    /// Logs one clip as 16-bit PCM WAV in the v2 form: a DT_STRING [1] tensor holding the WAV
    /// bytes, plugin "audio", content `10 0b` (WAV). `samples` are in [-1, 1] (clipped outside,
    /// NaN → silence), interleaved when `channels` > 1.
    public func audio(
        _ tag: String, samples: [Float], sampleRate: Int, channels: Int = 1,
        step: Int, wallTime: Double? = nil
    ) throws {
        let wav = try WAVEncoder.encode(samples, sampleRate: sampleRate, channels: channels)
        let tensor = TensorProto(dtype: .string, shape: [1], stringValues: [wav])
        try summary(
            tag: tag, kind: .tensor(tensor),
            metadata: SummaryMetadata(pluginName: .audio, content: Self.audioPluginContent),
            step: step, wallTime: wallTime)
    }
}
