import SystemPackage
import TBKit

/// Why archiving or extracting a log directory failed. Every case names the file or archive
/// member at fault and says what to do about it.
public enum LogArchiveError: Error, CustomStringConvertible {
    /// A system call failed on `path`.
    case io(operation: String, path: String, errno: Int32)
    /// The logdir holds something an archive cannot carry (socket, device, FIFO...).
    case unsupportedFile(path: String, kind: String)
    /// A symlink in the logdir points outside it (extraction would refuse it).
    case symlinkLeavesLogdir(path: String, target: String)
    /// A file changed while it was being archived.
    case fileChanged(path: String)
    /// A run's event files could not be listed for the manifest's per-run part.
    case runScan(run: String, reason: String)
    /// A file generated into the archive cannot take its name (`path`), for `reason`.
    case generatedFileClash(path: String, reason: String)
    /// The logdir already contains a file named like the manifest.
    case manifestNameTaken(path: String)
    /// The archive's first member is not a TBKit manifest.
    case notATBKitArchive(archive: String, firstMember: String?)
    /// The manifest could not be parsed.
    case badManifest(archive: String, reason: String)
    /// A member that must never be extracted (absolute path, `..`, device, link outside...).
    case unsafeMember(member: String, reason: String)
    /// A member that the manifest does not list, or lists with another kind.
    case notInManifest(member: String, detail: String)
    /// A member's data differs from the manifest.
    case contentMismatch(member: String, detail: String)
    /// The manifest lists a path the archive does not contain.
    case missingMember(member: String)
    /// The archive file exists already, and replacing it was not asked for.
    case archiveExists(path: String)
    /// A member would overwrite an existing file.
    case wouldOverwrite(member: String, path: String)
    /// The gzip or tar layer is damaged; `member` is the first member that could not be read.
    case damaged(member: String, detail: String)
    /// The gzip or tar layer is damaged between members (in a header, or after the last one).
    case damagedAfter(previous: String?, detail: String)

    public var description: String {
        switch self {
        case .io(let operation, let path, let code):
            return "\(operation) failed for '\(path)': \(Self.errnoText(code))"
        case .unsupportedFile(let path, let kind):
            return
                "'\(path)' is a \(kind); a log archive holds only directories, regular files and symlinks: move it out of the logdir"
        case .symlinkLeavesLogdir(let path, let target):
            return
                "symlink '\(path)' points outside the logdir ('\(target)'); extraction would refuse it: replace it with a copy or remove it"
        case .fileChanged(let path):
            return
                "'\(path)' changed while it was being archived (is a training run still writing?); archive again once it has stopped"
        case .runScan(let run, let reason):
            return "cannot scan run '\(run)' for the manifest: \(reason)"
        case .generatedFileClash(let path, let reason):
            return "cannot add the generated file '\(path)': \(reason); rename it or leave the generated file out"
        case .manifestNameTaken(let path):
            return "the logdir already has a file '\(path)', which is the archive manifest's name: rename it"
        case .notATBKitArchive(let archive, let first):
            let found = first.map { "its first member is '\($0)'" } ?? "it has no members"
            return "'\(archive)' is not a TBKit log archive: \(found), expected '\(ArchiveManifest.memberName)'"
        case .badManifest(let archive, let reason):
            return "the manifest of '\(archive)' is unreadable: \(reason)"
        case .unsafeMember(let member, let reason):
            return "refusing member '\(member)': \(reason)"
        case .notInManifest(let member, let detail):
            return "member '\(member)' does not match the manifest: \(detail); the archive was altered"
        case .contentMismatch(let member, let detail):
            return "member '\(member)' is corrupt: \(detail)"
        case .missingMember(let member):
            return
                "member '\(member)' is listed in the manifest but missing from the archive (truncated or altered archive)"
        case .wouldOverwrite(let member, let path):
            return "member '\(member)' would overwrite existing '\(path)'; nothing was extracted"
        case .archiveExists(let path):
            return "'\(path)' already exists; the archive was not written"
        case .damaged(let member, let detail):
            return "archive is damaged at member '\(member)': \(detail)"
        case .damagedAfter(let previous, let detail):
            let place = previous.map { "after member '\($0)'" } ?? "before its first member"
            return "archive is damaged \(place): \(detail)"
        }
    }

    private static func errnoText(_ code: Int32) -> String {
        "\(Errno(rawValue: code)) (errno \(code))"
    }

    /// Runs a step of an `AtomicFile`, turning its failure into `.io(operation:path:errno:)`.
    static func writing<T>(_ body: () throws(AtomicFile.Failure) -> T) throws(LogArchiveError) -> T {
        do {
            return try body()
        } catch {
            throw .io(operation: error.operation, path: error.path, errno: error.errno.rawValue)
        }
    }

    /// Runs a system call on `path`, turning its `Errno` into `.io(operation:path:errno:)`.
    static func during<T>(_ operation: String, _ path: String, _ body: () throws(Errno) -> T) throws(LogArchiveError)
        -> T
    {
        do {
            return try body()
        } catch {
            throw .io(operation: operation, path: path, errno: error.rawValue)
        }
    }
}
