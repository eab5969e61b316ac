import SystemPackage

/// Why a log directory could not be listed.
public enum LogDirectoryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing exists at the path.
    case notFound(path: String)
    /// A directory could not be opened or listed.
    case unreadable(path: String, errno: Int32)

    /// A sentence for people.
    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such file or directory; pass a log directory or an event file"
        case .unreadable(let path, let e):
            return "\(path): cannot list: \(Errno(rawValue: e)) (errno \(e))"
        }
    }
}

/// A run as TensorBoard finds it: a directory that directly holds at least one event file.
///
/// Discovery walks the log directory recursively (following symlinks, each directory once). A file
/// is an event file when its basename contains "tfevents" (files ending in ".profile-empty" are
/// skipped, as TensorBoard does). The run name is the path relative to the log directory, "." for
/// the log directory itself; nested directories are separate runs.
public struct RunDirectory: Sendable, Equatable {
    /// The run name: relative path, "." for the root.
    public var name: String
    /// The directory's path (the log directory joined with `name`).
    public var path: String
    /// Paths of its event files in lexicographic order of their basenames (= write order, given
    /// 10-digit zero-padded seconds in the names).
    public var eventFiles: [String]

    /// Makes a run description.
    package init(name: String, path: String, eventFiles: [String]) {
        self.name = name
        self.path = path
        self.eventFiles = eventFiles
    }

    /// True when TensorBoard would read a file with this basename as an event file.
    package static func isEventFileName(_ name: String) -> Bool {
        name.contains("tfevents") && !name.hasSuffix(".profile-empty")
    }

    /// Every run under `logdir`, sorted by name. A path to a single event file gives one run
    /// named "." holding just that file.
    public static func discover(logdir: String) throws(LogDirectoryError) -> [RunDirectory] {
        guard let status = try? Platform.status(logdir) else { throw .notFound(path: logdir) }
        if !status.isDirectory {
            return [RunDirectory(name: ".", path: logdir, eventFiles: [logdir])]
        }
        var runs: [RunDirectory] = []
        var visited: Set<[UInt64]> = []
        try walk(directory: logdir, relative: ".", into: &runs, visited: &visited)
        runs.sortShared { $0.name < $1.name }
        return runs
    }

    /// The event files directly inside `directory`, in lexicographic order.
    package static func eventFiles(in directory: String) throws(LogDirectoryError) -> [String] {
        let (files, _) = try list(directory)
        return files
    }

    private static func walk(
        directory: String, relative: String, into runs: inout [RunDirectory],
        visited: inout Set<[UInt64]>
    ) throws(LogDirectoryError) {
        guard let status = try? Platform.status(directory) else { return }
        let key = [status.device, status.inode]
        guard !visited.contains(key) else { return }
        visited.insert(key)
        let (files, subdirectories) = try list(directory)
        if !files.isEmpty {
            runs.append(RunDirectory(name: relative, path: directory, eventFiles: files))
        }
        for sub in subdirectories {
            let childRelative = relative == "." ? sub : FilePath(relative).appending(sub).string
            // A subdirectory that vanished or cannot be listed is left out, not fatal.
            do {
                try walk(
                    directory: FilePath(directory).appending(sub).string, relative: childRelative, into: &runs,
                    visited: &visited)
            } catch {
                continue
            }
        }
    }

    /// Event files (full paths, sorted by basename) and subdirectory names (sorted) of `directory`.
    private static func list(_ directory: String) throws(LogDirectoryError) -> ([String], [String]) {
        let names: [String]
        do throws(Errno) {
            names = try Platform.directoryEntries(directory)
        } catch {
            throw .unreadable(path: directory, errno: error.rawValue)
        }
        var fileNames: [String] = []
        var directoryNames: [String] = []
        for name in names {
            guard let status = try? Platform.status(FilePath(directory).appending(name).string) else { continue }
            if status.isDirectory {
                directoryNames.append(name)
            } else if status.isRegular && isEventFileName(name) {
                fileNames.append(name)
            }
        }
        fileNames.sortShared { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        directoryNames.sortShared(by: <)
        let base = FilePath(directory)
        return (fileNames.map { base.appending($0).string }, directoryNames)
    }
}
