import Foundation
import InitLab
import TBKit
import TBKitTestSupport
import Testing

/// What the trainer logs, checked against direct computation, and how training behaves.
@Suite(.serialized)
struct TrainerTests {
    static let data: MNIST.Splits? = try? MNIST.embedded()

    func scenario(_ name: String) throws -> Scenario {
        try #require(Scenario.named(name))
    }

    @Test(
        "First-pass input_var and mat_mul_var_N equal a direct computation on the same batch",
        arguments: ["first_pass_normal", "first_pass_variance"])
    func firstPassFiguresMatchDirectComputation(name: String) throws {
        let data = try #require(Self.data)
        let s = try scenario(name)
        let log = RecordingLog()
        let result = try Trainer.run(s, data: data, options: TrainingOptions(seed: 11), log: log)

        // Rebuild the batch and the network from the same seed, without the trainer.
        var sampler = EpochSampler(count: data.train.count, rng: SeededGenerator(seed: 11, stream: Trainer.batchStream))
        let indices = Array(sampler.next(100))
        var x = Matrix(rows: 100, columns: 784)
        for (row, index) in indices.enumerated() {
            for c in 0..<784 { x[row, c] = data.train.images[index, c] }
        }
        let net = Trainer.initialNetwork(for: s, seed: 11)
        var input = x
        let expectedInputVar = Statistics.variance(x)
        #expect(abs(try #require(log.scalar("input_var")) - expectedInputVar) <= 1e-12)
        #expect(result.inputVariance == expectedInputVar)
        for (i, layer) in net.layers.enumerated() {
            let matMul = MatMul.reference(input, layer.weights)
            let expected = Statistics.variance(matMul)
            let logged = try #require(log.scalar("mat_mul_var_\(i + 1)"))
            #expect(abs(logged - expected) <= 1e-5 * expected, "layer \(i + 1): \(logged) vs \(expected)")
            // The histogram holds exactly x·W (before bias and activation).
            let tensor = try #require(log.tensor("mat_mul_hist_\(i + 1)"))
            #expect(tensor.count == matMul.count)
            let diff = zip(tensor, matMul.storage).map { abs($0 - $1) }.max() ?? 0
            #expect(diff <= 1e-3 * max(1, Float(expected.squareRoot())))
            // Next layer's input: the activation of x·W + b (b = 0 at the start).
            var out = matMul
            out.withUnsafeMutableBufferPointer { layer.activation.apply($0) }
            input = out
        }
    }

    @Test(
        "Read back with EventFileReader, first-pass input_var and mat_mul_var_N equal a direct computation and every histogram holds its whole tensor"
    )
    func eventFileMatchesDirectComputation() throws {
        let data = try #require(Self.data)
        let s = try scenario("first_pass_variance")
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let writer = try SummaryWriter(logdir: dir)
        _ = try Trainer.run(s, data: data, options: TrainingOptions(seed: 4), log: writer)
        try writer.close()

        var scalars: [String: Double] = [:]
        var histograms: [String: HistogramPoint] = [:]
        let reader = EventFileReader(file: writer.path)
        while let value = reader.nextValue() {
            switch value {
            case .scalar(let p): scalars[p.tag] = p.value
            case .histogram(let h): histograms[h.tag] = h
            case .other: break
            }
        }
        #expect(reader.problems.isEmpty)

        // The same batch and weights, computed here without the trainer.
        var sampler = EpochSampler(count: data.train.count, rng: SeededGenerator(seed: 4, stream: Trainer.batchStream))
        var x = Matrix(rows: 0, columns: 0)
        var labels: [UInt8] = []
        data.train.gather(sampler.next(100), images: &x, labels: &labels)
        let net = Trainer.initialNetwork(for: s, seed: 4)
        let inputVar = Statistics.variance(x)
        // Scalars are stored as float32.
        #expect(abs(try #require(scalars["input_var"]) - inputVar) <= 1e-6 * inputVar)
        var input = x
        for (i, layer) in net.layers.enumerated() {
            let n = i + 1
            let matMul = MatMul.reference(input, layer.weights)
            let expected = Statistics.variance(matMul)
            let logged = try #require(scalars["mat_mul_var_\(n)"])
            #expect(abs(logged - expected) <= 1e-5 * expected, "mat_mul_var_\(n): \(logged) vs \(expected)")
            for tag in ["mat_mul_hist_\(n)", "fc_out_\(n)", "weights_\(n)"] {
                let h = try #require(histograms[tag])
                let size = tag.hasPrefix("weights") ? layer.weights.count : matMul.count
                #expect(h.num == Double(size), "\(tag)")
                #expect(h.buckets.map(\.count).reduce(0, +) == Double(size), "\(tag)")
            }
            var out = matMul
            out.withUnsafeMutableBufferPointer { layer.activation.apply($0) }
            input = out
        }
    }

