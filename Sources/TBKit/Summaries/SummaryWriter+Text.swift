extension SummaryWriter {
    /// The plugin name of the text dashboard.
    public static let textPluginName = "text"

    /// Logs Markdown text (tables, lists, code blocks and links render) as a rank-0 DT_STRING
    /// tensor with plugin "text".
    public func text(_ tag: String, _ markdown: String, step: Int, wallTime: Double? = nil) throws {
        try summary(
            tag: tag, kind: .tensor(.strings([markdown], shape: [])),
            metadata: SummaryMetadata(pluginName: Self.textPluginName), step: step, wallTime: wallTime)
    }
}
