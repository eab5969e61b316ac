/// One record of an event file: `tensorflow.Event` (event.proto).
///
/// Field numbers: 1 wall_time (double), 2 step (int64); oneof `what`: 3 file_version,
/// 4 graph_def, 5 summary, 7 session_log, ... The oneof member is always written.
public struct Event: Sendable, Equatable {
    /// Seconds since the Unix epoch (never milliseconds).
    public var wallTime: Double
    /// The global step; 0 is omitted on the wire, as proto3 does.
    public var step: Int64
    /// What the event carries.
    public var what: What

    /// The `what` oneof of `Event`.
    public enum What: Sendable, Equatable {
        /// "brain.Event:2" in the first record of every file.
        case fileVersion(String)
        /// A serialized GraphDef (field 4).
        case graphDef([UInt8])
        /// Summary values (field 5).
        case summary(Summary)
        /// A SessionLog (field 7).
        case sessionLog(status: SessionStatus, checkpointPath: String, message: String)
        /// No member set, or one TBKit does not model (kept as field number and raw bytes).
        case other(field: Int, bytes: [UInt8])
        /// No member set at all.
        case none
    }

    /// Makes an event.
    package init(wallTime: Double, step: Int64 = 0, what: What) {
        self.wallTime = wallTime
        self.step = step
        self.what = what
    }

    /// The protobuf encoding of this event (the payload of one TFRecord).
    package func encoded() -> [UInt8] {
        var w = ProtoWriter(capacity: 64)
        encode(into: &w)
        return w.bytes
    }

    /// Appends the protobuf encoding of this event to `w`.
    package func encode(into w: inout ProtoWriter) {
        w.writeDoubleFieldIfNonZero(1, wallTime)
        w.writeVarintFieldIfNonZero(2, step)
        switch what {
        case .fileVersion(let version):
            w.writeStringField(3, version)
        case .graphDef(let bytes):
            w.writeBytesField(4, bytes)
        case .summary(let summary):
            w.writeMessageField(5) { summary.encode(into: &$0) }
        case .sessionLog(let status, let path, let message):
            w.writeMessageField(7) {
                $0.writeVarintFieldIfNonZero(1, Int64(status.wireValue))
                $0.writeStringFieldIfNonEmpty(2, path)
                $0.writeStringFieldIfNonEmpty(3, message)
            }
        case .other(let field, let bytes):
            w.writeBytesField(field, bytes)
        case .none:
            break
        }
    }
}

/// `SessionLog.status` (event.proto): what happened to the training session.
public enum SessionStatus: Sendable, Equatable, Hashable {
    /// 0, STATUS_UNSPECIFIED.
    case unspecified
    /// 1, START.
    case start
    /// 2, STOP.
    case stop
    /// 3, CHECKPOINT.
    case checkpoint
    /// A value this version of the proto does not define, kept as read.
    case other(Int32)

    /// The status for the number on the wire.
    package init(wireValue: Int32) {
        switch wireValue {
        case 0: self = .unspecified
        case 1: self = .start
        case 2: self = .stop
        case 3: self = .checkpoint
        default: self = .other(wireValue)
        }
    }

    /// The number written on the wire.
    package var wireValue: Int32 {
        switch self {
        case .unspecified: return 0
        case .start: return 1
        case .stop: return 2
        case .checkpoint: return 3
        case .other(let value): return value
        }
    }
}

/// `SummaryMetadata.data_class` (summary.proto): how a tag's data is shaped, for the loaders.
public enum DataClass: Sendable, Equatable, Hashable {
    /// 0, DATA_CLASS_UNKNOWN: both loaders infer the class from the plugin.
    case unknown
    /// 1, DATA_CLASS_SCALAR: a single number per step.
    case scalar
    /// 2, DATA_CLASS_TENSOR: a tensor per step.
    case tensor
    /// 3, DATA_CLASS_BLOB_SEQUENCE: a sequence of byte strings per step (images, audio).
    case blobSequence
    /// A value this version of the proto does not define, kept as read.
    case other(Int32)

    /// The class for the number on the wire.
    package init(wireValue: Int32) {
        switch wireValue {
        case 0: self = .unknown
        case 1: self = .scalar
        case 2: self = .tensor
        case 3: self = .blobSequence
        default: self = .other(wireValue)
        }
    }

    /// The number written on the wire.
    package var wireValue: Int32 {
        switch self {
        case .unknown: return 0
        case .scalar: return 1
        case .tensor: return 2
        case .blobSequence: return 3
        case .other(let value): return value
        }
    }
}
