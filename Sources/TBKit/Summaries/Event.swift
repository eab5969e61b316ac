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
        /// A SessionLog (field 7): status 1 START, 2 STOP, 3 CHECKPOINT.
        case sessionLog(status: Int32, checkpointPath: String, message: String)
        /// No member set, or one TBKit does not model (kept as field number and raw bytes).
        case other(field: Int, bytes: [UInt8])
        /// No member set at all.
        case none
    }

    /// Makes an event.
    public init(wallTime: Double, step: Int64 = 0, what: What) {
        self.wallTime = wallTime
        self.step = step
        self.what = what
    }

    /// The protobuf encoding of this event (the payload of one TFRecord).
    public func encoded() -> [UInt8] {
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
                $0.writeVarintFieldIfNonZero(1, Int64(status))
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
