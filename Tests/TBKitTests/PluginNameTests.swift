import Testing

@testable import TBKit

/// Plugin names are typed values whose wire form is TensorBoard's own spelling.
@Suite struct PluginNameTests {
    func encoded(_ metadata: SummaryMetadata) -> [UInt8] {
        var w = ProtoWriter()
        metadata.encode(into: &w)
        return w.bytes
    }

    @Test func knownPluginsAreSpelledAsTensorBoardsPluginsNameThemselves() {
        // The PLUGIN_NAME constants of tensorboard/plugins/*/metadata.py (2.21).
        #expect(
            PluginName.known.map(\.rawValue) == [
                "scalars", "histograms", "images", "audio", "text", "pr_curves", "hparams", "custom_scalars",
                "projector", "graphs",
            ])
        #expect(PluginName.known.allSatisfy { $0.isKnown })
        #expect(PluginName.unnamed.rawValue.isEmpty && !PluginName.unnamed.isKnown)
    }

    @Test func metadataWritesThePluginNameAsPluginDataField1() {
        // SummaryMetadata{1: PluginData{1: "scalars"}}: 0a 09 0a 07 "scalars".
        #expect(encoded(SummaryMetadata(pluginName: .scalars)) == [0x0A, 0x09, 0x0A, 0x07] + Array("scalars".utf8))
        // PluginData{1: "pr_curves", 2: 10 02}.
        #expect(
            encoded(SummaryMetadata(pluginName: .prCurves, content: [0x10, 0x02]))
                == [0x0A, 0x0F, 0x0A, 0x09] + Array("pr_curves".utf8) + [0x12, 0x02, 0x10, 0x02])
        // No name: plugin_data is still written, empty.
        #expect(encoded(SummaryMetadata(pluginName: .unnamed)) == [0x0A, 0x00])
    }

    @Test func anUnknownPluginNameReadFromAFileIsKeptAndWrittenBackUnchanged() throws {
        let bytes = [0x0A, 0x0A, 0x0A, 0x08] + Array("my_plots".utf8)
        let decoded = try bytes.withUnsafeBytes { try SummaryMetadata(decoding: $0) }
        #expect(decoded.pluginName == PluginName("my_plots"))
        #expect(!decoded.pluginName.isKnown && !decoded.pluginName.isUnnamed)
        #expect(encoded(decoded) == bytes)
    }

    @Test func aKnownNameReadFromAFileEqualsItsStaticMember() throws {
        let bytes = [0x0A, 0x0C, 0x0A, 0x0A] + Array("histograms".utf8)
        let decoded = try bytes.withUnsafeBytes { try SummaryMetadata(decoding: $0) }
        #expect(decoded.pluginName == .histograms)
    }

    @Test func aTensorWithoutMetadataIsReadAsUnnamedAndItsV1ImageAsImages() {
        var classifier = ValueClassifier()
        let tensor = classifier.classify(SummaryValue(tag: "t", kind: .tensor(.scalar(1))), step: 0, wallTime: 0)
        let image = classifier.classify(
            SummaryValue(tag: "i", kind: .image(ImageValue(height: 1, width: 1, colorspace: 1, encodedImage: []))),
            step: 0, wallTime: 0)
        guard case .other(let t) = tensor, case .other(let i) = image else {
            Issue.record("expected raw values, got \(tensor) and \(image)")
            return
        }
        #expect(t.pluginName == .unnamed)
        #expect(i.pluginName == .images)
    }
}
