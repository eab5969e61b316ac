import TBKit
import Testing

private func le16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
private func le32(_ b: [UInt8], _ i: Int) -> Int { le16(b, i) | le16(b, i + 2) << 16 }

@Suite struct WAVEncoderTests {
    @Test func headerIsTheCanonical44BytePCMHeader() throws {
        let wav = try WAVEncoder.encode([0, 0.5, -0.5, 1, -1, 0], sampleRate: 22050, channels: 2)
        #expect(wav.count == 44 + 12)
        #expect(String(decoding: wav[0..<4], as: UTF8.self) == "RIFF")
        #expect(le32(wav, 4) == 36 + 12)  // RIFF size = file size − 8
        #expect(String(decoding: wav[8..<16], as: UTF8.self) == "WAVEfmt ")
        #expect(le32(wav, 16) == 16)  // fmt chunk size
        #expect(le16(wav, 20) == 1)  // PCM
        #expect(le16(wav, 22) == 2)  // channels
        #expect(le32(wav, 24) == 22050)  // sample rate
        #expect(le32(wav, 28) == 22050 * 2 * 2)  // byte rate
        #expect(le16(wav, 32) == 4)  // block align
        #expect(le16(wav, 34) == 16)  // bits per sample
        #expect(String(decoding: wav[36..<40], as: UTF8.self) == "data")
        #expect(le32(wav, 40) == 12)
    }

    @Test func samplesAreLittleEndianInt16ScaledBy32767Rounded() throws {
        let wav = try WAVEncoder.encode([0, 0.5, -0.5, 1, -1], sampleRate: 8000)
        #expect(Array(wav[44...]) == [0x00, 0x00, 0x00, 0x40, 0x00, 0xC0, 0xFF, 0x7F, 0x01, 0x80])
    }

    @Test func outOfRangeSamplesAreClippedAndNaNIsSilence() {
        #expect(WAVEncoder.pcm16(3) == 32767)
        #expect(WAVEncoder.pcm16(-3) == -32767)
        #expect(WAVEncoder.pcm16(.nan) == 0)
        #expect(WAVEncoder.pcm16(-.infinity) == -32767)
    }

    @Test func channelsThatDoNotDivideTheSamplesOrABadRateAreErrors() {
        #expect(throws: WAVEncoder.Error.self) { try WAVEncoder.encode([0, 0, 0], sampleRate: 8000, channels: 2) }
        #expect(throws: WAVEncoder.Error.self) { try WAVEncoder.encode([0], sampleRate: 0) }
    }
}
