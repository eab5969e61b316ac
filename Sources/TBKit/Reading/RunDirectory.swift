#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

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
            return "\(path): cannot list: \(String(cString: strerror(e))) (errno \(e))"
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
    public init(name: String, path: String, eventFiles: [String]) {
        self.name = name
        self.path = path
        self.eventFiles = eventFiles
    }

    /// True when TensorBoard would read a file with this basename as an event file.
    public static func isEventFileName(_ name: String) -> Bool {
        name.contains("tfevents") && !name.hasSuffix(".profile-empty")
    }

    /// Every run under `logdir`, sorted by name. A path to a single event file gives one run
    /// named "." holding just that file.
    public static func discover(logdir: String) throws(LogDirectoryError) -> [RunDirectory] {
        var st = stat()
        guard stat(logdir, &st) == 0 else { throw .notFound(path: logdir) }
        if (st.st_mode & S_IFMT) != S_IFDIR {
            return [RunDirectory(name: ".", path: logdir, eventFiles: [logdir])]
        }
        var runs: [RunDirectory] = []
        var visited: Set<[UInt64]> = []
        try walk(directory: logdir, relative: ".", into: &runs, visited: &visited)
        runs.sort { $0.name < $1.name }
        return runs
    }

    /// The event files directly inside `directory`, in lexicographic order.
    public static func eventFiles(in directory: String) throws(LogDirectoryError) -> [String] {
        let (files, _) = try list(directory)
        return files
    }

    private static func walk(
        directory: String, relative: String, into runs: inout [RunDirectory],
        visited: inout Set<[UInt64]>
    ) throws(LogDirectoryError) {
        var st = stat()
        guard stat(directory, &st) == 0 else { return }
        let key = [UInt64(st.st_dev), UInt64(st.st_ino)]
        guard !visited.contains(key) else { return }
        visited.insert(key)
        let (files, subdirectories) = try list(directory)
        if !files.isEmpty {
            runs.append(RunDirectory(name: relative, path: directory, eventFiles: files))
        }
        for sub in subdirectories {
            let childRelative = relative == "." ? sub : relative + "/" + sub
            // A subdirectory that vanished or cannot be listed is left out, not fatal.
            do {
                try walk(directory: join(directory, sub), relative: childRelative, into: &runs, visited: &visited)
            } catch {
                continue
            }
        }
    }

    /// Event files (full paths, sorted by basename) and subdirectory names (sorted) of `directory`.
    private static func list(_ directory: String) throws(LogDirectoryError) -> ([String], [String]) {
        guard let dir = opendir(directory) else { throw .unreadable(path: directory, errno: errno) }
        defer { closedir(dir) }
        var fileNames: [String] = []
        var directoryNames: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name == "." || name == ".." { continue }
            var st = stat()
            guard stat(join(directory, name), &st) == 0 else { continue }
            let type = st.st_mode & S_IFMT
            if type == S_IFDIR {
                directoryNames.append(name)
            } else if type == S_IFREG && isEventFileName(name) {
                fileNames.append(name)
            }
        }
        fileNames.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        directoryNames.sort()
        return (fileNames.map { join(directory, $0) }, directoryNames)
    }

    static func join(_ a: String, _ b: String) -> String {
        a.hasSuffix("/") ? a + b : a + "/" + b
    }
}
