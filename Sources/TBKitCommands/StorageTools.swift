import Foundation
import Synchronization
import TBKit

/// What the commands need from archives (`TBKitArchive`) and object storage (`TBKitS3`), which
/// link swift-crypto. `tbkit-storage` supplies it; `tbkit` itself links neither, so a first
/// release build of `tbkit train` does not compile BoringSSL, and hands archive, extract, bench
/// and every s3:// argument over to `tbkit-storage` (see `StorageForwarding`).
package protocol StorageTools: Sendable {
    /// Makes `SummaryWriter(logdir: "s3://...")` work in this process.
    func registerRemoteLogdirs()
    /// Copies the s3:// logdir (or the single event file) at `url` under `directory`; returns the
    /// local path to read instead of `url`.
    func mirror(_ url: String, into directory: String) throws -> String
    /// The keys of the event files already under an s3:// run directory.
    func remoteEventFileKeys(_ runURL: String) throws -> [String]
    /// Deletes every object under an s3:// run directory.
    func removeRemote(_ runURL: String) throws
    /// Deletes the objects directly under `logdirURL` whose names end with `suffix`.
    func removeRemoteFiles(in logdirURL: String, suffix: String) throws
    /// Runs `tbkit archive`.
    func archive(_ command: ArchiveCommand) throws
    /// Runs `tbkit extract`.
    func extract(_ command: ExtractCommand) throws
    /// Writes the archive of `logdir` to `path` (the bench's archive case).
    func writeArchive(of logdir: String, to path: String) throws
    /// Restores the archive at `path` into `directory` (the bench's extract case).
    func extractArchive(_ path: String, into directory: String) throws
    /// The bench's object-storage cases against `url`.
    func benchObjectStorage(_ command: BenchCommand, url: String) throws
}

/// The storage tools of this process, installed once at start (none in `tbkit`).
package enum Storage {
    private static let installed = Mutex<(any StorageTools)?>(nil)

    /// Installs the tools (`tbkit-storage` does, before parsing).
    package static func install(_ tools: any StorageTools) {
        installed.withLock { $0 = tools }
        tools.registerRemoteLogdirs()
    }

    /// The installed tools, or an error that says which binary has them.
    static func tools(for what: String) throws -> any StorageTools {
        if let tools = installed.withLock({ $0 }) { return tools }
        throw CommandFailure(
            "\(what) needs \(StorageForwarding.toolName), the tbkit build that links archives and object storage; "
                + "build it with `swift build -c release --product \(StorageForwarding.toolName)`")
    }
}

/// How `tbkit` hands a command over to `tbkit-storage`: archive, extract and bench, and any
/// command given an s3:// argument, run there (the same command line, the same process id: it is
/// an exec), found beside the running executable.
package enum StorageForwarding {
    /// The executable that links archives and object storage.
    package static let toolName = "tbkit-storage"

    /// Subcommands that always need the storage tools.
    static let storageCommands: Set<String> = ["archive", "extract", "bench"]

    /// Whether `arguments` (argv, program name first) need the storage tools.
    package static func needsStorage(_ arguments: [String]) -> Bool {
        let rest = arguments.dropFirst()
        if let sub = rest.first(where: { !$0.hasPrefix("-") }), storageCommands.contains(sub) { return true }
        if rest.contains(where: { $0.hasPrefix("s3://") || $0.contains("=s3://") }) { return true }
        // A TBKit archive read in place (inspect, export, compare, report).
        return rest.contains { !$0.hasPrefix("-") && LogSources.isTBKitArchive($0) }
    }

    /// Replaces this process with `tbkit-storage` when `arguments` need it; returns when they do
    /// not. When the tool is not built, prints how to build it and exits 1.
    package static func forwardIfNeeded(_ arguments: [String] = CommandLine.arguments) {
        guard needsStorage(arguments) else { return }
        let tool = siblingPath()
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            let sub = arguments.dropFirst().first(where: { !$0.hasPrefix("-") }) ?? ""
            let what = storageCommands.contains(sub) ? "tbkit \(sub)" : "an s3:// location"
            printError(
                "tbkit: error: \(what) runs \(tool), which is not built; build it with "
                    + "`swift build -c release --product \(toolName)` (or `swift build` for debug)")
            exit(EXIT_FAILURE)
        }
        var argv: [UnsafeMutablePointer<CChar>?] = ([tool] + arguments.dropFirst()).map { strdup($0) }
        argv.append(nil)
        execv(tool, argv)
        printError("tbkit: error: cannot run \(tool): \(String(cString: strerror(errno)))")
        exit(EXIT_FAILURE)
    }

    /// `tbkit-storage` in the directory of the running executable (symlinks resolved).
    static func siblingPath() -> String {
        let me =
            Bundle.main.executableURL?.resolvingSymlinksInPath()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return me.deletingLastPathComponent().appendingPathComponent(toolName).path
    }
}
