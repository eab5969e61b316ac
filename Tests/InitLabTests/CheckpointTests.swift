import Foundation
import InitLab
import TBKit
import TBKitTestSupport
import Testing

/// Checkpoints: the file format (round trip, damage refused), the store (atomic, newest kept) and
/// resuming (the same end as an uninterrupted run).
@Suite(.serialized)
struct CheckpointTests {
    static let data: MNIST.Splits? = try? MNIST.embedded()
    static let options = TrainingOptions(iterations: 24, batchSize: 30, logEvery: 6, seed: 5)

    func scenario() throws -> Scenario { try #require(Scenario.named("full_train_he_relu")) }

    /// Holds every run directory a test makes; removed when the test ends.
    let scratch = TemporaryDirectory()

    func temporaryRun() -> String {
        scratch.path + "/ckpt-\(UUID().uuidString)"
    }

    /// Trains until `stopBefore` with a checkpoint every `every` steps; returns the store.
    func interruptedRun(
        every: Int, stopBefore: Int?, options: TrainingOptions = CheckpointTests.options, recording: Bool = false
    ) throws -> (CheckpointStore, RunResult, RecordingLog?) {
        let data = try #require(Self.data)
        let store = CheckpointStore(runDirectory: temporaryRun())
        let log = recording ? RecordingLog() : nil
        let result = try Trainer.run(
            try scenario(), data: data, options: options, log: log,
            checkpoints: CheckpointPolicy(store: store, every: every), stopBefore: stopBefore)
        return (store, result, log)
    }

    @Test(
        "A run resumed from its step-9 checkpoint ends with the straight run's test accuracy, final loss and logged values"
    )
    func resumedRunEqualsStraightRun() throws {
        let data = try #require(Self.data)
        let straightLog = RecordingLog()
        let straight = try Trainer.run(try scenario(), data: data, options: Self.options, log: straightLog)

        // Stopped at step 15, six steps after its last checkpoint (steps 9..14 were logged, as by
        // a process killed there).
        let (store, stopped, recorded) = try interruptedRun(every: 9, stopBefore: 15, recording: true)
        let stoppedLog = try #require(recorded)
        #expect(!stopped.completed && stopped.steps == 15)
        #expect(stoppedLog.curves.isEmpty && stoppedLog.sessionEnds.isEmpty)
        #expect(stoppedLog.scalars.contains { $0.tag == "loss" && $0.step == 12 })
        let latest = try #require(try store.latest())
        #expect(latest.checkpoint.step == 9 && !latest.checkpoint.finished)
        #expect(stoppedLog.flushes == 1, "the log is flushed before the checkpoint is written")

        let resumedLog = RecordingLog()
        let resumed = try Trainer.run(
            try scenario(), data: data, options: Self.options, log: resumedLog,
            checkpoints: CheckpointPolicy(store: store, every: 9), resume: latest)
        #expect(resumed.resumedFrom == 9 && resumed.completed)
        let accuracy = try #require(resumed.testAccuracy)
        #expect(accuracy == straight.testAccuracy)
        #expect(resumed.finalLoss == straight.finalLoss)
        #expect(resumed.initialLoss == straight.initialLoss)
        #expect(resumed.matMulVariances == straight.matMulVariances)

        // Everything from step 9 on is logged again, bit for bit; nothing before it.
        #expect(resumedLog.scalars.allSatisfy { $0.step >= 9 })
        #expect(resumedLog.scalars.count > 10)
        #expect(resumedLog.scalars == straightLog.scalars.filter { $0.step >= 9 })
        let sameHistograms = resumedLog.histograms == straightLog.histograms.filter { $0.step >= 9 }
        #expect(sameHistograms, "the resumed run's histograms from step 9 differ from the straight run's")
        // The step-0 session, config and layout stay the first run's; the end is written once.
        #expect(resumedLog.sessionStarts.isEmpty && resumedLog.texts.isEmpty && resumedLog.layouts.isEmpty)
        #expect(resumedLog.sessionEnds == [.success])
        #expect(resumedLog.curves == straightLog.curves && resumedLog.curves.count == 10)
        #expect(resumedLog.embeddings == straightLog.embeddings && resumedLog.embeddings.count == 1)

        let final = try #require(try store.latest())
        #expect(final.checkpoint.step == 24 && final.checkpoint.finished)
    }

    @Test("A finished run's checkpoint is not continued, and a forward-only run saves a finished step-0 checkpoint")
    func finishedCheckpointIsNotContinued() throws {
        let data = try #require(Self.data)
        let (store, result, _) = try interruptedRun(every: 9, stopBefore: nil)
        #expect(result.completed)
        let final = try #require(try store.latest())
        #expect(final.checkpoint.finished && final.checkpoint.step == 24)
        #expect(throws: CheckpointError.alreadyFinished(path: final.path, step: 24)) {
            _ = try Trainer.run(try scenario(), data: data, options: Self.options, log: nil, resume: final)
        }

        let forward = try #require(Scenario.named("first_pass_normal"))
        let forwardStore = CheckpointStore(runDirectory: temporaryRun())
        _ = try Trainer.run(
            forward, data: data, options: Self.options, log: nil,
            checkpoints: CheckpointPolicy(store: forwardStore, every: 9))
        let saved = try #require(try forwardStore.latest())
        #expect(saved.checkpoint.finished && saved.checkpoint.step == 0)
    }

