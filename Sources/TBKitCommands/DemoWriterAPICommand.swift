import ArgumentParser
import Foundation
import TBKit

/// `tbkit demo-writer-api <logdir>`: writes, through the writer's newer verbs, runs with known
/// contents for the conformance tests to read back with TensorBoard's own loaders.
struct DemoWriterAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-writer-api",
        abstract: "Write runs exercising hparams with metrics, merged layouts, image layouts and 16-bit histograms.",
        discussion: """
            Layout: <logdir>/images holds "v1/gradient" (a v1 Summary.Image, RGB 16×8, pixel (x, y) = \
            (16x, 32y, 40·step), steps 0 and 1) and "chw/gradient" (the same step-0 pixels given as CHW); \
            <logdir>/layout holds a custom scalars layout with category "Mine" and the chart of \
            scalars("loss", train/test) over steps 0…2; <logdir>/hp-a and hp-b are hparams runs with \
            metrics; <logdir>/half holds "weights" from float16 bytes and "weights_bf16" from bfloat16 \
            bytes of the values (i - 50) / 16, i in 0..<100.
            """,
        shouldDisplay: false
    )

    @Argument(help: "The log directory to write (created if missing).")
    var logdir: String

    func run() throws {
        let images = try SummaryWriter(logdir: ObjectStorage.join(logdir, "images"))
        for step in 0..<2 {
            var hwc = [UInt8]()
            var chw = [UInt8](repeating: 0, count: 16 * 8 * 3)
            for y in 0..<8 {
                for x in 0..<16 {
                    let rgb: [UInt8] = [UInt8(16 * x), UInt8(32 * y), UInt8(40 * step)]
                    hwc += rgb
                    for c in 0..<3 { chw[c * 128 + y * 16 + x] = rgb[c] }
                }
            }
            try images.image(
                "v1/gradient", pixels: hwc, width: 16, height: 8, channels: 3, format: .summaryImage, step: step)
            if step == 0 {
                try images.image("chw/gradient", pixels: chw, width: 16, height: 8, channels: 3, layout: .chw, step: 0)
            }
        }
        try images.close()

        let layout = try SummaryWriter(logdir: ObjectStorage.join(logdir, "layout"))
        try layout.customScalarsLayout(
            CustomScalarLayout([.init(title: "Mine", charts: [.init(title: "accuracy", multiline: ["acc$"])])]))
        for step in 0..<3 {
            try layout.scalar("acc", 0.5 + 0.1 * Double(step), step: step)
            let n = Double(step + 1)
            let loss: [String: Double] = ["train": 1.0 / n, "test": 1.5 / n]
            try layout.scalars("loss", loss, step: step)
        }
        try layout.close()

        let runs: [(String, [String: HParamValue], [String: Double])] = [
            ("hp-a", ["lr": 0.01, "init": "he"], ["hparam/accuracy": 0.9, "hparam/loss": 0.25]),
            ("hp-b", ["lr": 0.001, "init": "xavier"], ["hparam/accuracy": 0.8, "hparam/loss": 0.5]),
        ]
        for (run, values, metrics) in runs {
            let writer = try SummaryWriter(logdir: ObjectStorage.join(logdir, run))
            try writer.hparams(values, metrics: metrics)
            try writer.close()
        }

        let half = try SummaryWriter(logdir: ObjectStorage.join(logdir, "half"))
        let values = (0..<100).map { Float($0 - 50) / 16 }
        var float16 = [UInt8]()
        var bfloat16 = [UInt8]()
        for v in values {
            let b: UInt32 = v.bitPattern >> 16
            bfloat16.append(UInt8(truncatingIfNeeded: b))
            bfloat16.append(UInt8(truncatingIfNeeded: b >> 8))
            let h = Self.float16Bits(v)
            float16.append(UInt8(truncatingIfNeeded: h))
            float16.append(UInt8(truncatingIfNeeded: h >> 8))
        }
        try float16.withUnsafeBytes { _ = try half.histogram("weights", bytes: $0, precision: .float16, step: 0) }
        try bfloat16.withUnsafeBytes {
            _ = try half.histogram("weights_bf16", bytes: $0, precision: .bfloat16, step: 0)
        }
        try half.close()
        print("wrote \(logdir)")
    }

    /// The float16 pattern of `v`, a normal value whose mantissa fits 10 bits (as the demo's are).
    static func float16Bits(_ v: Float) -> UInt16 {
        if v == 0 { return 0 }
        let bits: UInt32 = v.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
        let biased: Int = Int((bits >> 23) & 0xFF) - 127 + 15
        let exponent = UInt16(truncatingIfNeeded: biased & 0x1F)
        let mantissa = UInt16(truncatingIfNeeded: (bits >> 13) & 0x3FF)
        return sign | (exponent << 10) | mantissa
    }
}
