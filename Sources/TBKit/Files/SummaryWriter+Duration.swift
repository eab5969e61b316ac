extension SummaryWriter {
    /// The same writer with the flush interval given as a `Duration`
    /// (`SummaryWriter(logdir: "logs/run1", flushEvery: .seconds(5))`); see the main initializer.
    public convenience init(
        logdir: String, flushEvery interval: Duration, filenameSuffix: String = "",
        scalarFormat: ScalarFormat = .simpleValue, rotation: FileRotation? = nil, purgeStep: Int? = nil,
        durability: Durability = .write, ranks: RankPolicy? = nil, rank: ProcessRank? = nil,
        onFileSealed: (@Sendable (String) -> Void)? = nil
    ) throws {
        try self.init(
            logdir: logdir, flushInterval: interval.inSeconds, filenameSuffix: filenameSuffix,
            scalarFormat: scalarFormat, rotation: rotation, purgeStep: purgeStep, durability: durability,
            ranks: ranks, rank: rank, onFileSealed: onFileSealed)
    }
}
