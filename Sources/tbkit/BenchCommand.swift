import ArgumentParser
import Foundation
import TBKit

/// `tbkit bench`: TBKit's writing speed, beside tensorboardX doing the same work in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure writing speed (scalars, histograms, CRC32C) beside tensorboardX.",
        discussion: """
            Build in release mode for meaningful figures. Each figure is the median of several
            repetitions; ratios compare against tensorboardX run by Scripts/bench_tensorboardx.py
            with the Python of .venv (or python3) in the same invocation.

            Example:
              swift run -c release tbkit bench
              swift run -c release tbkit bench --scalars 1000000 --repeats 3 --no-peer
            """
    )

    @Option(help: "Scalar events per repetition.")
    var scalars = 2_000_000

    @Option(help: "Values in the histogram.")
    var histogramValues = 1_000_000

    @Option(help: "Repetitions of each measurement (the median is printed).")
    var repeats = 5

    @Flag(help: "Skip the tensorboardX comparison.")
    var noPeer = false

    @Option(help: "Python interpreter for the tensorboardX run (default: .venv/bin/python, else python3).")
    var python: String?

    func run() throws {
        #if DEBUG
            print("warning: this is a debug build; use `swift run -c release tbkit bench` for real figures")
        #endif
        let tmp = NSTemporaryDirectory() + "tbkit-bench-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: tmp) }

        // Scalars.
        var scalarRates = [Double]()
        var bytesPerEvent = 0.0
        for r in 0..<repeats {
            let writer = try SummaryWriter(logdir: "\(tmp)/scalars\(r)")
            let start = DispatchTime.now().uptimeNanoseconds
            for i in 0..<scalars {
                try writer.scalar("loss", Float(i) * 0.001, step: i)
            }
            try writer.close()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            scalarRates.append(Double(scalars) / seconds)
            bytesPerEvent = Double(writer.bytesWritten - 40) / Double(scalars)
            try? FileManager.default.removeItem(atPath: "\(tmp)/scalars\(r)")
        }

        // Histogram of normal values.
        var rng = SplitMix(seed: 42)
        var values = [Float](repeating: 0, count: histogramValues)
        for i in 0..<values.count { values[i] = rng.normal() }
        let hwriter = try SummaryWriter(logdir: "\(tmp)/hist")
        var histogramMillis = [Double]()
        for r in 0..<max(repeats * 4, 10) {
            let start = DispatchTime.now().uptimeNanoseconds
            try hwriter.histogram("values", values, step: r)
            histogramMillis.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        try hwriter.close()

        // CRC32C.
        let crcBytes = [UInt8](repeating: 0xA5, count: 64 << 20)
        func gbPerSecond(_ body: (UnsafeRawBufferPointer) -> UInt32) -> Double {
            var rates = [Double]()
            var sink: UInt32 = 0
            crcBytes.withUnsafeBytes { raw in
                for _ in 0..<repeats {
                    let start = DispatchTime.now().uptimeNanoseconds
                    sink ^= body(raw)
                    rates.append(Double(raw.count) / Double(DispatchTime.now().uptimeNanoseconds - start))
                }
            }
            if sink == 0x1234_5678 { print("") }
            return median(rates)
        }
        let hardware = CRC32C.usesHardware ? gbPerSecond { CRC32C.checksum($0) } : .nan
        let software = gbPerSecond { CRC32C.software($0) }

        // Flushing every step, with and without fsync: what `durability: .fsyncOnFlush` costs.
        func flushedMicros(_ durability: Durability) throws -> Double {
            var perFlush = [Double]()
            for r in 0..<repeats {
                let writer = try SummaryWriter(logdir: "\(tmp)/flush\(r)", durability: durability)
                let flushes = 200
                let start = DispatchTime.now().uptimeNanoseconds
                for i in 0..<flushes {
                    try writer.scalar("loss", Float(i), step: i)
                    try writer.flush()
                }
                perFlush.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(flushes))
                try writer.close()
                try? FileManager.default.removeItem(atPath: "\(tmp)/flush\(r)")
            }
            return median(perFlush)
        }
        let plainFlush = try flushedMicros(.write)
        let syncedFlush = try flushedMicros(.fsyncOnFlush)

        let scalarRate = median(scalarRates)
        let histMs = median(histogramMillis)
        print("TBKit (median of \(repeats) runs)")
        print(
            String(
                format: "  scalars:    %12.0f events/s   %.1f bytes/event   (%d events per run)",
                scalarRate, bytesPerEvent, scalars))
        print(
            String(format: "  histogram:  %12.3f ms for %d Float values, TensorFlow buckets", histMs, histogramValues))
        print(
            String(
                format: "  crc32c:     %12.2f GB/s hardware%@   %.2f GB/s software (slicing-by-8)",
                hardware, CRC32C.usesHardware ? "" : " (not available)", software))
        print(
            String(
                format: "  flush:      %12.1f us per scalar+flush, %.1f us with fsync (durability: .fsyncOnFlush, %@)",
                plainFlush, syncedFlush, NSTemporaryDirectory()))

        guard !noPeer else { return }
        let interpreter =
            python
            ?? (FileManager.default.isExecutableFile(atPath: ".venv/bin/python")
                ? ".venv/bin/python" : "python3")
        guard let script = Self.peerScript() else {
            print("tensorboardX: Scripts/bench_tensorboardx.py not found (run from the package root)")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            interpreter, script, "--scalars", String(min(scalars, 200_000)),
            "--histogram-values", String(histogramValues), "--repeats", String(repeats),
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let peer = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let peerScalars = peer["scalars_per_s"] as? Double,
            let peerHist = peer["histogram_ms"] as? Double
        else {
            print("tensorboardX: not measured (is it installed for \(interpreter)? Scripts/test sets up .venv)")
            return
        }
        let version = peer["version"] as? String ?? "?"
        print("tensorboardX \(version) (same work, same run)")
        print(
            String(
                format: "  scalars:    %12.0f events/s   -> TBKit is %.0fx faster", peerScalars,
                scalarRate / peerScalars))
        print(String(format: "  histogram:  %12.3f ms           -> TBKit is %.1fx faster", peerHist, peerHist / histMs))
    }

    static func peerScript() -> String? {
        let candidates = ["Scripts/bench_tensorboardx.py"]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// A small seeded generator for benchmark data (SplitMix64 + Box-Muller).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
    mutating func normal() -> Float {
        let u1 = max(uniform(), 1e-300)
        let u2 = uniform()
        return Float((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
    }
}
