import TBKit
import TBKitParquet
import TBKitReport

/// The Parquet tables of `tbkit export --kind hparams` and `--kind text`: small next to scalars,
/// so each is read in one pass on one thread and written with TBKit's `ParquetWriter`.
enum ParquetTables {
    /// A run's hyperparameters and the last value of each scalar tag.
    private struct RunHParams {
        var name: String
        var hparams: [String: HParamSetting] = [:]
        var lastScalars: [String: Double] = [:]
    }

    /// One row per run that logged hyperparameters: `run`, then `hparam/<name>` columns (DOUBLE,
    /// BOOLEAN or STRING by the values; STRING when they mix) and `metric/<tag>` columns (the
    /// run's last value of each metric tag the experiment names), null where a run has none.
    /// The hparams values are read from their metadata even when the value itself carries no
    /// data, as torch's and tensorboardX's `add_hparams` write them.
    static func hparams(sources: [SourcedRun], runs: Set<String>, output: any ParquetOutput) throws
        -> TidyExporter.Counts
    {
        let found = sources.map(\.named).filter { runs.isEmpty || runs.contains($0.name) }
        var rows: [RunHParams] = []
        var metricTags: [String] = []
        var counts = TidyExporter.Counts()
        counts.runs = found.count
        for run in found {
            var read = RunHParams(name: run.name)
            var plugins: [String: PluginName] = [:]
            var hasHParams = false
            let reader = EventFileReader(files: run.eventFiles)
            while let event = reader.next() {
                guard case .summary(let summary) = event.what else { continue }
                for value in summary.values {
                    if let metadata = value.metadata {
                        if plugins[value.tag] == nil { plugins[value.tag] = metadata.pluginName }
                        if metadata.pluginName == .hparams {
                            if value.tag == HParams.sessionStartTag,
                                let h = HParamsRecord.sessionHParams(metadata.content)
                            {
                                read.hparams = h
                                hasHParams = true
                            } else if value.tag == HParams.experimentTag,
                                let tags = HParamsRecord.experimentMetricTags(metadata.content)
                            {
                                for tag in tags where !metricTags.contains(tag) { metricTags.append(tag) }
                            }
                        }
                    }
                    switch value.kind {
                    case .simpleValue(let x):
                        read.lastScalars[value.tag] = Double(x)
                    case .tensor(let tensor) where plugins[value.tag] == .scalars:
                        if let numbers = tensor.numericValues(), numbers.count == 1 {
                            read.lastScalars[value.tag] = numbers[0]
                        }
                    default:
                        break
                    }
                }
            }
            counts.problems += reader.problems.map(ReadProblem.init)
            if hasHParams { rows.append(read) }
        }
        let names = Set(rows.flatMap(\.hparams.keys)).sorted()
        let run = ParquetColumn(name: "run", kind: .dictionaryString)
        var columns = [run]
        for name in names {
            let values = rows.compactMap { $0.hparams[name] }
            let kind: ParquetColumn.Kind
            if values.allSatisfy({ if case .number = $0 { return true } else { return false } }) {
                kind = .double
            } else if values.allSatisfy({ if case .bool = $0 { return true } else { return false } }) {
                kind = .boolean
            } else {
                kind = .dictionaryString
            }
            columns.append(ParquetColumn(name: "hparam/" + name, kind: kind, nullable: true))
        }
        for tag in metricTags {
            columns.append(ParquetColumn(name: "metric/" + tag, kind: .double, nullable: true))
        }
        let writer = try ParquetWriter(columns: columns) { bytes throws(ParquetError) in try output.write(bytes) }
        for row in rows {
            run.ids.append(run.intern(row.name))
            for (i, name) in names.enumerated() {
                add(row.hparams[name], to: columns[1 + i])
            }
            for (i, tag) in metricTags.enumerated() {
                add(row.lastScalars[tag].map { .number($0) }, to: columns[1 + names.count + i])
            }
            try writer.endRow()
        }
        try writer.finish()
        try output.commit()
        counts.rows = rows.count
        return counts
    }

    /// A value (or null) appended to a nullable column of the kind `hparams` chose for it.
    private static func add(_ value: HParamSetting?, to column: ParquetColumn) {
        guard let value else {
            column.present.append(false)
            return
        }
        column.present.append(true)
        switch (column.kind, value) {
        case (.double, .number(let x)): column.doubles.append(x)
        case (.boolean, .bool(let b)): column.booleans.append(b)
        case (_, .string(let s)): column.ids.append(column.intern(s))
        case (_, .number(let x)): column.ids.append(column.intern(String(x)))
        case (_, .bool(let b)): column.ids.append(column.intern(String(b)))
        }
    }

    /// Every text summary: run, tag, step, wall_time, text (one row per string of the tensor, in
    /// order; bytes that are not UTF-8 replaced with U+FFFD).
    static func text(
        sources: [SourcedRun], runs: Set<String>, tags: Set<String>, output: any ParquetOutput
    ) throws -> TidyExporter.Counts {
        let found = sources.map(\.named).filter { runs.isEmpty || runs.contains($0.name) }
        let columns = [
            ParquetColumn(name: "run", kind: .dictionaryString), ParquetColumn(name: "tag", kind: .dictionaryString),
            ParquetColumn(name: "step", kind: .int64), ParquetColumn(name: "wall_time", kind: .double),
            ParquetColumn(name: "text", kind: .dictionaryString),
        ]
        let writer = try ParquetWriter(columns: columns) { bytes throws(ParquetError) in try output.write(bytes) }
        var counts = TidyExporter.Counts()
        counts.runs = found.count
        for run in found {
            let runID = columns[0].intern(run.name)
            let reader = EventFileReader(files: run.eventFiles)
            while let value = reader.nextValue() {
                guard case .other(let o) = value, o.pluginName == .text, tags.isEmpty || tags.contains(o.tag),
                    case .tensor(let tensor) = o.kind
                else { continue }
                let tagID = columns[1].intern(o.tag)
                for s in tensor.stringValues {
                    columns[0].ids.append(runID)
                    columns[1].ids.append(tagID)
                    columns[2].integers.append(o.step)
                    columns[3].doubles.append(o.wallTime)
                    columns[4].ids.append(columns[4].intern(String(decoding: s, as: UTF8.self)))
                    try writer.endRow()
                    counts.rows += 1
                }
            }
            counts.problems += reader.problems.map(ReadProblem.init)
        }
        try writer.finish()
        try output.commit()
        return counts
    }
}
