import ArgumentParser
import Foundation
import TBKit

/// `tbkit demo-plugins <logdir>`: writes one summary of every dashboard kind, with known
/// contents, so conformance tests can read them back through TensorBoard itself.
struct DemoPluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-plugins",
        abstract: "Write one summary of every TensorBoard dashboard kind into a log directory.",
        discussion: """
            Layout: <logdir>/ holds the hparams experiment; <logdir>/demo holds scalars, a histogram, images \
            (RGB gradient, gray+alpha, RGBA, a 6-tile grid), Markdown text, a custom scalars layout, \
            a PR curve, a WAV tone, a graph and a projector embedding; <logdir>/trial-1 and trial-2 are hparams \
            sessions with an "accuracy" scalar.
            """,
        shouldDisplay: false
    )

    @Argument(help: "The log directory to write (created if missing).")
    var logdir: String

    func run() throws {
        let demoDir = ObjectStorage.join(logdir, "demo")
        let writer = try SummaryWriter(logdir: demoDir)

        // Scalars the custom scalars layout refers to.
        for step in 0..<5 {
            let s = Double(step)
            try writer.scalar("loss/train", 1.0 / (s + 1), step: step)
            try writer.scalar("loss/test", 1.2 / (s + 1), step: step)
            try writer.scalar("acc/mid", 0.5 + 0.1 * s, step: step)
            try writer.scalar("acc/low", 0.45 + 0.1 * s, step: step)
            try writer.scalar("acc/high", 0.55 + 0.1 * s, step: step)
        }
        try writer.customScalarsLayout(
            CustomScalarLayout([
                .init(
                    title: "Losses",
                    charts: [
                        .init(title: "train and test", multiline: ["loss/train$", "loss/test$"])
                    ]),
                .init(
                    title: "Accuracy",
                    charts: [
                        .init(title: "band", margin: [.init(value: "acc/mid", lower: "acc/low", upper: "acc/high")])
                    ], closed: true),
            ]))

        // Histograms: a normal-looking spread that widens with the step.
        for step in 0..<5 {
            let scale = Float(step + 1) * 0.3
            let values = (0..<1000).map { i -> Float in
                let d: Float = (Float(i) + 0.5) / 1000 - 0.5
                return scale * d * (1 + 4 * d * d)
            }
            try writer.histogram("weights/dense1", values, step: step)
        }

        // Images: pixel (x, y) of "images/gradient" at step s is (16x, 32y, 40s) in RGB, 16×8.
        for step in 0..<2 {
            var rgb = [UInt8]()
            for y in 0..<8 {
                for x in 0..<16 { rgb += [UInt8(16 * x), UInt8(32 * y), UInt8(40 * step)] }
            }
            try writer.image("images/gradient", pixels: rgb, width: 16, height: 8, channels: 3, step: step)
        }
        var grayAlpha = [UInt8]()
        for i in 0..<(5 * 4) { grayAlpha += [UInt8(i * 12), UInt8(255 - i * 10)] }
        try writer.image("images/gray_alpha", pixels: grayAlpha, width: 5, height: 4, channels: 2, step: 0)
        let rgbaFloat: [Float] = (0..<(3 * 3 * 4)).map { (i: Int) -> Float in Float(i) / 35 }
        try writer.image("images/rgba", pixels: rgbaFloat, width: 3, height: 3, channels: 4, step: 0)
        // Six 5×5 tiles; tile t holds t·25 + i, normalized per tile to 0…255.
        let tiles = (0..<(6 * 25)).map { Float($0) }
        let grid = try ImageGrid(
            tiles: tiles, count: 6, tileWidth: 5, tileHeight: 5, columns: 3,
            padding: 1, normalization: .perTile)
        try writer.image("images/grid", grid: grid, step: 0)

        try writer.text(
            "notes",
            """
            # Demo run
            | init | accuracy |
            |------|----------|
            | he   | 0.97     |
            """, step: 0)

        // PR curve: 20 examples, prediction i/19, positive when i ≥ 8 or i == 3.
        let predictions = (0..<20).map { Float($0) / 19 }
        let labels = (0..<20).map { $0 >= 8 || $0 == 3 }
        try writer.prCurve("pr/demo", labels: labels, predictions: predictions, numThresholds: 11, step: 0)

        // Audio: 0.25 s of a 440 Hz sine at amplitude 0.5, 8 kHz.
        let tone = (0..<2000).map { Float(0.5 * sin(2 * Double.pi * 440 * Double($0) / 8000)) }
        try writer.audio("audio/tone", samples: tone, sampleRate: 8000, step: 0)

        // Projector: 20 points on a 3-D spiral, labelled by parity.
        var points = [Float]()
        for i in 0..<20 {
            let t = Double(i) / 3
            points += [Float(cos(t)), Float(sin(t)), Float(i) / 20]
        }
        try Projector.writeEmbedding(
            runDirectory: demoDir, name: "spiral", vectors: points, rows: 20, dims: 3,
            labels: (0..<20).map { $0 % 2 == 0 ? "even \($0)" : "odd \($0)" })
        // Graph: a two-layer dense net.
        try writer.graph(
            GraphDef(nodes: [
                .init(
                    name: "input", op: "Placeholder", attributes: ["dtype": .type(.float)], outputShapes: [[-1, 784]]),
                .init(name: "dense1/W", op: "VariableV2", outputShapes: [[784, 128]]),
                .init(name: "dense1/MatMul", op: "MatMul", inputs: ["input", "dense1/W"], outputShapes: [[-1, 128]]),
                .init(name: "dense1/Relu", op: "Relu", inputs: ["dense1/MatMul"], outputShapes: [[-1, 128]]),
                .init(name: "dense2/W", op: "VariableV2", outputShapes: [[128, 10]]),
                .init(
                    name: "dense2/MatMul", op: "MatMul", inputs: ["dense1/Relu", "dense2/W"], outputShapes: [[-1, 10]]),
                .init(name: "softmax", op: "Softmax", inputs: ["dense2/MatMul"], outputShapes: [[-1, 10]]),
            ]))
        try writer.close()

        // HParams: the experiment at the root, two sessions.
        try HParams.writeExperiment(
            logdir: logdir,
            hparams: [
                .init(name: "init", domain: .discrete(["he", "xavier"])),
                .init(name: "lr", domain: .interval(min: 0.0001, max: 0.1)),
                .init(name: "bias", domain: .discrete([true, false])),
            ], metrics: [.init(tag: "accuracy", displayName: "Accuracy")])
        let trials: [(String, [String: HParamValue], [Double])] = [
            ("trial-1", ["init": "he", "lr": 0.01, "bias": true], [0.5, 0.8, 0.9]),
            ("trial-2", ["init": "xavier", "lr": 0.001, "bias": false], [0.4, 0.6, 0.7]),
        ]
        for (run, hparams, accuracy) in trials {
            let w = try SummaryWriter(logdir: ObjectStorage.join(logdir, run))
            try w.hparamsSessionStart(hparams)
            for (step, a) in accuracy.enumerated() { try w.scalar("accuracy", a, step: step) }
            try w.hparamsSessionEnd(status: .success)
            try w.close()
        }
        print("wrote \(shown(logdir))")
    }
}
