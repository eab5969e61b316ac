import Foundation
import InitLab
import TBKitTestSupport
import Testing

/// The scenario table and the run-directory rules.
struct ScenarioTests {
    @Test("The article's seven runs have its folder names, 784-100-100-10 and a Glorot-uniform output layer")
    func articleRuns() {
        #expect(
            Scenario.article.map(\.name) == [
                "first_pass_normal", "first_pass_variance", "full_train_normal", "full_train_variance",
                "full_train_normal_relu", "full_train_variance_relu", "full_train_he_relu",
            ])
        for s in Scenario.article {
            #expect(s.hiddenLayers == [100, 100])
            #expect(s.outputInitializer == .glorotUniform)
        }
        #expect(Scenario.named("full_train_he_relu")?.hiddenInitializer == .tf1He)
        #expect(Scenario.named("first_pass_variance")?.hiddenInitializer == .tf1Xavier)
        #expect(Scenario.named("full_train_normal")?.hiddenInitializer == .normal(stddev: 1.0))
    }

    @Test(
        "The deep sweep has four runs per activation, five hidden layers of 100, Glorot for sigmoid/tanh and He for relu"
    )
    func deepSweep() {
        #expect(Scenario.deepSweep.count == 12)
        #expect(Set(Scenario.all.map(\.name)).count == Scenario.all.count)
        #expect(Scenario.named("deep_tanh_glorot_normal")?.hiddenInitializer == .glorotNormal)
        #expect(Scenario.named("deep_relu_he_normal")?.hiddenInitializer == .heNormal)
        #expect(Scenario.named("deep_sigmoid_normal_0.28")?.hiddenInitializer == .normal(stddev: 0.28))
        for s in Scenario.deepSweep { #expect(s.hiddenLayers == [100, 100, 100, 100, 100]) }
    }

    @Test("A deep run logs every hidden layer's output histogram and variance for 1,000 inputs")
    func deepRunLogs() throws {
        let data = try MNIST.embedded()
        let log = RecordingLog()
        let result = try Trainer.run(try #require(Scenario.named("deep_tanh_normal_0.10")), data: data, log: log)
        for n in 1...5 {
            #expect(log.tensor("fc_out_\(n)")?.count == 1000 * 100)
            #expect(log.scalar("fc_out_var_\(n)") != nil)
        }
        // σ = 0.10 with tanh: each layer shrinks the signal (the companion study's first column).
        #expect(result.outputVariances[4] < result.outputVariances[0])
    }

    @Test("A run directory with event files is refused unless overwrite, which deletes only the event files")
    func runDirectory() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path + "/run"
        try FreshRunDirectory.prepare(dir, overwrite: false)  // creates it
        let fm = FileManager.default
        #expect(fm.createFile(atPath: dir + "/events.out.tfevents.1700000000.host", contents: Data([1, 2, 3])))
        #expect(fm.createFile(atPath: dir + "/notes.txt", contents: Data([4])))
        #expect(throws: FreshRunDirectoryError.holdsEvents(path: dir, files: ["events.out.tfevents.1700000000.host"])) {
            try FreshRunDirectory.prepare(dir, overwrite: false)
        }
        // The library says what is wrong and names no command-line flag; the CLI adds "--overwrite".
        let refusal = "\(FreshRunDirectoryError.holdsEvents(path: dir, files: ["events.out.tfevents.1700000000.host"]))"
        #expect(refusal.contains("already holds 1 event file(s)") && !refusal.contains("--"))
        try FreshRunDirectory.prepare(dir, overwrite: true)
        #expect(FreshRunDirectory.eventFiles(in: dir).isEmpty)
        #expect(fm.fileExists(atPath: dir + "/notes.txt"))
    }
}
