extension SummaryWriter {
    /// Logs the custom scalars dashboard's layout (tag `custom_scalars__config__`, a rank-0
    /// DT_STRING tensor holding the serialized Layout, plugin "custom_scalars"). TensorBoard shows
    /// the last layout each run logs and merges the runs' layouts by category title.
    ///
    /// The layout is merged into what this writer has laid out before: a category replaces an
    /// earlier one of the same title (returned, so nothing is dropped unseen), other categories
    /// and the charts of `scalars(_:_:step:)` stay. The whole merged layout is written.
    @discardableResult
    public func customScalarsLayout(
        _ layout: CustomScalarLayout, step: Int = 0, wallTime: Double? = nil
    ) throws -> [CustomScalarLayout.Category] {
        if isDisabled { return [] }
        return try customScalars.withLock { current throws -> [CustomScalarLayout.Category] in
            var grown = current
            let replaced = grown.merge(layout)
            try writeLayout(grown.merged, step: step, wallTime: wallTime)
            current = grown
            return replaced
        }
    }

    /// Writes `layout` as the run's layout (called with the layout state locked, so layouts are
    /// written in the order they were built).
    func writeLayout(_ layout: CustomScalarLayout, step: Int, wallTime: Double?) throws {
        let tensor = TensorProto(dtype: .string, shape: [], stringValues: [layout.encoded()])
        try summary(
            tag: CustomScalarLayout.tag, kind: .tensor(tensor),
            metadata: SummaryMetadata(pluginName: .customScalars),
            step: step, wallTime: wallTime)
    }
}
