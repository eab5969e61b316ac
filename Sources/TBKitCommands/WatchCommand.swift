import ArgumentParser
import Foundation
import TBKit

/// `tbkit watch`: a live view of the scalars of a training in progress.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow the scalars of a log directory as it grows.",
        discussion: """
            On a terminal: a full-screen table of every run and scalar tag with its last step, \
            last value and a sparkline of the recent values, redrawn every --interval seconds; \
            new runs and files are picked up as they appear. Press q (or Ctrl-C) to quit; the \
            terminal is restored. When standard output is not a terminal (a pipe, a file), one \
            line per update: run, tag, step and value separated by tabs, the last point of each \
            series first; it ends on Ctrl-C or SIGTERM. The files are read as they grow: only new \
            bytes are read on each refresh.

            Examples:
              tbkit watch logs
              tbkit watch logs --interval 5 | grep loss
            """
    )

    @Argument(help: "The log directory (or a single event file).")
    var logdir: String

    @Option(help: "Seconds between refreshes.")
    var interval: Double = 1.0

    @Flag(help: "One line per update even on a terminal.")
    var plain = false

    func validate() throws {
        if !(interval > 0 && interval <= 3600) {
            throw ValidationError("--interval must be between 0 and 3600 seconds")
        }
    }

    func run() throws {
        let watcher = LogdirWatcher(logdir: logdir)
        TerminalSession.catchStopSignals()
        if plain || !TerminalSession.isTerminal(1) {
            try runPlain(watcher)
        } else {
            try runScreen(watcher)
        }
    }

    private func poll(_ watcher: LogdirWatcher) throws -> [(run: String, tag: String)] {
        try watcher.poll()
    }

    private func runPlain(_ watcher: LogdirWatcher) throws {
        while !terminalStopRequested.load(ordering: .relaxed) {
            var lines = ""
            for (runName, tag) in try poll(watcher) {
                guard let run = watcher.runs.first(where: { $0.name == runName }), let s = run.series[tag] else {
                    continue
                }
                lines += "\(shown(runName))\t\(shown(tag))\t\(s.step)\t\(Self.format(s.value))\n"
            }
            if !lines.isEmpty { TerminalSession.emit(lines) }
            sleep(seconds: interval)
        }
    }

    private func runScreen(_ watcher: LogdirWatcher) throws {
        let terminal = TerminalSession()
        terminal.enter()
        defer { terminal.restore() }
        var lastError: String?
        while !terminalStopRequested.load(ordering: .relaxed) {
            do {
                _ = try watcher.poll()
                lastError = nil
            } catch {
                lastError = error.description
            }
            terminal.emit(screen(watcher, error: lastError))
            let keys = terminal.readKeys(timeout: interval)
            if keys.contains(UInt8(ascii: "q")) || keys.contains(UInt8(ascii: "Q")) || keys.contains(3) { break }
        }
    }

    /// One frame: cursor home, each line cleared to its end, the rest of the screen cleared.
    private func screen(_ watcher: LogdirWatcher, error: String?) -> String {
        let (rows, columns) = TerminalSession.size()
        var lines: [String] = []
        let seconds = Int(Date().timeIntervalSince1970) % 86_400
        let time = String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        lines.append(
            "tbkit watch \(shown(logdir)) — \(watcher.runs.count) run\(watcher.runs.count == 1 ? "" : "s") — \(time) UTC — q quits"
        )
        if let error { lines.append("! " + TerminalText.escaped(error, limit: TerminalText.lineLimit)) }
        if watcher.runs.isEmpty { lines.append("(no event files yet)") }
        let tagWidth = Swift.min(40, watcher.runs.flatMap { $0.series.keys }.map { shown($0).count }.max() ?? 4)
        for run in watcher.runs {
            lines.append("")
            lines.append(
                "\(shown(run.name))  (\(run.files.count) file\(run.files.count == 1 ? "" : "s")\(run.problems > 0 ? ", \(run.problems) problem\(run.problems == 1 ? "" : "s")" : ""))"
            )
            if run.series.isEmpty { lines.append("  (no scalars yet)") }
            for tag in run.series.keys.sorted() {
                guard let s = run.series[tag] else { continue }
                let visible = shown(tag)
                let name = visible.count > tagWidth ? String(visible.prefix(tagWidth - 1)) + "…" : visible
                lines.append(
                    "  " + pad(name, tagWidth) + "  " + pad("step \(s.step)", 14) + "  " + pad(Self.format(s.value), 12)
                        + "  " + LogdirWatcher.sparkline(s.recent))
            }
        }
        if lines.count > rows {
            lines = Array(lines.prefix(rows - 1)) + ["… \(lines.count - rows + 1) more lines (enlarge the terminal)"]
        }
        return "\u{1B}[H" + lines.map { String($0.prefix(columns)) + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J"
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    /// A value in at most 6 significant digits.
    static func format(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return String(format: "%.6g", v)
    }

    private func sleep(seconds: Double) {
        // In small steps, so a stop signal ends the wait promptly.
        var left = seconds
        while left > 0 && !terminalStopRequested.load(ordering: .relaxed) {
            let step = Swift.min(left, 0.05)
            usleep(UInt32(step * 1_000_000))
            left -= step
        }
    }
}
