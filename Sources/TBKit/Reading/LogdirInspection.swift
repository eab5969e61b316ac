/// What a log directory holds, run by run and tag by tag: the data behind `tbkit inspect`.
public struct LogdirInspection: Sendable, Encodable {
    /// One event file of a run.
    public struct File: Sendable, Encodable {
        /// Its path.
        public var path: String
        /// Events read from it.
        public var events: Int
    }

    /// One tag of a run.
    public struct Tag: Sendable, Encodable {
        /// The tag.
        public var tag: String
        /// The owning plugin's name ("scalars", "histograms", "images", "text", "audio", "graphs",
        /// another plugin's name), or "unknown" for a tensor without plugin metadata.
        public var kind: String
        /// The owning plugin (`.unnamed` for a tensor without plugin metadata).
        public var plugin: PluginName
        /// Number of values TensorBoard shows (superseded ones not counted).
        public var count: Int
        /// Values a later record superseded (a step logged again, a resume's purge): read but not
        /// shown, nor counted in `count`, the steps or `lastValue` (see `SupersededPoints`).
        public var superseded: Int = 0
        /// Smallest and largest step.
        public var firstStep: Int64
        /// Largest step.
        public var lastStep: Int64
        /// Wall time of the first value seen.
        public var firstWallTime: Double
        /// Wall time of the last value seen.
        public var lastWallTime: Double
        /// For scalars: the value of the last point that stands.
        public var lastValue: Double?

        // JSON keeps `kind` only: `plugin` is the same fact, typed.
        private enum CodingKeys: String, CodingKey {
            case tag, kind, count, superseded, firstStep, lastStep, firstWallTime, lastWallTime, lastValue
        }
    }

    /// One run.
    public struct Run: Sendable, Encodable {
        /// Run name ("." for the root; `<source>/<run>` when sources given together share it).
        public var name: String
        /// The label of the source the run came from.
        public var source: String = ""
        /// Its event files, in reading order.
        public var files: [File]
        /// Events read (all kinds, file_version included).
        public var events: Int
        /// Wall time of the first and last event (nil when there are none).
        public var firstWallTime: Double?
        /// Wall time of the last event.
        public var lastWallTime: Double?
        /// Tags sorted by kind, then name.
        public var tags: [Tag]
        /// Problems met while reading, in reading order (an unfinished last record last).
        public var problems: [ReadProblem]

        private enum CodingKeys: String, CodingKey {
            case name, source, files, events, firstWallTime, lastWallTime, tags, problems
        }

