/// What a flushed record survives.
///
/// Records are appended whole to the file; the file only ever ends at a record boundary or
/// inside the one record being written. So with either setting, a process killed with SIGKILL
/// keeps every record flushed before the kill, and at most a truncated last record, which
/// TensorBoard's loaders and TBKit's reader treat as "not yet written".
public enum Durability: Sendable, Equatable {
    /// A flush hands the bytes to the operating system (write(2)): they survive the process,
    /// not a power loss or a crash of the host.
    case write
    /// Each flush also waits for fsync(2), so flushed records survive a power loss or a host
    /// crash too, at the cost of a disk round trip per flush.
    case fsyncOnFlush
}
