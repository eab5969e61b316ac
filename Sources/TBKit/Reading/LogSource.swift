import SystemPackage

/// Somewhere runs are read from: a log directory, a single event file, or a kind another module
/// registers (`LogSources.register`). Modelled on the Rust data server's `Logdir`: a source only
/// discovers its runs; reading them is the readers' work.
public protocol LogSource: Sendable {
    /// The source as the user named it (a path as given, a URL).
    var label: String { get }
    /// Its runs, sorted by name (relative path, "." for the source's root).
    func discover() throws(LogSourceError) -> [RunDirectory]
    /// Damage in the source itself met by `discover()` (a corrupt archive, a member that fails
    /// its checksum), one sentence each; the runs before it are still read. Empty by default.
    var damage: [String] { get }
}

extension LogSource {
    /// No damage: a log directory or an event file reports problems per record instead.
    public var damage: [String] { [] }
}

/// Why a path could not be read as a source.
public enum LogSourceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path does not exist or cannot be listed.
    case logdir(LogDirectoryError)
    /// The path is a file that is neither an event file nor any registered kind of source.
    case notASource(path: String, looksLike: String)
    /// The path cannot be opened or read.
    case unreadable(path: String, errno: Int32)
    /// A remote source (`s3://...`) could not be listed or read; `reason` names the bucket or
    /// object, what the server said, and what to do.
    case remote(source: String, reason: String)

    /// A sentence for people.
    public var description: String {
        switch self {
        case .logdir(let error):
            return error.description
        case .notASource(let path, let looksLike):
            return
                "\(path): not a log directory, an event file or a TBKit archive: it looks like \(looksLike); pass a log directory, an event file (its name contains \"tfevents\") or a .tar.gz made by `tbkit archive`"
        case .unreadable(let path, let e):
            return "\(path): cannot read: \(Errno(rawValue: e)) (errno \(e))"
        case .remote(_, let reason):
            return reason
        }
    }
}

/// A log directory on the local file system: runs found as TensorBoard finds them.
public struct LocalLogdir: LogSource {
    /// The directory's path.
    public var path: String
    /// The path as given, or what the directory stands for (a URL it mirrors).
    public var label: String

    /// A log directory at `path`, labelled `label` (the path itself by default).
    public init(path: String, label: String? = nil) {
        self.path = path
        self.label = label ?? path
    }

    /// Every run under the directory (see `RunDirectory.discover`).
    public func discover() throws(LogSourceError) -> [RunDirectory] {
        do throws(LogDirectoryError) {
            return try RunDirectory.discover(logdir: path)
        } catch {
            throw .logdir(error)
        }
    }
}

/// One event file read as a source: one run named ".".
public struct EventFileSource: LogSource {
    /// The file's path as given.
    public var path: String
    /// The path.
    public var label: String { path }

    /// The event file at `path`.
    public init(path: String) { self.path = path }

    /// The one run.
    public func discover() throws(LogSourceError) -> [RunDirectory] {
        [RunDirectory(name: ".", path: path, eventFiles: [path])]
    }
}

/// A run read together with runs of other sources: its name among them all, and where it is from.
public struct SourcedRun: Sendable, Equatable {
    /// The run's name in the output: its name in its source, or `<source>/<run>` when another
    /// source has a run of the same name (the source's label alone for its root run ".").
    public var name: String
    /// The label of the source it came from.
    public var source: String
    /// The run as its source found it (its `name` is the one inside the source).
    public var run: RunDirectory

    /// Makes a sourced run.
    public init(name: String, source: String, run: RunDirectory) {
        self.name = name
        self.source = source
        self.run = run
    }

    /// The run under its output name.
    package var named: RunDirectory {
        RunDirectory(name: name, path: run.path, eventFiles: run.eventFiles)
    }
}
