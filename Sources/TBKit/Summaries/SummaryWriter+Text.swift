extension SummaryWriter {
    /// Logs Markdown text (tables, lists, code blocks and links render) as a rank-0 DT_STRING
    /// tensor with plugin "text".
    public func text(_ tag: String, _ markdown: String, step: Int, wallTime: Double? = nil) throws {
        try summary(
            tag: tag, kind: .tensor(.strings([markdown], shape: [])),
            metadata: SummaryMetadata(pluginName: .text), step: step, wallTime: wallTime)
    }
}
