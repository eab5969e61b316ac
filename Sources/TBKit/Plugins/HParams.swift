import Foundation

/// The hparams dashboard's data (plugin "hparams", `tensorboard/plugins/hparams/*.proto`).
///
/// TensorBoard builds its table from three tags, each a Value whose tensor is the NULL tensor
/// (DT_FLOAT, shape [0]: `08 01 12 02 12 00`) and whose metadata content is a serialized
/// `HParamsPluginData` (version 0; oneof 2 experiment, 3 session_start_info, 4 session_end_info):
/// - `_hparams_/experiment`: the columns (hparam infos with domains, metric infos). Only the first
///   one found in a logdir is used, so write it once, at the logdir root (`writeExperiment`).
/// - `_hparams_/session_start_info`: the run holding it *is* a session (a row): its hparam values.
/// - `_hparams_/session_end_info`: the session's final status.
/// A metric `(group, tag)` shows the last scalar `tag` of run `<session>/<group>` (group "" is the
/// session run itself).
///
/// ```swift
/// try HParams.writeExperiment(logdir: "logs",
///     hparams: [.init(name: "init", domain: .discrete(["he", "xavier"])),
///               .init(name: "lr", domain: .interval(min: 1e-4, max: 1e-1))],
///     metrics: [.init(tag: "accuracy")])
/// let writer = try SummaryWriter(logdir: "logs/he-lr0.01")
/// try writer.hparamsSessionStart(["init": "he", "lr": 0.01])
/// ...
/// try writer.hparamsSessionEnd(status: .success)
/// ```
public enum HParams {
    /// The experiment tag.
    package static let experimentTag = "_hparams_/experiment"
    /// The session start tag.
    package static let sessionStartTag = "_hparams_/session_start_info"
    /// The session end tag.
    package static let sessionEndTag = "_hparams_/session_end_info"
    /// The file-name suffix of the experiment's own event file at the logdir root.
    package static let experimentFileSuffix = ".hparams"

    /// The tensor every hparams value carries: DT_FLOAT, shape [0], no data (`08 01 12 02 12 00`).
    package static let nullTensor = TensorProto(dtype: .float, shape: [0])

    /// `tensorboard.hparams.DataType`: a column's value type.
    public enum DataType: Int32, Sendable {
        /// Not stated.
        case unset = 0
        /// Strings.
        case string = 1
        /// Bools.
        case bool = 2
        /// Numbers (doubles).
        case float64 = 3
    }

    /// `tensorboard.hparams.Status`: how a session ended.
    public enum Status: Int32, Sendable {
        /// Not stated.
        case unknown = 0
        /// Finished normally.
        case success = 1
        /// Failed.
        case failure = 2
        /// Still running.
        case running = 3
    }

    /// `tensorboard.hparams.DatasetType`: what a metric was measured on.
    public enum DatasetType: Int32, Sendable {
        /// Not stated.
        case unknown = 0
        /// The training set.
        case training = 1
        /// The validation set.
        case validation = 2
    }

    /// The set of values a hyperparameter can take: the dashboard's filter controls use it.
    public enum Domain: Sendable, Equatable {
        /// A finite list of values, all of one type (`domain_discrete`, a `ListValue`).
        case discrete([HParamValue])
        /// A closed interval of numbers (`domain_interval`).
        case interval(min: Double, max: Double)
    }

    /// `tensorboard.hparams.HParamInfo`: one hyperparameter column.
    public struct HParamInfo: Sendable, Equatable {
        /// The key used in `hparamsSessionStart` (field 1).
        public var name: String
        /// Column title; empty means `name` (field 2).
        public var displayName: String
        /// Tooltip text (field 3).
        public var description: String
        /// Value type (field 4); `nil` infers it from the domain (interval → float64).
        public var type: DataType?
        /// Allowed values (fields 5/6), or nil.
        public var domain: Domain?

        /// Describes a hyperparameter; the type follows from the domain unless given.
        public init(
            name: String, domain: Domain? = nil, type: DataType? = nil,
            displayName: String = "", description: String = ""
        ) {
            self.name = name
            self.domain = domain
            self.type = type
            self.displayName = displayName
            self.description = description
        }

