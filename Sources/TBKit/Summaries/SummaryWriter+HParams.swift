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
