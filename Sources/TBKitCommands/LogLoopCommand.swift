import ArgumentParser
import Foundation
import TBKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tbkit log-loop`: logs scalars (and histograms) into one run in a loop, for the conformance
/// tests of long runs: kills, resumes, rotation, several processes, termination signals.
///
/// Values are recomputable: the scalar of step s is `s * 0.5 + offset`; the histogram of step s
/// holds `n` values `Float(i % 97) * 0.25 + Float(s % 11) + offset` for i in 0..<n.
struct LogLoopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-loop",
        abstract: "Log scalars and histograms in a loop (for the conformance tests of long runs).",
        discussion: """
            Prints "logged <step>" after each step is handed to the writer and "flushed <step>"
            after each flush it asks for, so a test that kills it knows what must be on disk.
            """,
        shouldDisplay: false
    )

    @Argument(help: "The run directory.")
    var logdir: String

    @Option(help: "First step.")
    var firstStep = 0

    @Option(help: "Number of steps.")
    var steps = 1000

    @Option(help: "Scalar tag.")
    var tag = "loss"

    @Option(help: "Added to every value (tells two series apart).")
    var offset: Float = 0

    @Option(help: "Log a histogram every this many steps (0: none).")
    var histogramEvery = 0

    @Option(help: "Values per histogram.")
    var histogramValues = 500

    @Option(help: "Flush every this many steps (0: only the writer's own flushes).")
    var flushEvery = 0

    @Option(help: "The writer's background flush interval in seconds (0: none).")
    var flushInterval = 2.0

    @Option(help: "Seal files at this size.")
    var rotateBytes: Int?

    @Option(help: "Resume: supersede points logged earlier at this step or later.")
    var purgeStep: Int?

    @Option(help: "Sleep this many milliseconds after each step.")
    var sleepMs = 0

    @Option(help: "Wait until this Unix time before creating the writer (starts several in one second).")
    var startAt: Double?

    @Flag(help: "Flush open writers on SIGTERM and SIGINT.")
    var flushOnTermination = false

    @Option(help: "Before that: what SIGTERM does (default, ignore, handler: prints \"previous handler\").")
    var previousSigterm = "default"

    @Flag(help: "Stop with SIGKILL after the loop instead of closing the writer.")
    var killSelf = false

    @Flag(help: "fsync on every flush.")
    var fsync = false

    func run() throws {
        switch previousSigterm {
        case "ignore": signal(SIGTERM, SIG_IGN)
        case "handler": signal(SIGTERM, previousHandler)
        default: break
        }
        if flushOnTermination { try SummaryWriter.flushOnTermination() }
        if let startAt {
            let wait = startAt - Date().timeIntervalSince1970
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        }
        let writer = try SummaryWriter(
            logdir: logdir, flushInterval: flushInterval, rotation: rotateBytes.map { .init(maxBytes: $0) },
            purgeStep: purgeStep, durability: fsync ? .fsyncOnFlush : .write)
        say("file \(writer.path)")
        for step in firstStep..<(firstStep + steps) {
            try writer.scalar(tag, Float(step) * 0.5 + offset, step: step)
            if histogramEvery > 0 && step % histogramEvery == 0 {
                let values = (0..<histogramValues).map { Float($0 % 97) * 0.25 + Float(step % 11) + offset }
                try writer.histogram(tag + "_hist", values, step: step)
            }
            say("logged \(step)")
            if flushEvery > 0 && (step - firstStep + 1) % flushEvery == 0 {
                try writer.flush()
                say("flushed \(step)")
            }
            if sleepMs > 0 { usleep(UInt32(sleepMs) * 1000) }
        }
        if killSelf {
            kill(getpid(), SIGKILL)
        }
        try writer.close()
        say("closed")
    }
}

/// A SIGTERM handler installed before TBKit's, to show it still runs: async-signal-safe output only.
private func previousHandler(_ signal: Int32) {
    let text: StaticString = "previous handler\n"
    _ = write(2, text.utf8Start, text.utf8CodeUnitCount)
}

/// Writes a line to standard output at once (no buffering: the process may be killed next).
private func say(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { bytes in
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = write(1, base + done, bytes.count - done)
            if n <= 0 { return }
            done += n
        }
    }
}
