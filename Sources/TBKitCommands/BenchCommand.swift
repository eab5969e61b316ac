import ArgumentParser
import Foundation
import TBKit
import TBKitArchive

/// `tbkit bench`: TBKit's writing, exporting and archiving speed, beside its peers doing the same
/// work in the same run (tensorboardX, TensorBoard's Rust data server, `tar czf`).
package struct BenchCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure writing, export and archive speed beside tensorboardX, TensorBoard's data server and tar.",
        discussion: """
            Figures are meaningful from a release build only. Each figure is the median of several
            repetitions; ratios compare against tensorboardX run by Scripts/bench_tensorboardx.py
            with the Python of .venv (or python3) in the same invocation.

            Export and archive work on a log directory of --logdir-events scalar events written by
            TBKit (2 runs, 4 tags). Their peers, in the same invocation: TensorBoard's Rust data
            server (from the tensorboard-data-server package of that Python) loading the log
            directory once with --checksum, timed by its own "Finished load cycle" figure; and
            `tar czf` of the log directory, timed as a whole process.

            With S3 settings in the environment (AWS_ENDPOINT_URL or S3_ENDPOINT and keys), the
            same export also reads the log directory uploaded under an s3:// prefix (under --s3,
            else in bucket tbkit-bench), in place; both exports run as child processes and their
            peak RSS is printed.

            Example:
              tbkit bench
              tbkit bench --scalars 1000000 --repeats 3 --no-peer
            """
    )

    @Option(help: "Scalar events per repetition.")
    package var scalars = 2_000_000

    @Option(help: "Values in the histogram.")
    var histogramValues = 1_000_000

    @Option(help: "Repetitions of each measurement (the median is printed).")
    package var repeats = 5

    @Option(help: "Scalar events in the log directory that export and archive work on (0 skips them).")
    var logdirEvents = 1_000_000

    @Option(
        help: ArgumentHelp(
            "Write the export and archive log directory here and keep it (to time other tools on it).",
            valueName: "path"))
    var keepLogdir: String?

    @Option(
        help:
            "Steps per tag of the aggregate case: 20 runs (4 groups of 5 seeds) x 4 tags, aggregated beside `tbkit export` of them and tb-reducer (0 skips it)."
    )
    var aggregateSteps = 50_000

    @Flag(help: "Skip the peers (tensorboardX, the data server, tar, tb-reducer).")
    var noPeer = false

    @Option(help: "Python interpreter for the tensorboardX run (default: .venv/bin/python, else python3).")
    var python: String?

    @Option(
        help: ArgumentHelp(
            "Also measure writing into this s3://bucket/prefix beside a local logdir, and archive upload.",
            valueName: "s3-url"))
    var s3: String?

    @Option(help: "MiB uploaded by the archive upload measurement (with --s3).")
    package var uploadMib = 64

    /// An instance with every option at its default (what ArgumentParser starts from).
    package init() {}

    package func run() throws {
        if let keepLogdir, FileManager.default.fileExists(atPath: keepLogdir) {
            throw ValidationError("\(keepLogdir) already exists; give a path that does not")
        }
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
                hardware, CRC32C.usesHardware ? "" : " (not used)", software))
        print("  crc32c path in use: \(CRC32C.pathDescription)")
        print(
            String(
                format: "  flush:      %12.1f us per scalar+flush, %.1f us with fsync (durability: .fsyncOnFlush, %@)",
                plainFlush, syncedFlush, NSTemporaryDirectory()))

        if let s3 { try benchObjectStorage(url: s3) }
        let logdirFigures = logdirEvents > 0 ? try measureLogdirCases(in: tmp) : nil
        if let logdirFigures { try measureS3SourceExport(logdir: logdirFigures.logdir) }
        if let logdirFigures { try compareParquetExport(logdir: logdirFigures.logdir, tmp: tmp) }
        let interpreter =
            python
            ?? (FileManager.default.isExecutableFile(atPath: ".venv/bin/python")
                ? ".venv/bin/python" : "python3")
        if aggregateSteps > 0 { try measureAggregate(in: tmp, interpreter: noPeer ? nil : interpreter) }

        guard !noPeer else { return }
        if let logdirFigures { try comparePeers(logdirFigures, interpreter: interpreter, tmp: tmp) }
        guard let script = Self.peerScript() else {
            print(
                "tensorboardX: not measured (its script, Scripts/bench_tensorboardx.py, is in TBKit's source tree:"
                    + " run from its root, or pass --no-peer)")
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
            print("tensorboardX: not measured (is it installed for \(interpreter)? --python picks the interpreter)")
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

    /// TBKit's export and archive figures (medians, seconds), and the log directory they read.
    struct LogdirFigures {
        var logdir: String
        var bytes: UInt64
        var exportSeconds: Double
        var archiveSeconds: Double
        var extractSeconds: Double
        /// The archive the extract case read (kept for the peer's extraction).
        var archive: String
    }

    /// Writes the log directory, then times `export` (CSV to /dev/null) and `archive` in process.
    func measureLogdirCases(in tmp: String) throws -> LogdirFigures {
        let logdir = keepLogdir ?? tmp + "/logdir"
        var rng = SplitMix(seed: 7)
        let tags = ["loss", "accuracy", "learning_rate", "grad_norm"]
        var bytes: UInt64 = 0
        for (run, share) in [("train", 0.6), ("eval", 0.4)] {
            let writer = try SummaryWriter(logdir: logdir + "/" + run)
            let steps = Int(Double(logdirEvents) * share) / tags.count
            for step in 0..<steps {
                let t = Double(step)
                let wall = 1.7e9 + t * 0.37
                try writer.scalar(tags[0], Float(2.3 * exp(-t / 5e4) + 0.1 * rng.uniform()), step: step, wallTime: wall)
                try writer.scalar(tags[1], Float(1 - exp(-t / 4e4) * rng.uniform()), step: step, wallTime: wall)
                try writer.scalar(tags[2], Float(1e-3 * pow(0.5, Double(step / 20_000))), step: step, wallTime: wall)
                try writer.scalar(tags[3], Float(exp(Double(rng.normal()))), step: step, wallTime: wall)
            }
            try writer.close()
            bytes += UInt64(writer.bytesWritten)
        }
        var exportSeconds = [Double]()
        var archiveSeconds = [Double]()
        var extractSeconds = [Double]()
        var inPlaceSeconds = [Double]()
        let archive = tmp + "/bench.tar.gz"
        for _ in 0..<repeats {
            let out = try TextOutput(path: "/dev/null")
            var start = DispatchTime.now().uptimeNanoseconds
            _ = try TidyExporter().export(logdir: logdir, bytes: { out.write(bytes: $0) })
            try out.close()
            exportSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            try? FileManager.default.removeItem(atPath: archive)
            start = DispatchTime.now().uptimeNanoseconds
            try LogArchiver(logdir: logdir).write(to: archive)
            archiveSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            // The same export from the archive read in place (its opener is registered where
            // archives are linked, as in tbkit-storage, which runs the bench).
            let inPlace = try TextOutput(path: "/dev/null")
            start = DispatchTime.now().uptimeNanoseconds
            try ReadingSources.with([archive]) { sources in
                _ = TidyExporter().export(runs: sources.runs, bytes: { inPlace.write(bytes: $0) })
            }
            try inPlace.close()
            inPlaceSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            let restored = tmp + "/restored"
            try? FileManager.default.removeItem(atPath: restored)
            start = DispatchTime.now().uptimeNanoseconds
            try LogExtractor(archive: archive, destination: restored).extract()
            extractSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            try? FileManager.default.removeItem(atPath: restored)
        }
        let figures = LogdirFigures(
            logdir: logdir, bytes: bytes, exportSeconds: median(exportSeconds), archiveSeconds: median(archiveSeconds),
            extractSeconds: median(extractSeconds), archive: archive)
        print(
            String(
                format: "  export:     %12.3f s for %d scalar events (CSV, %.1f MB logdir)", figures.exportSeconds,
                logdirEvents, Double(bytes) / 1e6))
        print(
            String(format: "  archive:    %12.3f s (.tar.gz, level 6, with SHA-256 manifest)", figures.archiveSeconds))
        print(
            String(format: "  extract:    %12.3f s (every file checked against the manifest)", figures.extractSeconds))
        let inPlace = median(inPlaceSeconds)
        print(
            String(
                format: "  export of the archive read in place: %.3f s (%.2fx the logdir's export; target 1.5x: %@)",
                inPlace, inPlace / figures.exportSeconds, inPlace <= 1.5 * figures.exportSeconds ? "met" : "NOT met"))
        return figures
    }
}

func median(_ xs: [Double]) -> Double {
    let s: [Double] = xs.sorted()
    guard !s.isEmpty else { return .nan }
    let middle: Int = s.count / 2
    if s.count % 2 == 1 { return s[middle] }
    let below: Double = s[middle - 1]
    return (below + s[middle]) / 2
}
