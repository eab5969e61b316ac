import Foundation
import TBKit
import TBKitS3

/// s3:// arguments of the commands. Logdirs are read from a temporary local mirror (listing, then
/// each object by ranged GETs streamed to disk), removed when the command ends; archives go up
/// and come down through a temporary local file streamed with multipart upload / ranged GETs.
enum ObjectStorage {
    /// True for `s3://...`.
    static func isRemote(_ path: String) -> Bool { path.hasPrefix("s3://") }

    /// A client from the environment.
    static func client() throws -> S3Client { try S3Client.fromEnvironment() }

    /// A scratch directory, removed by `cleanUp`.
    final class Scratch {
        let path: String
        init() throws {
            let base = NSTemporaryDirectory() + "tbkit-s3-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
            path = base
        }
        func cleanUp() { try? FileManager.default.removeItem(atPath: path) }
        deinit { cleanUp() }
    }

    /// A local path for `path`: itself when local; for s3://, a mirror of the prefix (or of the
    /// single object, when the key names one) in `scratch`.
    static func localLogdir(_ path: String, scratch: inout Scratch?) throws -> String {
        guard isRemote(path) else { return path }
        let location = try S3Location(url: path)
        let client = try client()
        let space = try Scratch()
        scratch = space
        let root = space.path + "/" + (location.bucket)
        if !location.key.isEmpty, !location.key.hasSuffix("/"),
            let object = try client.headObject(bucket: location.bucket, key: location.key), object.size >= 0,
            RunDirectory.isEventFileName((location.key as NSString).lastPathComponent)
        {
            let file = root + "/" + (location.key as NSString).lastPathComponent
            try S3Transfer.download(location, client: client, to: file)
            return file
        }
        try S3Transfer.mirror(location, client: client, into: root)
        return root
    }

    /// Joins a run name onto a logdir, keeping `s3://` intact (NSString would fold its `//`).
    static func join(_ logdir: String, _ name: String) -> String {
        if isRemote(logdir) { return logdir.hasSuffix("/") ? logdir + name : logdir + "/" + name }
        return (logdir as NSString).appendingPathComponent(name)
    }

    /// The event files already under an s3:// run directory.
    static func remoteEventFiles(_ runURL: String) throws -> [S3Object] {
        let location = try S3Location(url: runURL)
        return try client().listAllObjects(bucket: location.bucket, prefix: location.directoryPrefix).filter {
            RunDirectory.isEventFileName(($0.key as NSString).lastPathComponent)
        }
    }

    /// Deletes every object under an s3:// run directory (`train --overwrite`).
    static func removeRemote(_ runURL: String) throws {
        let location = try S3Location(url: runURL)
        let client = try client()
        for object in try client.listAllObjects(bucket: location.bucket, prefix: location.directoryPrefix) {
            try client.deleteObject(bucket: location.bucket, key: object.key)
        }
    }

    /// Deletes the objects directly under `logdirURL` whose names end with `suffix`.
    static func removeRemoteFiles(in logdirURL: String, suffix: String) throws {
        let location = try S3Location(url: logdirURL)
        let client = try client()
        let page = try client.listAllObjects(bucket: location.bucket, prefix: location.directoryPrefix)
        for object in page {
            let rest = object.key.dropFirst(location.directoryPrefix.count)
            if !rest.contains("/"), rest.hasSuffix(suffix) {
                try client.deleteObject(bucket: location.bucket, key: object.key)
            }
        }
    }
}
