import Foundation
import InitLabCore
import SystemPackage
import TBKit

/// A run's checkpoints on disk: `<run>/checkpoints/step-<10-digit step>.tbkckpt`, each written
/// through `AtomicFile` (a temporary file, synced, renamed into place, the folder synced: a reader
/// sees the old file or the new one, never half of one), the oldest removed so that at most `keep`
/// remain.
///
/// The folder holds no event file, so TensorBoard does not take it for a run.
public struct CheckpointStore: Sendable {
    /// The folder's name inside the run directory.
    package static let folderName = "checkpoints"
    /// The checkpoint files' extension.
    package static let fileExtension = "tbkckpt"

    /// Where the checkpoints live.
    public let directory: String
    /// How many checkpoints are kept (the newest).
    public let keep: Int

    /// The store of the run in `runDirectory`, keeping the newest `keep` (at least one).
    public init(runDirectory: String, keep: Int = 3) {
        self.directory = FilePath(runDirectory).appending(Self.folderName).string
        self.keep = max(1, keep)
    }

    /// The file name of the checkpoint at `step`.
    package static func fileName(step: Int) -> String {
        let digits = String(step)
        return "step-" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits + "." + fileExtension
    }

    /// The checkpoint files, oldest first (names sort by step); empty if there is no folder.
    public func files() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix("step-") && $0.hasSuffix("." + Self.fileExtension) }.sortedShared()
            .map { FilePath(directory).appending($0).string }
    }

    /// Writes `checkpoint` atomically and removes all but the newest `keep`; returns its path.
    @discardableResult
    public func save(_ checkpoint: TrainingCheckpoint) throws -> String {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError.io(path: directory, operation: "create", reason: error.localizedDescription)
        }
        let name = Self.fileName(step: checkpoint.step)
        let final = FilePath(directory).appending(name).string
        do {
            try AtomicFile.write(checkpoint.encoded(), to: final)
        } catch {
            throw CheckpointError.io(path: error.path, operation: error.operation, reason: "\(error.errno)")
        }
        let all = files()
        for old in all.dropLast(keep) where old != final {
            guard unlink(old) == 0 || errno == ENOENT else {
                throw CheckpointError.io(path: old, operation: "remove", reason: Self.errnoText())
            }
        }
        return final
    }

    /// The newest checkpoint and its path, or nil when there is none. A damaged newest file is an
    /// error (never silently skipped: the user decides whether to fall back to an older one).
    public func latest() throws -> (path: String, checkpoint: TrainingCheckpoint)? {
        guard let path = files().last else { return nil }
        return (path, try Self.load(path))
    }

    /// Reads and decodes one checkpoint file.
    public static func load(_ path: String) throws -> TrainingCheckpoint {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckpointError.io(path: path, operation: "read", reason: "the file cannot be opened")
        }
        return try TrainingCheckpoint(decoding: [UInt8](data), path: path)
    }

    /// Removes every checkpoint (a run started afresh must not resume from an older training).
    public func removeAll() throws {
        for path in files() {
            guard unlink(path) == 0 || errno == ENOENT else {
                throw CheckpointError.io(path: path, operation: "remove", reason: Self.errnoText())
            }
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
