import ArgumentParser
import Foundation
import TBKit

/// `tbkit watch`: a live view of the scalars and histograms of a training in progress.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow the scalars and histograms of a log directory as it grows.",
        discussion: """
            On a terminal: a full-screen table of every run and tag, redrawn every --interval \
            seconds: a scalar shows its last step, last value and a sparkline of the recent values; \
            a histogram shows its last step and one line of statistics (count, mean, standard \
            deviation, min, max). New runs and files are picked up as they appear. When the table \
            is taller than the terminal, scroll it with the arrow keys (or j/k), Page Up/Page Down \
            (or space) and Home/End (or g/G). Press q (or Ctrl-C) to quit; the terminal is \
            restored. When standard output is not a terminal (a pipe, a file), one line per \
            update: run, tag, step and value separated by tabs (a histogram's value is its \
            statistics line), the last point of each series first; it ends on Ctrl-C or SIGTERM. \
            The files are read as they grow: only new bytes are read on each refresh.

            Several log directories are followed at once; a run name two of them share is shown \
            as <logdir>/<run>, as the other reading commands name it. Archives and s3:// prefixes \
            do not grow: read them with inspect, export or report.

            --run and --tag keep only the named runs and tags (exact names, repeatable, as for \
            export). A filter that matches nothing in the log directory is an error that lists \
            the names there are.

            Examples:
              tbkit watch logs
              tbkit watch logs --run he-relu --run xavier-relu --tag test/accuracy
              tbkit watch logs --interval 5 | grep loss
              tbkit watch logs other-logs
            """
    )

    @Argument(help: "The log directories (or single event files) to follow.")
    var logdirs: [String] = []

    @Option(help: "Seconds between refreshes.")
    var interval: Double = 1.0

    @Option(name: .customLong("run"), help: "Only this run (repeatable; \".\" is the log directory itself).")
    var runs: [String] = []

    @Option(name: .customLong("tag"), help: "Only this tag (repeatable).")
    var tags: [String] = []

    @Flag(help: "One line per update even on a terminal.")
    var plain = false

    func validate() throws {
        if logdirs.isEmpty { throw ValidationError("give at least one log directory to follow") }
        for path in logdirs {
            if ObjectStorage.isRemote(path) || LogSources.isTBKitArchive(path) {
                throw ValidationError(
                    "\(path): watch follows local log directories and event files as they grow; an archive or an s3:// prefix does not grow: read it with inspect, export or report"
                )
            }
        }
        if !(interval > 0 && interval <= 3600) {
            throw ValidationError("--interval must be between 0 and 3600 seconds")
        }
        if runs.contains(where: \.isEmpty) { throw ValidationError("--run needs a run name") }
        if tags.contains(where: \.isEmpty) { throw ValidationError("--tag needs a tag name") }
    }

    func run() throws {
        let watcher = LogdirWatcher(logdirs: logdirs, runs: Set(runs), tags: Set(tags))
        TerminalSession.catchStopSignals()
        if plain || !TerminalSession.isTerminal(1) {
            try runPlain(watcher)
        } else {
            try runScreen(watcher)
        }
    }

    /// Polls, and throws when the filters match nothing the log directory has.
    private func poll(_ watcher: LogdirWatcher) throws -> [(run: String, tag: String)] {
        let updated = try watcher.poll()
        if let problem = watcher.filterProblem() { throw CommandFailure(Self.display(problem)) }
        return updated
    }

    private func runPlain(_ watcher: LogdirWatcher) throws {
        while !terminalStopRequested.load(ordering: .relaxed) {
            var lines = ""
            for (runName, tag) in try poll(watcher) {
                guard let run = watcher.runs.first(where: { $0.name == runName }) else { continue }
                if let s = run.series[tag] {
                    lines += "\(Self.display(runName))\t\(Self.display(tag))\t\(s.step)\t\(Self.format(s.value))\n"
                } else if let h = run.histograms[tag] {
                    lines +=
                        "\(Self.display(runName))\t\(Self.display(tag))\t\(h.last.step)\t\(LogdirWatcher.summary(h.last))\n"
                }
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
        var top = 0
        var nextPoll = Date.distantPast
        while !terminalStopRequested.load(ordering: .relaxed) {
            if Date() >= nextPoll {
                do {
                    _ = try poll(watcher)
                    lastError = nil
                } catch let failure as CommandFailure {
                    throw failure
                } catch {
                    lastError = "\(error)"
                }
                nextPoll = Date().addingTimeInterval(interval)
            }
            let (rows, columns) = TerminalSession.size()
            let frame = screen(watcher, error: lastError, rows: rows, columns: columns, top: &top)
            terminal.emit(frame.text)
            let keys = WatchKey.parse(terminal.readKeys(timeout: Swift.max(0, nextPoll.timeIntervalSinceNow)))
            if keys.contains(.quit) { break }
            for key in keys { top = key.scrolled(top, count: frame.bodyLines, page: frame.page) }
        }
    }

    /// One frame: cursor home, each line cleared to its end, the rest of the screen cleared. The
    /// header stays; the body starts at line `top` (clamped here) and, when it does not fit,
    /// a last line says which lines show and how to scroll.
    private func screen(
        _ watcher: LogdirWatcher, error: String?, rows: Int, columns: Int, top: inout Int
    ) -> (text: String, bodyLines: Int, page: Int) {
        var header: [String] = []
        let seconds = Int(Date().timeIntervalSince1970) % 86_400
        let time = String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        header.append(
            "tbkit watch \(Self.display(watcher.logdir)) — \(watcher.runs.count) run\(watcher.runs.count == 1 ? "" : "s") — \(time) UTC — q quits"
        )
        if let error { header.append("! \(Self.display(error))") }
        var body: [String] = []
        if watcher.runs.isEmpty {
            body.append(watcher.runFilter.isEmpty ? "(no event files yet)" : "(no such run yet)")
        }
        let tagWidth = Swift.min(40, watcher.runs.flatMap(\.tags).map(\.count).max() ?? 4)
        for run in watcher.runs {
            body.append("")
            let problems = run.problems > 0 ? ", \(run.problems) problem\(run.problems == 1 ? "" : "s")" : ""
            body.append("\(Self.display(run.name))  (\(run.files) file\(run.files == 1 ? "" : "s")\(problems))")
            let tags = run.tags
            if tags.isEmpty { body.append(watcher.tagFilter.isEmpty ? "  (no scalars yet)" : "  (no such tag yet)") }
            for tag in tags {
                let shown = Self.display(tag)
                let name = shown.count > tagWidth ? String(shown.prefix(tagWidth - 1)) + "…" : shown
                if let s = run.series[tag] {
                    body.append(
                        "  " + pad(name, tagWidth) + "  " + pad("step \(s.step)", 14) + "  "
                            + pad(Self.format(s.value), 12)
                            + "  " + LogdirWatcher.sparkline(s.recent))
                } else if let h = run.histograms[tag] {
                    body.append(
                        "  " + pad(name, tagWidth) + "  " + pad("step \(h.last.step)", 14) + "  histogram "
                            + LogdirWatcher.summary(h.last))
                }
            }
        }
        let room = Swift.max(1, rows - header.count)
        var lines = header
        var page = room
        if body.count <= room {
            top = 0
            lines += body
        } else {
            page = Swift.max(1, room - 1)
            top = Swift.min(Swift.max(0, top), body.count - page)
            lines += body[top..<(top + page)]
            lines.append(
                "— lines \(top + 1)–\(top + page) of \(body.count) — ↑/↓ Page Up/Down Home/End scroll —")
        }
        let text =
            "\u{1B}[H" + lines.map { String($0.prefix(columns)) + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J"
        return (text, body.count, page)
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    /// Text from the files or the user (run and tag names, paths, errors) as it is shown: every
    /// such piece goes through here on its way to the terminal or the pipe.
    static func display(_ text: String) -> String {
        TerminalText.escaped(text, limit: TerminalText.lineLimit)
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
