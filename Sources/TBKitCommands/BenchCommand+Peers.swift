import Foundation

extension BenchCommand {
    /// The data server loading the log directory with --checksum, and `tar czf` of it, each
    /// `repeats` times; prints medians and ratios.
    func comparePeers(_ figures: LogdirFigures, interpreter: String, tmp: String) throws {
        var loads = [Double]()
        if let server = Self.dataServer(interpreter: interpreter) {
            for _ in 0..<repeats {
                guard let seconds = try Self.dataServerLoad(server: server, logdir: figures.logdir) else { break }
                loads.append(seconds)
            }
        }
        let packed = tmp + "/peer.tar.gz"
        let into = tmp + "/peer-restored"
        let tars = try timedRuns(["tar", "czf", packed, "-C", figures.logdir, "."]) {
            try? FileManager.default.removeItem(atPath: packed)
        }
        let untars = try timedRuns(["tar", "xzf", figures.archive, "-C", into]) {
            try? FileManager.default.removeItem(atPath: into)
            try FileManager.default.createDirectory(atPath: into, withIntermediateDirectories: true)
        }
        print("TensorBoard data server and tar (same log directory, same run)")
        /// One peer's median beside ours, or why it was not measured.
        func line(_ label: String, _ peer: [Double], _ ours: Double, _ command: String, missing: String) {
            guard !peer.isEmpty else { return print("  \(missing)") }
            let figures = String(
                format: "%7.3f s   -> tbkit %@ is %.2fx faster", median(peer), command, median(peer) / ours)
            print("  " + label.padding(toLength: 29, withPad: " ", startingAt: 0) + figures)
        }
        line(
            "data server --checksum load:", loads, figures.exportSeconds, "export",
            missing: "data server: not measured (tensorboard-data-server not found for \(interpreter))")
        line("tar czf:", tars, figures.archiveSeconds, "archive", missing: "tar czf: not measured (tar failed)")
        line(
            "tar xzf (same archive):", untars, figures.extractSeconds, "extract",
            missing: "tar xzf: not measured (tar failed)")
    }

    /// Seconds of each of `repeats` runs of the command `arguments` (found on PATH), with
    /// `prepare` before each and once after the last (to tidy up); stops at the first run that
    /// fails.
    func timedRuns(_ arguments: [String], prepare: () throws -> Void) throws -> [Double] {
        var seconds = [Double]()
        for _ in 0..<repeats {
            try prepare()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            let start = DispatchTime.now().uptimeNanoseconds
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { break }
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        try prepare()
        return seconds
    }

    /// The Rust data server binary that `interpreter`'s tensorboard-data-server package ships.
    static func dataServer(interpreter: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [interpreter, "-c", "import tensorboard_data_server as s; print(s.server_binary())"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// One load of `logdir` by the data server (bound to loopback, loading once, checking every
    /// record's CRC), in seconds as the server reports it; nil when it gave no figure.
    static func dataServerLoad(server: String, logdir: String) throws -> Double? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: server)
        process.arguments = [
            "--logdir", logdir, "--checksum", "--reload", "once", "--host", "127.0.0.1", "--port", "0",
            "--port-file", "/dev/null", "-v",
        ]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        var text = ""
        let marker = "Finished load cycle ("
        while true {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { return nil }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: marker), let close = text[range.upperBound...].firstIndex(of: ")") {
                var figure = String(text[range.upperBound..<close])
                var scale = 1.0
                if figure.hasSuffix("ms") {
                    figure.removeLast(2)
                    scale = 1e-3
                } else if figure.hasSuffix("s") {
                    figure.removeLast()
                }
                return Double(figure).map { $0 * scale }
            }
        }
    }

    static func peerScript() -> String? {
        let candidates = ["Scripts/bench_tensorboardx.py"]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