    @Test("Decoding a checkpoint and encoding it again gives the same bytes")
    func checkpointRoundTripsByteForByte() throws {
        let (store, _, _) = try interruptedRun(every: 7, stopBefore: 8)
        let path = try #require(store.files().last)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let decoded = try TrainingCheckpoint(decoding: [UInt8](bytes), path: path)
        #expect(decoded.step == 7 && decoded.checkpointEvery == 7)
        #expect(decoded.encoded() == [UInt8](bytes))
    }

    @Test("Only the newest three checkpoints are kept, named by step, and no temporary file is left")
    func storeKeepsTheNewestThree() throws {
        let (store, _, _) = try interruptedRun(
            every: 2, stopBefore: nil, options: TrainingOptions(iterations: 11, logEvery: 5, seed: 1))
        let names = try FileManager.default.contentsOfDirectory(atPath: store.directory).sorted()
        #expect(names == ["step-0000000008.tbkckpt", "step-0000000010.tbkckpt", "step-0000000011.tbkckpt"])
        #expect(store.directory.hasSuffix("/checkpoints"))
    }

    @Test("A checkpoint from another seed and batch size is refused, naming both settings")
    func otherSettingsAreRefused() throws {
        let data = try #require(Self.data)
        let (store, _, _) = try interruptedRun(every: 10, stopBefore: 12)
        let latest = try #require(try store.latest())
        var other = Self.options
        other.seed = 6
        other.batchSize = 20
        do {
            _ = try Trainer.run(try scenario(), data: data, options: other, log: nil, resume: latest)
            Issue.record("a checkpoint of other settings was accepted")
        } catch let error as CheckpointError {
            guard case .settingsDiffer(let path, let differences) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(path == latest.path)
            #expect(Set(differences.map(\.name)) == ["seed", "batch size"])
            #expect(error.description.contains("seed: checkpoint '5', now '6'"))
        }
    }

    @Test("Damaged, truncated, foreign and newer-version checkpoint files are refused with what is wrong")
    func damagedCheckpointsAreRefused() throws {
        let (store, _, _) = try interruptedRun(every: 5, stopBefore: 6)
        let path = try #require(store.files().last)
        let good = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        func error(_ bytes: [UInt8]) -> CheckpointError? {
            do {
                _ = try TrainingCheckpoint(decoding: bytes, path: "x.tbkckpt")
                return nil
            } catch let e as CheckpointError { return e } catch { return nil }
        }
        var flipped = good
        flipped[good.count / 2] ^= 0x10
        guard case .checksumMismatch = error(flipped) else {
            Issue.record("a flipped bit was not caught: \(String(describing: error(flipped)))")
            return
        }
        guard case .lengthMismatch(_, _, let available) = error(Array(good.dropLast(100))),
            available == good.count - 28 - 100
        else {
            Issue.record("truncation was not caught")
            return
        }
        guard case .tooShort(_, 10) = error(Array(good.prefix(10))) else {
            Issue.record("a 10-byte file was not called too short")
            return
        }
        var foreign = good
        foreign[0] = UInt8(ascii: "X")
        #expect(error(foreign) == .notACheckpoint(path: "x.tbkckpt"))
        var newer = good
        newer[8] = 2
        #expect(error(newer) == .unsupportedVersion(path: "x.tbkckpt", version: 2, supported: 1))
        #expect(error(flipped)?.description.contains("delete it to resume from the previous checkpoint") == true)
    }

    @Test("A body with a sound checksum but an impossible count is refused with its field and offset, not allocated")
    func impossibleCountIsRefused() throws {
        // step 5, not finished, interval 5, no settings, one layer of 2x2 whose weight count says 2^40.
        var body: [UInt8] = []
        func u64(_ x: UInt64) { withUnsafeBytes(of: x.littleEndian) { body += $0 } }
        u64(5)
        body.append(0)
        u64(5)
        u64(0)
        u64(1)
        u64(2)
        u64(2)
        u64(1 << 40)
        var file = Array("TBKitCkp".utf8)
        withUnsafeBytes(of: UInt32(1).littleEndian) { file += $0 }
        withUnsafeBytes(of: UInt32(0).littleEndian) { file += $0 }
        withUnsafeBytes(of: UInt64(body.count).littleEndian) { file += $0 }
        file += body
        let crc = file.withUnsafeBytes { CRC32C.checksum($0) }
        withUnsafeBytes(of: crc.littleEndian) { file += $0 }
        #expect(throws: CheckpointError.self) { _ = try TrainingCheckpoint(decoding: file, path: "c.tbkckpt") }
        do {
            _ = try TrainingCheckpoint(decoding: file, path: "c.tbkckpt")
        } catch let e as CheckpointError {
            guard case .malformed(_, let field, let offset, _) = e else {
                Issue.record("unexpected \(e)")
                return
            }
            #expect(field == "layer 1 weights")
            #expect(offset == 24 + body.count - 8)
        }
    }
}
