import Synchronization

extension SummaryWriter {
    /// Logs several scalars as lines of one chart: each `values[key]` as the scalar
    /// `<main>/<key>` in this run, plus a custom-scalars layout entry, a chart titled `main`
    /// with one line per key, written again whenever a call brings a new key. Unlike
    /// tensorboardX's `add_scalars`, no extra run directory is made: the lines also show as
    /// ordinary scalars of this run.
    public func scalars(_ main: String, _ values: [String: Float], step: Int, wallTime: Double? = nil) throws {
        if isDisabled { return }
        let layout = multilineCharts.withLock { charts -> CustomScalarLayout? in
            let known = charts[main, default: []]
            let all = known.union(values.keys)
            guard all != known else { return nil }
            charts[main] = all
            return Self.layout(of: charts)
        }
        if let layout { try customScalarsLayout(layout, step: 0, wallTime: wallTime) }
        for key in values.keys.sorted() {
            if let value = values[key] { try scalar("\(main)/\(key)", value, step: step, wallTime: wallTime) }
        }
    }

    /// One category and one multiline chart per main tag, each line matching one tag exactly.
    static func layout(of charts: [String: Set<String>]) -> CustomScalarLayout {
        CustomScalarLayout(
            charts.keys.sorted().map { main in
                let tags = (charts[main] ?? []).sorted().map { "^" + regexEscaped("\(main)/\($0)") + "$" }
                return CustomScalarLayout.Category(
                    title: main, charts: [CustomScalarLayout.Chart(title: main, multiline: tags)])
            })
    }

    /// `text` with the characters Python's `re` treats specially escaped.
    static func regexEscaped(_ text: String) -> String {
        var out = ""
        for c in text {
            if "\\^$.|?*+()[]{}".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Marks this run as one hparams session with its hyperparameter values (the same as
    /// `hparamsSessionStart(_:groupName:startTime:)`).
    public func hparams(_ values: [String: HParamValue], groupName: String = "", startTime: Double? = nil) throws {
        try hparamsSessionStart(values, groupName: groupName, startTime: startTime)
    }

    /// Writes an embedding for the projector into this writer's run directory (see
    /// `Projector.writeEmbedding`); a disabled writer writes nothing and returns nil. For a
    /// remote logdir (`s3://...`) the files are written into the local spool beside the event
    /// files and go up with the run when the writer is closed.
    @discardableResult
    public func embedding(
        _ name: String, vectors: [Float], rows: Int, dims: Int, labels: [String]? = nil
    ) throws -> Projector.Embedding? {
        if isDisabled { return nil }
        return try Projector.writeEmbedding(
            runDirectory: localDirectory, name: name, vectors: vectors, rows: rows, dims: dims, labels: labels)
    }
}