        /// The stated or inferred type; throws when discrete values are of mixed types or do
        /// not match a stated type.
        package func resolvedType() throws -> DataType {
            switch domain {
            case .none:
                return type ?? .unset
            case .interval(let lo, let hi):
                guard lo.isFinite, hi.isFinite, lo <= hi else {
                    throw Error.invalidInterval(name: name, min: lo, max: hi)
                }
                if let type, type != .float64 { throw Error.typeMismatch(name: name, stated: type, found: .float64) }
                return .float64
            case .discrete(let values):
                guard let first = values.first else { return type ?? .unset }
                for v in values where v.dataType != first.dataType {
                    throw Error.mixedDomain(name: name)
                }
                if let type, type != first.dataType {
                    throw Error.typeMismatch(name: name, stated: type, found: first.dataType)
                }
                return first.dataType
            }
        }

        /// Appends the protobuf encoding (fields 1...6 in order); throws what `resolvedType` throws.
        package func encode(into w: inout ProtoWriter) throws {
            encode(into: &w, type: try resolvedType())
        }

        /// Appends the protobuf encoding with the type already resolved.
        func encode(into w: inout ProtoWriter, type resolved: DataType) {
            w.writeStringFieldIfNonEmpty(1, name)
            w.writeStringFieldIfNonEmpty(2, displayName)
            w.writeStringFieldIfNonEmpty(3, description)
            w.writeVarintFieldIfNonZero(4, Int64(resolved.rawValue))
            switch domain {
            case .none:
                break
            case .discrete(let values):
                w.writeMessageField(5) { list in
                    for v in values { list.writeMessageField(1) { v.encode(into: &$0) } }
                }
            case .interval(let lo, let hi):
                w.writeMessageField(6) {
                    $0.writeDoubleFieldIfNonZero(1, lo)
                    $0.writeDoubleFieldIfNonZero(2, hi)
                }
            }
        }
    }

    /// `tensorboard.hparams.MetricInfo`: one metric column, the last scalar of `tag` in run
    /// `<session>/<group>`.
    public struct MetricInfo: Sendable, Equatable {
        /// The scalar tag (MetricName.tag).
        public var tag: String
        /// The sub-run under each session ("" = the session run itself) (MetricName.group).
        public var group: String
        /// Column title (field 3).
        public var displayName: String
        /// Tooltip text (field 4).
        public var description: String
        /// What the metric was measured on (field 5).
        public var datasetType: DatasetType

        /// Describes a metric column.
        public init(
            tag: String, group: String = "", displayName: String = "", description: String = "",
            datasetType: DatasetType = .unknown
        ) {
            self.tag = tag
            self.group = group
            self.displayName = displayName
            self.description = description
            self.datasetType = datasetType
        }

        /// Appends the protobuf encoding.
        package func encode(into w: inout ProtoWriter) {
            w.writeMessageField(1) {
                $0.writeStringFieldIfNonEmpty(1, group)
                $0.writeStringFieldIfNonEmpty(2, tag)
            }
            w.writeStringFieldIfNonEmpty(3, displayName)
            w.writeStringFieldIfNonEmpty(4, description)
            w.writeVarintFieldIfNonZero(5, Int64(datasetType.rawValue))
        }
    }

    /// Why hparams data cannot be written.
    public enum Error: Swift.Error, CustomStringConvertible {
        /// A discrete domain mixes numbers, strings and bools.
        case mixedDomain(name: String)
        /// A stated type disagrees with the domain's values.
        case typeMismatch(name: String, stated: DataType, found: DataType)
        /// An interval with a non-finite bound or min > max.
        case invalidInterval(name: String, min: Double, max: Double)
        /// Two hparams (or two metrics) share a name.
        case duplicateName(String)
        /// An hparam name or metric tag is empty.
        case emptyName

