/// Encodes audio as a 16-bit PCM WAV file (RIFF/WAVE, format tag 1): the encoding TensorBoard's
/// audio dashboard declares (`AudioPluginData.encoding = WAV`) and every player, Python's `wave`
/// module included, can read.
///
/// Samples are floats in [-1, 1], interleaved by channel; values outside are clipped, NaN becomes
/// silence, and each sample becomes `Int16(round(x × 32767))`. The header is the canonical 44 bytes:
/// `RIFF <size> WAVE`, a 16-byte `fmt ` chunk, then `data <size>` and the little-endian samples.
package enum WAVEncoder {
    /// Why a clip cannot be encoded.
    package enum Error: Swift.Error, CustomStringConvertible {
        /// The sample rate must be a whole number of samples per second in 1...2³²−1.
        case invalidSampleRate(Double)
        /// Channels must be 1...65535 and divide the sample count.
        case invalidChannels(channels: Int, sampleCount: Int)
        /// The data would not fit the 32-bit RIFF sizes (about 2 GiB of samples).
        case tooLong(sampleCount: Int)

        /// What went wrong and what to do.
        package var description: String {
            switch self {
            case .invalidSampleRate(let rate):
                return
                    "WAV: sample rate \(rate) is invalid; pass a whole number of samples per second between 1 and 4294967295"
            case .invalidChannels(let channels, let count):
                return
                    "WAV: \(channels) channels do not fit \(count) interleaved samples; channels must be 1...65535 and divide the sample count"
            case .tooLong(let count):
                return "WAV: \(count) samples exceed the 4 GiB RIFF size limit; split the clip"
            }
        }
    }

    /// The size of the header before the first sample.
    package static let headerSize = 44

    /// Encodes interleaved float samples as 16-bit PCM WAV.
    package static func encode(_ samples: [Float], sampleRate: Int, channels: Int = 1) throws -> [UInt8] {
        try samples.withUnsafeBufferPointer { try encode($0, sampleRate: sampleRate, channels: channels) }
    }

    /// Encodes interleaved float samples as 16-bit PCM WAV.
    package static func encode(_ samples: UnsafeBufferPointer<Float>, sampleRate: Int, channels: Int = 1) throws
        -> [UInt8]
    {
        guard sampleRate >= 1, sampleRate <= Int(UInt32.max) else { throw Error.invalidSampleRate(Double(sampleRate)) }
        guard (1...Int(UInt16.max)).contains(channels), samples.count % channels == 0 else {
            throw Error.invalidChannels(channels: channels, sampleCount: samples.count)
        }
        let dataSize = samples.count * 2
        guard dataSize + headerSize - 8 <= Int(UInt32.max) else { throw Error.tooLong(sampleCount: samples.count) }
        let blockAlign = channels * 2
        let byteRate = UInt64(sampleRate) * UInt64(blockAlign)
        guard byteRate <= UInt64(UInt32.max) else { throw Error.invalidSampleRate(Double(sampleRate)) }

        var out = [UInt8]()
        out.reserveCapacity(headerSize + dataSize)
        out.append(contentsOf: Array("RIFF".utf8))
        appendLE32(UInt32(36 + dataSize), &out)
        out.append(contentsOf: Array("WAVE".utf8))
        out.append(contentsOf: Array("fmt ".utf8))
        appendLE32(16, &out)  // fmt chunk size
        appendLE16(1, &out)  // PCM
        appendLE16(UInt16(channels), &out)
        appendLE32(UInt32(sampleRate), &out)
        appendLE32(UInt32(byteRate), &out)
        appendLE16(UInt16(blockAlign), &out)
        appendLE16(16, &out)  // bits per sample
        out.append(contentsOf: Array("data".utf8))
        appendLE32(UInt32(dataSize), &out)
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: dataSize))
        out.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            let dst = base + start
            for i in 0..<samples.count {
                let v = pcm16(samples[i])
                (dst + 2 * i).storeBytes(of: UInt16(bitPattern: v).littleEndian, as: UInt16.self)
            }
        }
        return out
    }

    /// One sample: clipped to [-1, 1], × 32767, rounded; NaN → 0.
    @inlinable
    package static func pcm16(_ x: Float) -> Int16 {
        guard !x.isNaN else { return 0 }
        let clipped = Swift.max(-1, Swift.min(1, x))
        return Int16((clipped * 32767).rounded())
    }

    private static func appendLE16(_ v: UInt16, _ out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: v))
        out.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    private static func appendLE32(_ v: UInt32, _ out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }
}