    @Test("Every logged histogram's bucket counts add up to its tensor's size")
    func histogramCountsAddUp() throws {
        let data = try #require(Self.data)
        let log = RecordingLog()
        _ = try Trainer.run(
            try scenario("full_train_he_relu"), data: data,
            options: TrainingOptions(iterations: 3, logEvery: 2), log: log)
        let expectedSizes: [String: Int] = [
            "mat_mul_hist_1": 30 * 100, "mat_mul_hist_2": 30 * 100, "mat_mul_hist_3": 30 * 10,
            "fc_out_1": 30 * 100, "fc_out_2": 30 * 100, "fc_out_3": 30 * 10,
            "weights_1": 784 * 100, "weights_2": 100 * 100, "weights_3": 100 * 10,
            "grads_1": 784 * 100, "grads_2": 100 * 100, "grads_3": 100 * 10,
        ]
        #expect(Set(log.histograms.map(\.tag)) == Set(expectedSizes.keys))
        #expect(log.histograms.count == 2 * expectedSizes.count)  // steps 0 and 2
        for h in log.histograms {
            #expect(h.values.count == expectedSizes[h.tag], "\(h.tag)")
            #expect(h.histogram.bucketCounts.reduce(0, +) == Double(h.values.count), "\(h.tag) step \(h.step)")
            #expect(h.histogram.count == Double(h.values.count))
        }
        for tag in [
            "input_var", "mat_mul_var_1", "mat_mul_var_2", "mat_mul_var_3", "loss", "acc",
            "saturation_1", "saturation_2", "fc_out_var_1", "fc_out_var_2", "test_acc",
        ] {
            #expect(log.scalars.contains { $0.tag == tag }, "\(tag) logged")
        }
        #expect(log.scalar("test_acc", step: 3) != nil)
    }

    @Test("Forty Adam steps lower the training loss and lift test accuracy above chance")
    func shortTrainingLowersLoss() throws {
        let data = try #require(Self.data)
        let result = try Trainer.run(
            try scenario("full_train_variance_relu"), data: data,
            options: TrainingOptions(iterations: 40, logEvery: 10), log: nil)
        #expect(result.finalLoss < 0.7 * result.initialLoss, "loss \(result.initialLoss) -> \(result.finalLoss)")
        #expect(try #require(result.testAccuracy) > 0.5)
    }

    @Test("The same seed gives the same events; another seed does not")
    func sameSeedSameEvents() throws {
        let data = try #require(Self.data)
        let s = try scenario("full_train_variance")
        var logs: [RecordingLog] = []
        for seed: UInt64 in [5, 5, 6] {
            let log = RecordingLog()
            _ = try Trainer.run(
                s, data: data, options: TrainingOptions(iterations: 4, logEvery: 2, seed: seed), log: log)
            logs.append(log)
        }
        #expect(logs[0].scalars == logs[1].scalars)
        #expect(logs[0].histograms == logs[1].histograms)
        #expect(logs[0].images == logs[1].images)
        #expect(logs[0].texts == logs[1].texts)
        #expect(logs[0].curves == logs[1].curves)
        #expect(logs[0].sessionStarts == logs[1].sessionStarts)
        #expect(logs[0].embeddings == logs[1].embeddings)
        #expect(logs[0].histograms != logs[2].histograms)
    }

