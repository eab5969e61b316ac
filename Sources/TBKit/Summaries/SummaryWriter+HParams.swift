import Foundation

extension SummaryWriter {
    /// Marks this writer's run as one hparams session (a row of the hparams table) with its
    /// hyperparameter values. Leave `groupName` empty (one row per run) or make it unique:
    /// sessions sharing a non-empty group collapse into one row. Call it once per run: the values
    /// travel in the tag's metadata, which a writer puts on a tag's first value only.
    public func hparamsSessionStart(
        _ hparams: [String: HParamValue], groupName: String = "",
        startTime: Double? = nil
    ) throws {
        let time = startTime ?? Date().timeIntervalSince1970
        let content = HParams.sessionStartContent(hparams: hparams, groupName: groupName, startTime: time)
        try summary(
            tag: HParams.sessionStartTag, kind: .tensor(HParams.nullTensor),
            metadata: SummaryMetadata(pluginName: .hparams, content: content),
            step: 0, wallTime: time)
    }

    /// Records how this run's hparams session ended (shown in the table's Status column).
    public func hparamsSessionEnd(status: HParams.Status = .success, endTime: Double? = nil) throws {
        let time = endTime ?? Date().timeIntervalSince1970
        let content = HParams.sessionEndContent(status: status, endTime: time)
        try summary(
            tag: HParams.sessionEndTag, kind: .tensor(HParams.nullTensor),
            metadata: SummaryMetadata(pluginName: .hparams, content: content),
            step: 0, wallTime: time)
    }
}

extension SummaryWriter {
    /// One call for an hparams run, as torch's `add_hparams`: marks this run as an hparams
    /// session with `values`, logs each of `metrics` as a scalar of that name at `step`, and ends
    /// the session as `.success`. TensorBoard's hparams dashboard then shows the run as a row with
    /// its hyperparameters and metric values (without an experiment written by
    /// `HParams.writeExperiment`, it gathers both from the runs themselves). Unlike torch, no extra
    /// run directory is made: call it once per run, typically when training ends.
    ///
    /// Throws `.invalidArgument` naming `values` or `metrics` when either is empty, or a metric
    /// name is not a valid tag, before anything is written.
    public func hparams(
        _ values: [String: HParamValue], metrics: [String: Double], step: Int = 0,
        groupName: String = "", startTime: Double? = nil
    ) throws {
        if isDisabled { return }
        guard !values.isEmpty else {
            throw SummaryWriterError.invalidArgument(
                argument: "values", tag: nil, reason: "is empty; give at least one hyperparameter (name: value)")
        }
        guard !metrics.isEmpty else {
            throw SummaryWriterError.invalidArgument(
                argument: "metrics", tag: nil,
                reason:
                    "is empty; give at least one metric (name: value), or call hparams(_:) for hyperparameters alone"
            )
        }
        if let blank = values.keys.first(where: \.isEmpty) {
            throw SummaryWriterError.invalidArgument(
                argument: "values", tag: blank, reason: "has an empty hyperparameter name")
        }
        let names = metrics.keys.sortedShared()
        for name in names { try validate(name) }
        try hparamsSessionStart(values, groupName: groupName, startTime: startTime)
        for name in names {
            if let value = metrics[name] { try scalar(name, value, step: step) }
        }
        try hparamsSessionEnd(status: .success)
    }
}
