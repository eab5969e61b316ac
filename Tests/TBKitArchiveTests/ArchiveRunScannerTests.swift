import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit
@testable import TBKitArchive

/// The manifest's run scan, which counts plain v1 scalars from their raw records, against a scan
/// of every value that `nextValue()` decodes.
@Suite struct ArchiveRunScannerTests {
    /// Each tag's step range and count from `nextValue()`, the full decode.
    static func decodedScan(_ runDirectory: String) throws -> (tags: [ArchiveManifest.Run.Tag], problems: Int) {
        let reader = try EventFileReader(runDirectory: runDirectory)
        var rows: [String: ArchiveManifest.Run.Tag] = [:]
        while let value = reader.nextValue() {
            let step: Int64
            switch value {
            case .scalar(let point): step = point.step
            case .histogram(let point): step = point.step
            case .other(let point): step = point.step
            }
            if var row = rows[value.tag] {
                row.firstStep = min(row.firstStep, step)
                row.lastStep = max(row.lastStep, step)
                row.count += 1
                rows[value.tag] = row
            } else {
                rows[value.tag] = .init(tag: value.tag, firstStep: step, lastStep: step, count: 1)
            }
        }
        let tags = rows.values.sorted { $0.tag.utf8.lexicographicallyPrecedes($1.tag.utf8) }
        return (tags, reader.problems.count)
    }

    @Test func rawPathScanGivesTheSameRowsAsDecodingEveryValueOnAMixedRunWithADamagedRecord() throws {
        let tmp = TemporaryDirectory()
        let run = tmp.path + "/mixed"
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        // tensorboardX: v1 scalars, v1 histograms, an image, a v2 text tensor.
        try FileManager.default.copyItem(atPath: Fixtures.tensorboardX, toPath: run + "/" + "events.out.tfevents.1.x")
        // TensorBoard's v2 builders: tensor scalars (float and double), a tensor histogram, text.
        try FileManager.default.copyItem(atPath: Fixtures.tensorflow, toPath: run + "/" + "events.out.tfevents.2.v2")
        // TBKit: v1 scalars in steps out of order, interleaved tags, histograms, tensor scalars
        // sharing a tag with the v1 ones, a non-ASCII tag.
        let v1 = try SummaryWriter(logdir: run, filenameSuffix: ".v1")
        for step in [5, 3, 9, 1, 7] {
            try v1.scalar("loss", Float(step), step: step)
            try v1.scalar("accuracy/train", 0.5, step: step * 10)
            try v1.scalar("Genauigkeit/ü", 1, step: -step)
        }
        try v1.histogram("weights", [Float]([0.5, -1, 2]), step: 4)
        try v1.close()
        let v2 = try SummaryWriter(logdir: run, filenameSuffix: ".v2t", scalarFormat: .tensor)
        try v2.scalar("loss", 2, step: 100)
        try v2.scalar("lr", 0.1, step: 2)
        try v2.close()
        // A copy of the v1 file with one byte flipped inside a record: that record is damaged.
        let damaged = try #require(v1.paths.first)
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: damaged)))
        bytes[bytes.count / 2] ^= 0x5A
        try Data(bytes).write(to: URL(fileURLWithPath: run + "/events.out.tfevents.9.damaged"))

        let reference = try Self.decodedScan(run)
        let scanned = try ArchiveRunScanner.eventFiles(run)
        #expect(reference.problems > 0, "the flipped byte must damage a record")
        #expect(
            Set(reference.tags.map(\.tag)).isSuperset(of: ["loss", "lr", "weights", "accuracy/train", "Genauigkeit/ü"]))
        #expect(scanned == reference.tags)
        let loss = try #require(scanned.first { $0.tag == "loss" })
        #expect(loss.firstStep == 1 && loss.lastStep == 100)
    }

    @Test func rawPathScanMatchesTheDecodedScanOnEachFixtureAlone() throws {
        for fixture in [Fixtures.tensorboardX, Fixtures.tensorflow] {
            let tmp = TemporaryDirectory()
            let run = tmp.path + "/run"
            try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: fixture, toPath: run + "/" + (fixture as NSString).lastPathComponent)
            let scanned = try ArchiveRunScanner.eventFiles(run)
            #expect(!scanned.isEmpty)
            #expect(scanned == (try Self.decodedScan(run)).tags, "\(fixture)")
        }
    }
}