    /// The record payloads of an event file (TFRecord framing: u64 length, u32 crc, payload, u32 crc),
    /// each with its Event's wall_time (field 1, fixed64, written first) zeroed.
    func payloadsWithoutWallTime(_ path: String) throws -> [[UInt8]] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var payloads: [[UInt8]] = []
        var offset = 0
        while offset + 12 <= bytes.count {
            let length = (0..<8).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
            let start = offset + 12
            try #require(start + length + 4 <= bytes.count)
            var payload = Array(bytes[start..<(start + length)])
            if payload.first == 0x09, payload.count >= 9 {
                for i in 1...8 { payload[i] = 0 }
            }
            payloads.append(payload)
            offset = start + length + 4
        }
        #expect(offset == bytes.count)
        return payloads
    }

    @Test(
        "Event files written with the same seed hold the same records apart from wall time (hparams session times included), and the same projector files"
    )
    func sameSeedSameFiles() throws {
        let data = try #require(Self.data)
        let tmp = TemporaryDirectory()
        let root = tmp.path
        var files: [[[UInt8]]] = []
        var sessions: [Int] = []
        var tensors: [Data] = []
        let sessionTag = Array("_hparams_/session_".utf8)
        for run in ["a", "b"] {
            let writer = try SummaryWriter(logdir: root + "/" + run)
            _ = try Trainer.run(
                try scenario("full_train_normal_relu"), data: data,
                options: TrainingOptions(iterations: 3, logEvery: 2, seed: 9), log: writer)
            try writer.close()
            // Session start and end carry their own wall-clock times inside the plugin content.
            let all = try payloadsWithoutWallTime(writer.path)
            let isSession = { (p: [UInt8]) in p.indices.contains { p[$0...].starts(with: sessionTag) } }
            files.append(all.filter { !isSession($0) })
            sessions.append(all.filter(isSession).count)
            tensors.append(try Data(contentsOf: URL(fileURLWithPath: root + "/" + run + "/fc_out_2.tensor.tsv")))
        }
        #expect(files[0].count > 40)
        #expect(files[0] == files[1])
        #expect(sessions == [2, 2])
        #expect(tensors[0] == tensors[1])
    }

    @Test(
        "The article's first-pass outcomes: input variance ~0.09, normal(1) matmul variance far above 1 and saturated sigmoids, Xavier not"
    )
    func firstPassOutcomes() throws {
        let data = try #require(Self.data)
        let normal = try Trainer.run(try scenario("first_pass_normal"), data: data, log: nil)
        let xavier = try Trainer.run(try scenario("first_pass_variance"), data: data, log: nil)
        #expect(normal.inputVariance > 0.07 && normal.inputVariance < 0.11)
        #expect(normal.matMulVariances[0] > 30, "normal(1.0) layer-1 matmul variance \(normal.matMulVariances[0])")
        #expect(xavier.matMulVariances[0] < 1)
        #expect(normal.saturation[0] > 0.3, "normal(1.0) sigmoid saturation \(normal.saturation[0])")
        #expect(xavier.saturation[0] < 0.05, "xavier sigmoid saturation \(xavier.saturation[0])")
        // Xavier keeps the sigmoid outputs around 0.5.
        #expect(xavier.outputVariances[0] < 0.02)
    }

    @Test(
        "The article's training outcomes (1000 steps each; set INITLAB_FULL_RUNS=1, best with -c release)",
        .enabled(if: ProcessInfo.processInfo.environment["INITLAB_FULL_RUNS"] != nil))
    func trainingOutcomes() throws {
        let data = try #require(Self.data)
        var accuracy: [String: Double] = [:]
        for s in Scenario.article where s.trains {
            accuracy[s.name] = try Trainer.run(s, data: data, log: nil).testAccuracy
        }
        let a = { (name: String) in accuracy[name] ?? 0 }
        #expect(a("full_train_variance") > a("full_train_normal") + 0.02)
        #expect(a("full_train_variance_relu") > a("full_train_normal_relu") + 0.05)
        #expect(a("full_train_he_relu") > a("full_train_normal_relu") + 0.05)
        // "He at least as good as Xavier": within one test image in a hundred at a single seed.
        #expect(a("full_train_he_relu") >= a("full_train_variance_relu") - 0.01)
    }
}
