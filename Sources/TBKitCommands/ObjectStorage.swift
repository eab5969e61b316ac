import Foundation
import TBKit

/// s3:// arguments of the commands. Logdirs are read from a temporary local mirror (listing, then
/// each object by ranged GETs streamed to disk), removed when the command ends; archives go up
/// and come down through a temporary local file streamed with multipart upload / ranged GETs.
/// The object-storage work itself is `StorageTools`' (in `tbkit-storage`).
package enum ObjectStorage {
    /// True for `s3://...`.
    package static func isRemote(_ path: String) -> Bool { path.hasPrefix("s3://") }

    /// A scratch directory, removed by `cleanUp`.
    package final class Scratch {
        package let path: String
        package init() throws {
            let base = NSTemporaryDirectory() + "tbkit-s3-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
            path = base
        }
        package func cleanUp() { try? FileManager.default.removeItem(atPath: path) }
        deinit { cleanUp() }
    }

    /// A local path for `path`: itself when local; for s3://, a mirror of the prefix (or of the
    /// single object, when the key names one) in `scratch`.
    static func localLogdir(_ path: String, scratch: inout Scratch?) throws -> String {
        guard isRemote(path) else { return path }
        let tools = try Storage.tools(for: "reading \(path)")
        let space = try Scratch()
        scratch = space
        return try tools.mirror(path, into: space.path)
    }

    /// Runs `body` with a local path for `path` (`localLogdir`); the mirror, if one was made, is
    /// removed afterwards.
    static func withLocalLogdir<T>(_ path: String, _ body: (String) throws -> T) throws -> T {
        var scratch: Scratch?
        defer { scratch?.cleanUp() }
        return try body(try localLogdir(path, scratch: &scratch))
    }

    /// Joins a run name onto a logdir, keeping `s3://` intact (NSString would fold its `//`).
    static func join(_ logdir: String, _ name: String) -> String {
        if isRemote(logdir) { return logdir.hasSuffix("/") ? logdir + name : logdir + "/" + name }
        return (logdir as NSString).appendingPathComponent(name)
    }

    /// The keys of the event files already under an s3:// run directory.
    static func remoteEventFiles(_ runURL: String) throws -> [String] {
        try Storage.tools(for: "writing to \(runURL)").remoteEventFileKeys(runURL)
    }

    /// Deletes every object under an s3:// run directory (`train --overwrite`).
    static func removeRemote(_ runURL: String) throws {
        try Storage.tools(for: "writing to \(runURL)").removeRemote(runURL)
    }

    /// Deletes the objects directly under `logdirURL` whose names end with `suffix`.
    static func removeRemoteFiles(in logdirURL: String, suffix: String) throws {
        try Storage.tools(for: "writing to \(logdirURL)").removeRemoteFiles(in: logdirURL, suffix: suffix)
    }
}