        /// Encodes the run; each problem as its sentence, the form the JSON has always had.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(source, forKey: .source)
            try c.encode(files, forKey: .files)
            try c.encode(events, forKey: .events)
            try c.encodeIfPresent(firstWallTime, forKey: .firstWallTime)
            try c.encodeIfPresent(lastWallTime, forKey: .lastWallTime)
            try c.encode(tags, forKey: .tags)
            try c.encode(problems.map(\.description), forKey: .problems)
        }
    }

    /// The path inspected (the sources' labels, space-separated, when there are several).
    public var logdir: String
    /// The labels of the sources read, in the order given (repeats read once).
    public var sources: [String] = []
    /// Runs sorted by name.
    public var runs: [Run]

    /// The order plugins are listed in; others follow, by name.
    package static let pluginOrder: [PluginName] = [.scalars, .histograms, .images, .text, .audio, .graphs]

    /// `pluginOrder` as kind names.
    package static let kindOrder = pluginOrder.map(\.rawValue)

    /// The kind name of a plugin: its name, or "unknown" for `.unnamed`.
    static func kind(of plugin: PluginName) -> String {
        plugin.isUnnamed ? "unknown" : plugin.rawValue
    }

    /// Reads every run under `logdir` (or the single event file it names).
    public static func inspect(logdir: String) throws(LogDirectoryError) -> LogdirInspection {
        let runs = try RunDirectory.discover(logdir: logdir)
        var result = LogdirInspection(logdir: logdir, runs: runs.map(inspect(run:)))
        result.sources = [logdir]
        for i in result.runs.indices { result.runs[i].source = logdir }
        return result
    }

    /// Reads every run of one or more sources (see `LogSources`).
    public static func inspect(sources paths: [String]) throws(LogSourceError) -> LogdirInspection {
        let sources = try LogSources.open(paths)
        return inspect(runs: try LogSources.runs(of: sources), sources: sources.map { LogSources.trimmed($0.label) })
    }

    /// Reads the given runs, named as they are named among their sources.
    public static func inspect(runs: [SourcedRun], sources: [String]) -> LogdirInspection {
        var result = LogdirInspection(
            logdir: sources.joined(separator: " "),
            runs: runs.map { sourced in
                var run = inspect(run: sourced.named)
                run.source = sourced.source
                return run
            })
        result.sources = sources
        return result
    }

    /// Reads one run.
    public static func inspect(run: RunDirectory) -> Run {
        var plan = SupersededPoints.scan(EventFileReader(files: run.eventFiles))
        let reader = EventFileReader(files: run.eventFiles)
        var classifier = ValueClassifier()
        var perFile: [String: Int] = [:]
        var tags: [String: Tag] = [:]
        var tagOrder: [String] = []
        var events = 0
        var firstWall: Double?
        var lastWall: Double?
        var position: Int64 = 0
        // Out of line: called from four places, once per value read.
        @inline(never)
        func note(_ tag: String, _ plugin: PluginName, _ step: Int64, _ wall: Double, _ value: Double?) {
            guard plan.keeps(tag: tag, step: step, position: position) else {
                if tags[tag] == nil {
                    tags[tag] = Tag(
                        tag: tag, kind: kind(of: plugin), plugin: plugin, count: 0, firstStep: step, lastStep: step,
                        firstWallTime: wall, lastWallTime: wall, lastValue: nil)
                    tagOrder.append(tag)
                }
                tags[tag]?.superseded += 1
                return
            }
            if var t = tags[tag], t.count > 0 {
                t.count += 1
                t.firstStep = Swift.min(t.firstStep, step)
                t.lastStep = Swift.max(t.lastStep, step)
                t.lastWallTime = wall
                if let value { t.lastValue = value }
                tags[tag] = t
            } else {
                let superseded = tags[tag]?.superseded ?? 0
                if tags[tag] == nil { tagOrder.append(tag) }
                tags[tag] = Tag(
                    tag: tag, kind: kind(of: plugin), plugin: plugin, count: 1, superseded: superseded,
                    firstStep: step, lastStep: step, firstWallTime: wall, lastWallTime: wall, lastValue: value)
            }
        }
        while let event = reader.next() {
            guard plan.covers(record: reader.recordOrdinal) else { break }
            events += 1
            if let f = reader.currentFile { perFile[f, default: 0] += 1 }
            if firstWall == nil { firstWall = event.wallTime }
            lastWall = event.wallTime
            switch event.what {
            case .summary(let summary):
                for (index, value) in summary.values.enumerated() {
                    if case .none = value.kind { continue }
                    position = SupersededPoints.position(record: reader.recordOrdinal, index: index)
                    switch classifier.classify(value, step: event.step, wallTime: event.wallTime) {
                    case .scalar(let s): note(s.tag, .scalars, s.step, s.wallTime, s.value)
                    case .histogram(let h): note(h.tag, .histograms, h.step, h.wallTime, nil)
                    case .other(let o): note(o.tag, o.pluginName, o.step, o.wallTime, nil)
                    }
                }
            case .graphDef:
                position = SupersededPoints.position(record: reader.recordOrdinal, index: 0)
                note("__run_graph__", .graphs, event.step, event.wallTime, nil)
            default:
                break
            }
        }
        let problems = reader.readProblems
        func rank(_ plugin: PluginName) -> Int { pluginOrder.firstIndex(of: plugin) ?? pluginOrder.count }
        let sorted = tagOrder.compactMap { tags[$0] }.sortedShared {
            (rank($0.plugin), $0.kind, $0.tag) < (rank($1.plugin), $1.kind, $1.tag)
        }
        return Run(
            name: run.name, files: run.eventFiles.map { File(path: $0, events: perFile[$0] ?? 0) },
            events: events, firstWallTime: firstWall, lastWallTime: lastWall, tags: sorted, problems: problems)
    }
}
