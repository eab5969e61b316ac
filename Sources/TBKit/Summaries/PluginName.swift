/// The TensorBoard plugin that owns a tag: `SummaryMetadata.plugin_data.plugin_name` on the wire.
///
/// The plugins TBKit writes for are static members (`.scalars`, `.histograms`, `.images`, ...),
/// so code compares against those instead of spelling the names. A name TBKit does not know, read
/// from another writer's file, is kept exactly as read (`PluginName("my_plugin")`) and is written
/// back unchanged. `.unnamed` (the empty string) is the name of a value without plugin metadata;
/// on the wire it is the absent field.
public struct PluginName: RawRepresentable, Hashable, Sendable, Encodable, CustomStringConvertible {
    /// The name as it appears in `plugin_data.plugin_name`.
    public let rawValue: String

    /// The plugin called `rawValue`, known to TBKit or not.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The plugin called `name`, known to TBKit or not.
    public init(_ name: String) {
        self.rawValue = name
    }

    /// Scalar charts: v2 rank-0 tensors.
    public static let scalars = PluginName(rawValue: "scalars")
    /// Histograms and distributions: v2 `[k, 3]` tensors of (left, right, count).
    public static let histograms = PluginName(rawValue: "histograms")
    /// Images: v2 string tensors `[width, height, png...]`.
    public static let images = PluginName(rawValue: "images")
    /// Audio clips: v2 string tensors of WAV blobs.
    public static let audio = PluginName(rawValue: "audio")
    /// Markdown text and tables.
    public static let text = PluginName(rawValue: "text")
    /// Precision-recall curves.
    public static let prCurves = PluginName(rawValue: "pr_curves")
    /// Hyperparameter experiments and sessions.
    public static let hparams = PluginName(rawValue: "hparams")
    /// The custom scalars layout (tag `custom_scalars__config__`).
    public static let customScalars = PluginName(rawValue: "custom_scalars")
    /// The embedding projector (its data lives in files beside the events).
    public static let projector = PluginName(rawValue: "projector")
    /// Graphs: an Event's `graph_def`, surfaced by readers as tag `__run_graph__`.
    public static let graphs = PluginName(rawValue: "graphs")
    /// No plugin named: a value without metadata (the field is absent on the wire).
    public static let unnamed = PluginName(rawValue: "")

    /// The plugins TBKit knows, in the order dashboards are usually listed.
    public static let known: [PluginName] = [
        .scalars, .histograms, .images, .audio, .text, .prCurves, .hparams, .customScalars, .projector, .graphs,
    ]

    /// True for one of the `known` plugins.
    public var isKnown: Bool { Self.known.contains(self) }

    /// True for `.unnamed`.
    public var isUnnamed: Bool { rawValue.isEmpty }

    /// The name as written in files.
    public var description: String { rawValue }

    /// Encodes as the bare name, as it appears in files.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
