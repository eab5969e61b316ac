import InitLabCore

/// Why a checkpoint cannot be written, read or used.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// The file is shorter than the fixed header and trailer.
    case tooShort(path: String, size: Int)
    /// The file does not start with the checkpoint magic.
    case notACheckpoint(path: String)
    /// The file was written by a format version this build does not read.
    case unsupportedVersion(path: String, version: UInt32, supported: UInt32)
    /// The header's body length disagrees with the file's size.
    case lengthMismatch(path: String, declared: UInt64, available: Int)
    /// The stored CRC32C does not match the bytes: the file is damaged.
    case checksumMismatch(path: String, stored: UInt32, computed: UInt32)
    /// A field runs past the end of the body, or holds a value it cannot hold.
    case malformed(path: String, field: String, offset: Int, reason: String)
    /// The checkpoint's network, optimizer or data order does not fit the scenario's.
    case shapeMismatch(path: String, reason: String)
    /// The checkpoint marks its run finished at `step`: there is no training left to continue.
    case alreadyFinished(path: String, step: Int)
    /// The checkpoint was made by a run with other settings (name, checkpoint's value, this run's value).
    case settingsDiffer(path: String, differences: [SettingDifference])
    /// Creating, writing, renaming, listing or removing a checkpoint file failed.
    case io(path: String, operation: String, reason: String)

    /// One setting that differs between a checkpoint and the run that wants to continue it.
    public struct SettingDifference: Sendable, Equatable {
        /// The setting's name (as the run's `config` text names it).
        public var name: String
        /// The value the checkpoint was made with (nil: the checkpoint does not have it).
        public var checkpoint: String?
        /// The value of the run that wants to resume (nil: this run does not have it).
        public var current: String?
    }

    /// What happened, where, and what to do.
    public var description: String {
        switch self {
        case .tooShort(let path, let size):
            return
                "\(path): \(size) bytes is too short for a checkpoint (the header and checksum alone take \(CheckpointFormat.headerSize + CheckpointFormat.trailerSize)); the file is damaged: delete it to resume from the previous checkpoint"
        case .notACheckpoint(let path):
            return "\(path) is not a TBKit checkpoint (its first bytes are not the checkpoint magic)"
        case .unsupportedVersion(let path, let version, let supported):
            return
                "\(path): checkpoint format version \(version) is not readable by this build (it reads version \(supported)); resume with the build that wrote it"
        case .lengthMismatch(let path, let declared, let available):
            return
                "\(path): the header declares a \(declared)-byte body but the file holds \(available) bytes after the header (truncated or damaged); delete it to resume from the previous checkpoint"
        case .checksumMismatch(let path, let stored, let computed):
            return
                "\(path): checksum mismatch (stored CRC32C \(hex(stored)), computed \(hex(computed))): the checkpoint is damaged; delete it to resume from the previous checkpoint"
        case .malformed(let path, let field, let offset, let reason):
            return "\(path): field \(field) at byte offset \(offset): \(reason)"
        case .shapeMismatch(let path, let reason):
            return "\(path) does not fit this run: \(reason)"
        case .alreadyFinished(let path, let step):
            return "\(path) marks its run finished at step \(step): there is nothing left to train"
        case .settingsDiffer(let path, let differences):
            let list = differences.map {
                "\($0.name): checkpoint \($0.checkpoint.map { "'\($0)'" } ?? "(none)"), now \($0.current.map { "'\($0)'" } ?? "(none)")"
            }.joined(separator: "; ")
            return
                "\(path) was made by a run with other settings (\(list)); resume with the settings it was made with, or start the run afresh"
        case .io(let path, let operation, let reason):
            return "cannot \(operation) \(path): \(reason)"
        }
    }

    private func hex(_ x: UInt32) -> String {
        let digits = String(x, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
