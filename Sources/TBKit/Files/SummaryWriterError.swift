/// What went wrong while writing summaries, with the path (and offset or tag) it concerns.
public enum SummaryWriterError: Error, CustomStringConvertible, Equatable {
    /// A tag was empty or contained a character TensorBoard cannot show.
    case invalidTag(tag: String, reason: String)
    /// An argument the call cannot use (a buffer whose size does not match its shape, an empty
    /// metrics list, a step that does not fit a 64-bit step ...), named as the caller wrote it.
    case invalidArgument(argument: String, tag: String?, reason: String)
    /// Calls made through `SummaryWriter.log` (which never throw) failed; thrown once by the next
    /// `flush()` or `close()`: how many failed and the first failure.
    case loggingFailed(count: Int, first: String)
    /// A wall time that is NaN or infinite (TensorBoard's Rust loader abandons a file at one).
    case invalidWallTime(wallTime: Double, tag: String?)
    /// The writer was closed before this call.
    case closed(path: String)
    /// The log directory could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// The event file could not be created.
    case cannotCreateFile(path: String, reason: String)
    /// Writing to the event file failed; everything before `offset` is intact and the records
    /// not written stay buffered for the next `flush()`.
    case writeFailed(path: String, offset: Int, reason: String, diskFull: Bool)
    /// A purge step below zero (steps start at 0).
    case invalidPurgeStep(Int)
    /// Rotation limits that cannot be used (zero, negative, none given).
    case invalidRotation(reason: String)
    /// A rank below zero or not below the world size, or a rank variable that is not a number.
    case invalidRank(reason: String)
    /// Forcing written bytes to stable storage (fsync) failed; the bytes were written.
    case syncFailed(path: String, reason: String)
    /// The termination signal handling could not be set up.
    case terminationHandlingUnavailable(reason: String)

    /// The logdir is a URL whose scheme no storage module has registered (see `RemoteLogdirs`).
    case unsupportedLogdirScheme(scheme: String, logdir: String)
    /// `close()` waited its time and some sealed event files are still only in the local spool;
    /// they are kept there (nothing is lost) and a later writer for the same logdir sends them.
    case remoteUploadIncomplete(logdir: String, localPaths: [String], reason: String)

    public var description: String {
        switch self {
        case .invalidTag(let tag, let reason):
            return "invalid tag \(tag.debugDescription): \(reason)"
        case .invalidArgument(let argument, let tag, let reason):
            let which = tag.map { " for tag \($0.debugDescription)" } ?? ""
            return "invalid argument `\(argument)`\(which): \(reason)"
        case .loggingFailed(let count, let first):
            let others = count > 1 ? " (and \(count - 1) later call\(count == 2 ? "" : "s"))" : ""
            return "a call through SummaryWriter.log failed and logged nothing: \(first)\(others)"
        case .invalidWallTime(let wallTime, let tag):
            let which = tag.map { " for tag \($0.debugDescription)" } ?? ""
            return "invalid wall time \(wallTime)\(which): it must be finite seconds since the epoch"
        case .closed(let path):
            return "the summary writer for \(path) is closed; create a new SummaryWriter to log more"
        case .cannotCreateDirectory(let path, let reason):
            return "cannot create log directory \(path): \(reason)"
        case .cannotCreateFile(let path, let reason):
            return "cannot create event file \(path): \(reason)"
        case .writeFailed(let path, let offset, let reason, let diskFull):
            let hint =
                diskFull
                ? "; the disk is full: free space and call flush() again, nothing before this offset is lost"
                : "; records before this offset are intact"
            return "writing \(path) failed at byte \(offset): \(reason)\(hint)"
        case .unsupportedLogdirScheme(let scheme, let logdir):
            return
                "cannot write to \(logdir): no storage module handles \(scheme):// logdirs; link one and register it first (for s3://, TBKitS3's S3Storage.register())"
        case .remoteUploadIncomplete(let logdir, let localPaths, let reason):
            return
                "\(localPaths.count) event file(s) for \(logdir) are not uploaded yet and are only local: \(localPaths.joined(separator: ", ")) (last error: \(reason)); they stay in the spool and the next writer for \(logdir) sends them"
        case .invalidRank(let reason):
            return "invalid rank: \(reason)"
        case .syncFailed(let path, let reason):
            return
                "forcing \(path) to stable storage (fsync) failed: \(reason); the records were written but may not survive a power loss"
        case .terminationHandlingUnavailable(let reason):
            return "cannot set up flushing on SIGTERM and SIGINT: \(reason)"
        case .invalidRotation(let reason):
            return "invalid file rotation: \(reason)"
        case .invalidPurgeStep(let step):
            return "invalid purge step \(step): it must be 0 or more (the step of the checkpoint the run resumes from)"
        }
    }
}
