import Foundation
import InitLab
import TBKit
import TBKitTestSupport
import Testing

/// What the trainer sends to the images, text, hparams, custom scalars, PR curves and projector
/// dashboards.
@Suite(.serialized)
struct DashboardLoggingTests {
    static let data: MNIST.Splits? = try? MNIST.embedded()

    func run(_ name: String, options: TrainingOptions = TrainingOptions(iterations: 3, logEvery: 2)) throws -> (
        RecordingLog, RunResult
    ) {
        let data = try #require(Self.data)
        let log = RecordingLog()
        let result = try Trainer.run(try #require(Scenario.named(name)), data: data, options: options, log: log)
        return (log, result)
    }

    @Test(
        "A full run logs filters_1 at step 0 and at its last step as an 8x8 grid of 28x28 tiles (224 + 9 padding pixels a side)"
    )
    func filterGrid() throws {
        let (log, _) = try run("full_train_variance")
        let filters = log.images.filter { $0.tag == "filters_1" }
        #expect(filters.map(\.step) == [0, 3])
        for f in filters {
            #expect(f.grid.columns == 8 && f.grid.rows == 8)
            #expect(f.grid.width == 8 * 28 + 9 && f.grid.height == 8 * 28 + 9)
            #expect(f.grid.channels == 1)
        }
        // The weights moved, so the two pictures differ.
        #expect(filters[0].grid.pixels != filters[1].grid.pixels)
    }

    @Test("The filters grid's first tile is unit 0's 784 incoming weights scaled min…max")
    func filterTileIsFirstColumn() throws {
        let (log, _) = try run("first_pass_variance")
        let grid = try #require(log.images.first { $0.tag == "filters_1" }?.grid)
        let weights = Trainer.initialNetwork(for: try #require(Scenario.named("first_pass_variance")), seed: 0).layers[
            0
        ].weights
        let column = (0..<784).map { weights[$0, 0] }
        let lo = try #require(column.min())
        let hi = try #require(column.max())
        for (r, c) in [(0, 0), (13, 14), (27, 27)] {
            let expected = UInt8(((column[r * 28 + c] - lo) / (hi - lo) * 255).rounded())
            let got = grid.pixels[(1 + r) * grid.width + 1 + c]
            #expect(abs(Int(got) - Int(expected)) <= 1, "pixel (\(r), \(c))")
        }
    }

    @Test("input_digits shows the first batch: 30 digits for a full run, 100 for a first pass, at step 0 only")
    func inputDigits() throws {
        let (full, _) = try run("full_train_he_relu")
        let digits = try #require(full.images.first { $0.tag == "input_digits" })
        #expect(full.images.filter { $0.tag == "input_digits" }.map(\.step) == [0])
        #expect(digits.grid.columns * digits.grid.rows >= 30 && digits.grid.columns == 6)
        let (first, _) = try run("first_pass_normal")
        let batch = try #require(first.images.first { $0.tag == "input_digits" })
        #expect(batch.grid.columns == 10 && batch.grid.rows == 10)
        #expect(batch.grid.width == 10 * 28 + 11)
    }

    @Test("First-pass runs log images at step 0 only and no PR curves or embedding")
    func firstPassExtras() throws {
        let (log, _) = try run("first_pass_normal")
        #expect(Set(log.images.map(\.step)) == [0])
        #expect(log.curves.isEmpty)
        #expect(log.embeddings.isEmpty)
        #expect(log.sessionStarts.count == 1 && log.sessionEnds == [.success])
    }

    @Test(
        "The config text is a Markdown table naming the initializer, its variance, activation, layers, optimizer, batch, seed, data set and output initializer",
        arguments: [
            ("full_train_variance", "xavier", "sigmoid"), ("full_train_he_relu", "he", "relu"),
            ("first_pass_normal", "normal", "sigmoid"),
        ])
    func configText(name: String, initializer: String, activation: String) throws {
        let (log, _) = try run(name, options: TrainingOptions(iterations: 3, logEvery: 2, seed: 42))
        let config = try #require(log.texts.first { $0.tag == "config" })
        #expect(config.step == 0)
        #expect(config.markdown.hasPrefix("| setting | value |\n| --- | --- |\n"))
        for needle in [
            "| hidden initializer | \(initializer):", "| activation | \(activation) |", "initializer variance",
            "784 → 100 → 100 → 10", "| output layer initializer | glorot_uniform |", "| seed | 42 |",
            "mnist-5k (embedded) (4000 train, 1000 test)", "| batch size |", "| optimizer |",
        ] {
            #expect(config.markdown.contains(needle), "\(needle) in \(config.markdown)")
        }
    }

    @Test(
        "Each article run's hparams session holds its initializer, activation and σ; every key is a column of the experiment"
    )
    func sessionValues() throws {
        let expected: [String: (String, String, Double)] = [
            "first_pass_normal": ("normal", "sigmoid", 1.0),
            "first_pass_variance": ("xavier", "sigmoid", (2.0 / 884).squareRoot()),
            "full_train_normal": ("normal", "sigmoid", 1.0),
            "full_train_variance": ("xavier", "sigmoid", (2.0 / 884).squareRoot()),
            "full_train_normal_relu": ("normal", "relu", 1.0),
            "full_train_variance_relu": ("xavier", "relu", (2.0 / 884).squareRoot()),
            "full_train_he_relu": ("he", "relu", (2.0 / 784).squareRoot()),
        ]
        let columns = StudyDashboards.hparams
        // The dashboard shows the first five columns by name: the study's axes must be among them.
        let shown = Set(columns.map(\.name).sorted().prefix(5))
        #expect(shown.isSuperset(of: ["initializer", "activation", "init_stddev"]))
        let options = TrainingOptions(iterations: 200, batchSize: 30, seed: 3)
        for s in Scenario.article {
            let values = RunConfiguration(scenario: s, options: options, trainCount: 4000, testCount: 1000).hparams
            let (initializer, activation, sigma) = try #require(expected[s.name])
            #expect(values["initializer"] == .string(initializer), "\(s.name)")
            #expect(values["activation"] == .string(activation), "\(s.name)")
            guard case .number(let got)? = values["init_stddev"] else {
                Issue.record("init_stddev of \(s.name)")
                continue
            }
            #expect(abs(got - sigma) <= 1e-12 * sigma, "\(s.name): σ \(got) vs \(sigma)")
            #expect(values["iterations"] == .number(s.trains ? 200 : 0))
            #expect(values["batch_size"] == .number(s.trains ? 30 : 100))
            #expect(values["seed"] == .number(3))
            #expect(values["num_hidden_layers"] == .number(2))
            #expect(values["output_initializer"] == .string("glorot_uniform"))
            #expect(Set(values.keys) == Set(columns.map(\.name)))
            for column in columns {
                if case .discrete(let domain)? = column.domain, let v = values[column.name] {
                    #expect(domain.contains(v), "\(s.name): \(column.name) = \(v) is in its domain")
                }
            }
        }
    }

    @Test("The trainer sends the session values of RunConfiguration once, and a success end")
    func trainerSendsSession() throws {
        let data = try #require(Self.data)
        let options = TrainingOptions(iterations: 3, logEvery: 2, seed: 8)
        let (log, _) = try run("full_train_normal_relu", options: options)
        let s = try #require(Scenario.named("full_train_normal_relu"))
        let expected = RunConfiguration(
            scenario: s, options: options, trainCount: data.train.count, testCount: data.test.count
        ).hparams
        #expect(log.sessionStarts == [expected])
        #expect(log.sessionEnds == [.success])
    }

    @Test("Every deep-sweep run's string hparams are inside the experiment's domains")
    func deepSweepInsideDomains() {
        let domains = Dictionary(
            uniqueKeysWithValues: StudyDashboards.hparams.compactMap { c -> (String, [HParamValue])? in
                if case .discrete(let d)? = c.domain { return (c.name, d) }
                return nil
            })
        #expect(Set(domains.keys) == ["initializer", "activation", "output_initializer"])
        for s in Scenario.all {
            let values = RunConfiguration(scenario: s, options: TrainingOptions(), trainCount: 4000, testCount: 1000)
                .hparams
            for (name, domain) in domains {
                #expect(domain.contains(values[name] ?? .bool(false)), "\(s.name): \(name)")
            }
        }
    }

    @Test(
        "The custom scalars layout puts mat_mul_var_N of every layer and saturation_N of every hidden layer on one chart each, regexes ended with $"
    )
    func customScalarsLayout() throws {
        let (log, _) = try run("first_pass_variance")
        #expect(log.layouts == [StudyDashboards.customScalarsLayout])
        let charts = StudyDashboards.customScalarsLayout.categories.flatMap(\.charts)
        func tags(_ title: String) throws -> [String] {
            let chart = try #require(charts.first { $0.title.hasPrefix(title) })
            guard case .multiline(let tags) = chart.content else {
                Issue.record("\(title) is not multiline")
                return []
            }
            return tags
        }
        // Python's re.match: anchored at the start; the $ anchors the end.
        func matches(_ patterns: [String], _ tag: String) -> Bool {
            patterns.contains { p in
                guard let re = try? NSRegularExpression(pattern: p) else { return false }
                return re.firstMatch(in: tag, options: .anchored, range: NSRange(tag.startIndex..., in: tag)) != nil
            }
        }
        let matMul = try tags("mat_mul_var_N")
        let saturation = try tags("saturation_N")
        for patterns in charts.compactMap({ c -> [String]? in
            if case .multiline(let t) = c.content { return t }
            return nil
        }) {
            for p in patterns { #expect(p.hasSuffix("$"), "\(p)") }
        }
        for n in 1...6 { #expect(matches(matMul, "mat_mul_var_\(n)")) }
        for n in 1...5 { #expect(matches(saturation, "saturation_\(n)")) }
        for other in ["mat_mul_var_1/nonfinite_count", "mat_mul_hist_1", "fc_out_var_1", "saturation_1x"] {
            #expect(!matches(matMul, other) && !matches(saturation, other), "\(other)")
        }
    }

    @Test(
        "A full run logs one PR curve per class at its last step from the test softmax; counts add up to the test set")
    func prCurves() throws {
        let data = try #require(Self.data)
        let (log, result) = try run("full_train_he_relu")
        #expect(log.curves.map(\.tag) == (0..<10).map { "pr_curve/class_\($0)" })
        for (k, point) in log.curves.enumerated() {
            #expect(point.step == 3)
            let positives = data.test.labels.filter { Int($0) == k }.count
            // At threshold 0 every example is predicted positive.
            #expect(point.curve.truePositives[0] == Double(positives))
            #expect(point.curve.truePositives[0] + point.curve.falsePositives[0] == Double(data.test.count))
        }
        #expect(result.testAccuracy != nil)
        #expect(result.endOfRunSeconds > 0)
    }

    @Test("Logging leaves the run's figures as they are: test accuracy with and without a log are equal")
    func loggingDoesNotChangeResults() throws {
        let data = try #require(Self.data)
        let s = try #require(Scenario.named("full_train_variance"))
        let options = TrainingOptions(iterations: 5, logEvery: 2)
        let logged = try Trainer.run(s, data: data, options: options, log: RecordingLog())
        let plain = try Trainer.run(s, data: data, options: options, log: nil)
        #expect(logged.testAccuracy == plain.testAccuracy)
        #expect(logged.finalLoss == plain.finalLoss)
    }

    @Test("A full run's embedding is the last hidden layer for the first 1,000 test images, labelled with their digits")
    func embedding() throws {
        let data = try #require(Self.data)
        let (log, _) = try run("full_train_variance_relu")
        let e = try #require(log.embeddings.first)
        #expect(log.embeddings.count == 1)
        #expect(e.name == "fc_out_2")
        #expect(e.rows == 1000 && e.dims == 100 && e.vectors.count == 100_000)
        #expect(e.labels == data.test.labels.prefix(1000).map { String($0) })
        #expect(e.vectors.allSatisfy { $0 >= 0 })  // ReLU outputs
    }

    @Test("Written by a SummaryWriter, the projector files land in the run directory")
    func projectorFiles() throws {
        let data = try #require(Self.data)
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let writer = try SummaryWriter(logdir: dir)
        _ = try Trainer.run(
            try #require(Scenario.named("full_train_he_relu")), data: data,
            options: TrainingOptions(iterations: 2, logEvery: 1), log: writer)
        try writer.close()
        let config = try String(contentsOfFile: dir + "/" + Projector.configFileName, encoding: .utf8)
        #expect(config.contains("tensor_name: \"fc_out_2\""))
        #expect(config.contains("tensor_shape: 1000\n  tensor_shape: 100"))
        let labels = try String(contentsOfFile: dir + "/fc_out_2.metadata.tsv", encoding: .utf8)
        #expect(labels.split(separator: "\n").count == 1000)
    }

    @Test(
        "Writing the experiment twice leaves exactly one experiment file at the logdir root and no other file touched")
    func experimentRewritten() throws {
        let tmp = TemporaryDirectory()
        let root = tmp.path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let other = root + "/events.out.tfevents.1700000000.host"
        #expect(FileManager.default.createFile(atPath: other, contents: Data([1])))
        let first = try StudyDashboards.writeExperiment(logdir: root)
        let second = try StudyDashboards.writeExperiment(logdir: root)
        #expect(first != second)
        #expect(StudyDashboards.experimentFiles(in: root) == [(second as NSString).lastPathComponent])
        #expect(FileManager.default.fileExists(atPath: other))
        // The file holds one experiment summary listing every column and metric.
        let reader = EventFileReader(file: second)
        var tags: [String] = []
        while let value = reader.nextValue() {
            if case .other(let o) = value { tags.append(o.tag) }
        }
        #expect(reader.problems.isEmpty)
        #expect(tags == [HParams.experimentTag])
    }
}