        /// What went wrong and what to do.
        public var description: String {
            switch self {
            case .mixedDomain(let name):
                return
                    "hparams: the discrete domain of \(name.debugDescription) mixes value types; use numbers, strings or bools only"
            case .typeMismatch(let name, let stated, let found):
                return "hparams: \(name.debugDescription) is declared \(stated) but its domain holds \(found) values"
            case .invalidInterval(let name, let lo, let hi):
                return
                    "hparams: the interval [\(lo), \(hi)] of \(name.debugDescription) is invalid; bounds must be finite and min ≤ max"
            case .duplicateName(let name):
                return "hparams: \(name.debugDescription) is listed twice; each hparam and metric needs its own name"
            case .emptyName:
                return "hparams: an hparam name or metric tag is empty"
            }
        }
    }

    /// `HParamsPluginData{experiment{time_created_secs, hparam_infos, metric_infos}}` bytes.
    package static func experimentContent(
        hparams: [HParamInfo], metrics: [MetricInfo],
        timeCreated: Double
    ) throws -> [UInt8] {
        var names = Set<String>()
        for h in hparams {
            guard !h.name.isEmpty else { throw Error.emptyName }
            guard names.insert(h.name).inserted else { throw Error.duplicateName(h.name) }
        }
        var metricNames = Set<String>()
        for m in metrics {
            guard !m.tag.isEmpty else { throw Error.emptyName }
            guard metricNames.insert(m.group + "\u{0}" + m.tag).inserted else {
                throw Error.duplicateName(m.group.isEmpty ? m.tag : m.group + "/" + m.tag)
            }
        }
        let types = try hparams.map { try $0.resolvedType() }
        var w = ProtoWriter(capacity: 256)
        w.writeMessageField(2) { e in
            e.writeDoubleFieldIfNonZero(3, timeCreated)
            for (h, type) in zip(hparams, types) { e.writeMessageField(4) { h.encode(into: &$0, type: type) } }
            for m in metrics { e.writeMessageField(5) { m.encode(into: &$0) } }
        }
        return w.bytes
    }

    /// `HParamsPluginData{session_start_info{hparams, group_name, start_time_secs}}` bytes; map
    /// entries are written in key order so equal inputs give equal bytes.
    package static func sessionStartContent(
        hparams: [String: HParamValue], groupName: String,
        startTime: Double
    ) -> [UInt8] {
        var w = ProtoWriter(capacity: 128)
        w.writeMessageField(3) { s in
            for key in hparams.keys.sortedShared() {
                guard let value = hparams[key] else { continue }
                s.writeMessageField(1) { entry in
                    entry.writeStringField(1, key)
                    entry.writeMessageField(2) { value.encode(into: &$0) }
                }
            }
            s.writeStringFieldIfNonEmpty(4, groupName)
            s.writeDoubleFieldIfNonZero(5, startTime)
        }
        return w.bytes
    }

    /// `HParamsPluginData{session_end_info{status, end_time_secs}}` bytes.
    package static func sessionEndContent(status: Status, endTime: Double) -> [UInt8] {
        var w = ProtoWriter(capacity: 16)
        w.writeMessageField(4) {
            $0.writeVarintFieldIfNonZero(1, Int64(status.rawValue))
            $0.writeDoubleFieldIfNonZero(2, endTime)
        }
        return w.bytes
    }

    /// Writes the experiment summary in its own event file at the root of `logdir` (TensorBoard
    /// shows that directory as run "."), and returns the file's path. Write it once per logdir:
    /// TensorBoard uses the first experiment it finds.
    @discardableResult
    public static func writeExperiment(
        logdir: String, hparams: [HParamInfo], metrics: [MetricInfo],
        timeCreated: Double? = nil
    ) throws -> String {
        let time = timeCreated ?? Date().timeIntervalSince1970
        let content = try experimentContent(hparams: hparams, metrics: metrics, timeCreated: time)
        let writer = try SummaryWriter(logdir: logdir, filenameSuffix: experimentFileSuffix)
        try writer.summary(
            tag: experimentTag, kind: .tensor(nullTensor),
            metadata: SummaryMetadata(pluginName: .hparams, content: content),
            step: 0, wallTime: time)
        try writer.close()
        return writer.path
    }
}
