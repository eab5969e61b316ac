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
        /// Number of values.
        public var count: Int
        /// Smallest and largest step.
        public var firstStep: Int64
        /// Largest step.
        public var lastStep: Int64
        /// Wall time of the first value seen.
        public var firstWallTime: Double
        /// Wall time of the last value seen.
        public var lastWallTime: Double
        /// For scalars: the value of the last point read.
        public var lastValue: Double?

        // JSON keeps `kind` only: `plugin` is the same fact, typed.
        private enum CodingKeys: String, CodingKey {
            case tag, kind, count, firstStep, lastStep, firstWallTime, lastWallTime, lastValue
        }
    }

    /// One run.
    public struct Run: Sendable, Encodable {
        /// Run name ("." for the root).
        public var name: String
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
            case name, files, events, firstWallTime, lastWallTime, tags, problems
        }

        /// Encodes the run; each problem as its sentence, the form the JSON has always had.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(files, forKey: .files)
            try c.encode(events, forKey: .events)
            try c.encodeIfPresent(firstWallTime, forKey: .firstWallTime)
            try c.encodeIfPresent(lastWallTime, forKey: .lastWallTime)
            try c.encode(tags, forKey: .tags)
            try c.encode(problems.map(\.description), forKey: .problems)
        }
    }

    /// The path inspected.
    public var logdir: String
    /// Runs sorted by name.
    public var runs: [Run]

    /// The order plugins are listed in; others follow, by name.
    public static let pluginOrder: [PluginName] = [.scalars, .histograms, .images, .text, .audio, .graphs]

    /// `pluginOrder` as kind names.
    public static let kindOrder = pluginOrder.map(\.rawValue)

    /// The kind name of a plugin: its name, or "unknown" for `.unnamed`.
    static func kind(of plugin: PluginName) -> String {
        plugin.isUnnamed ? "unknown" : plugin.rawValue
    }

    /// Reads every run under `logdir` (or the single event file it names).
    public static func inspect(logdir: String) throws(LogDirectoryError) -> LogdirInspection {
        let runs = try RunDirectory.discover(logdir: logdir)
        return LogdirInspection(logdir: logdir, runs: runs.map(inspect(run:)))
    }

    /// Reads one run.
    public static func inspect(run: RunDirectory) -> Run {
        let reader = EventFileReader(files: run.eventFiles)
        var classifier = ValueClassifier()
        var perFile: [String: Int] = [:]
        var tags: [String: Tag] = [:]
        var tagOrder: [String] = []
        var events = 0
        var firstWall: Double?
        var lastWall: Double?
        func note(_ tag: String, _ plugin: PluginName, _ step: Int64, _ wall: Double, _ value: Double?) {
            if var t = tags[tag] {
                t.count += 1
                t.firstStep = Swift.min(t.firstStep, step)
                t.lastStep = Swift.max(t.lastStep, step)
                t.lastWallTime = wall
                if let value { t.lastValue = value }
                tags[tag] = t
            } else {
                tags[tag] = Tag(
                    tag: tag, kind: kind(of: plugin), plugin: plugin, count: 1, firstStep: step, lastStep: step,
                    firstWallTime: wall, lastWallTime: wall, lastValue: value)
                tagOrder.append(tag)
            }
        }
        while let event = reader.next() {
            events += 1
            if let f = reader.currentFile { perFile[f, default: 0] += 1 }
            if firstWall == nil { firstWall = event.wallTime }
            lastWall = event.wallTime
            switch event.what {
            case .summary(let summary):
                for value in summary.values {
                    if case .none = value.kind { continue }
                    switch classifier.classify(value, step: event.step, wallTime: event.wallTime) {
                    case .scalar(let s): note(s.tag, .scalars, s.step, s.wallTime, s.value)
                    case .histogram(let h): note(h.tag, .histograms, h.step, h.wallTime, nil)
                    case .other(let o): note(o.tag, o.pluginName, o.step, o.wallTime, nil)
                    }
                }
            case .graphDef:
                note("__run_graph__", .graphs, event.step, event.wallTime, nil)
            default:
                break
            }
        }
        let problems = reader.readProblems
        func rank(_ plugin: PluginName) -> Int { pluginOrder.firstIndex(of: plugin) ?? pluginOrder.count }
        let sorted = tagOrder.compactMap { tags[$0] }.sorted {
            (rank($0.plugin), $0.kind, $0.tag) < (rank($1.plugin), $1.kind, $1.tag)
        }
        return Run(
            name: run.name, files: run.eventFiles.map { File(path: $0, events: perFile[$0] ?? 0) },
            events: events, firstWallTime: firstWall, lastWallTime: lastWall, tags: sorted, problems: problems)
    }
}
