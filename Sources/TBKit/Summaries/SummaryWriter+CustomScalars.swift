extension SummaryWriter {
    /// Logs the custom scalars dashboard's layout (tag `custom_scalars__config__`, a rank-0
    /// DT_STRING tensor holding the serialized Layout, plugin "custom_scalars"). Write it once,
    /// at step 0, in any run: TensorBoard merges the layouts of all runs by category title.
    public func customScalarsLayout(_ layout: CustomScalarLayout, step: Int = 0, wallTime: Double? = nil) throws {
        let tensor = TensorProto(dtype: .string, shape: [], stringValues: [layout.encoded()])
        try summary(
            tag: CustomScalarLayout.tag, kind: .tensor(tensor),
            metadata: SummaryMetadata(pluginName: .customScalars),
            step: step, wallTime: wallTime)
    }
}
