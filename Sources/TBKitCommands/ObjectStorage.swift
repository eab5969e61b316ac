import Foundation
import SystemPackage
import TBKit
import TBKitS3

/// s3:// arguments of the writing commands: exports and archives go up through a temporary local
/// file streamed with multipart upload, `extract` brings an archive down through one by ranged
/// GETs. (Reading commands read s3:// sources in place, through `LogSources`.) The
/// object-storage work itself is TBKitS3's, with a client from the environment.
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

    /// Uploads the local file at `path` to the s3:// object `url`, or, when `path` is a
    /// directory, every file under it to the same relative keys under the prefix `url`.
    static func upload(_ path: String, to url: String) throws {
        let location = try S3Location(url: url)
        let client = try S3Client.fromEnvironment()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            try S3Transfer.upload(path, client: client, to: location)
            return
        }
        let files = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []).sorted()
        for relative in files {
            var isSubdirectory: ObjCBool = false
            let file = path + "/" + relative
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isSubdirectory), !isSubdirectory.boolValue
            else { continue }
            try S3Transfer.upload(file, client: client, to: location.appending(relative))
        }
    }

    /// Joins a run name onto a logdir: a local path with swift-system's `FilePath`, an `s3://` URL
    /// as text (its key is no filesystem path, and `FilePath` would fold the `//` of `s3://`).
    static func join(_ logdir: String, _ name: String) -> String {
        if isRemote(logdir) { return logdir.hasSuffix("/") ? logdir + name : logdir + "/" + name }
        return FilePath(logdir).appending(name).string
    }

    /// The keys of the event files already under an s3:// run directory.
    static func remoteEventFiles(_ runURL: String) throws -> [String] {
        let location = try S3Location(url: runURL)
        let objects = try S3Client.fromEnvironment().listAllObjects(
            bucket: location.bucket, prefix: location.directoryPrefix)
        return objects.map(\.key).filter { RunDirectory.isEventFileName(($0 as NSString).lastPathComponent) }
    }

    /// Deletes every object under an s3:// run directory (`train --overwrite`).
    static func removeRemote(_ runURL: String) throws {
        let location = try S3Location(url: runURL)
        let client = try S3Client.fromEnvironment()
        for object in try client.listAllObjects(bucket: location.bucket, prefix: location.directoryPrefix) {
            try client.deleteObject(bucket: location.bucket, key: object.key)
        }
    }

    /// Deletes the objects directly under `logdirURL` whose names end with `suffix`.
    static func removeRemoteFiles(in logdirURL: String, suffix: String) throws {
        let location = try S3Location(url: logdirURL)
        let client = try S3Client.fromEnvironment()
        for object in try client.listAllObjects(bucket: location.bucket, prefix: location.directoryPrefix) {
            let rest = object.key.dropFirst(location.directoryPrefix.count)
            if !rest.contains("/"), rest.hasSuffix(suffix) {
                try client.deleteObject(bucket: location.bucket, key: object.key)
            }
        }
    }
}
