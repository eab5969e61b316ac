import Foundation
import TBKit
import TBKitS3Core

/// An `s3://bucket/prefix` read in place as a log source: its runs come from one listing of the
/// prefix (a run is a key "directory" that directly holds event files, as on disk), and its event
/// files are read by `S3ObjectReader` (ranged GETs, bounded read-ahead, no local copy).
///
/// `S3Storage.register()` plugs it into `LogSources`; `S3Reading.open(_:)` also reads a URL
/// naming one object: an event file, or an archive made by `tbkit archive`, read in place.
package struct S3LogSource: LogSource {
    /// The prefix, as given.
    package let label: String
    private let location: S3Location

    /// The prefix at `location`, labelled `label` (its URL as given).
    package init(location: S3Location, label: String) {
        self.location = location
        self.label = label
    }

    /// Lists the prefix; each event file is remembered with its size and ETag for its readers.
    package func discover() throws(LogSourceError) -> [RunDirectory] {
        let client = try S3Reading.client(for: label)
        let prefix = location.directoryPrefix
        let objects: [S3Object]
        do throws(S3Error) {
            objects = try client.listAllObjects(bucket: location.bucket, prefix: prefix)
        } catch {
            throw .remote(source: label, reason: error.description)
        }
        if objects.isEmpty {
            throw .remote(
                source: label,
                reason:
                    "s3://\(location.bucket)/\(prefix): no objects under this prefix; check the bucket and the prefix")
        }
        let root = "s3://\(location.bucket)/\(prefix)"
        var files: [String: [(name: String, url: String)]] = [:]
        for object in objects {
            let relative = object.key.dropFirst(prefix.count)
            guard let name = relative.split(separator: "/", omittingEmptySubsequences: false).last,
                RunDirectory.isEventFileName(String(name))
            else { continue }
            let parent = relative.dropLast(name.count + (relative.count > name.count ? 1 : 0))
            let url = root + relative
            S3Reading.remember(object, url: url)
            files[parent.isEmpty ? "." : String(parent), default: []].append((String(name), url))
        }
        let base = LogSources.trimmed(label)
        return files.keys.sortedShared().map { run in
            let sorted = (files[run] ?? []).sortedShared { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            return RunDirectory(name: run, path: run == "." ? base : base + "/" + run, eventFiles: sorted.map(\.url))
        }
    }

    /// Objects of this prefix that failed while read, one sentence each (the command fails).
    package var damage: [String] {
        S3Reading.failures(under: "s3://\(location.bucket)/\(location.directoryPrefix)")
    }
}

/// One object named by URL read as an event file: one run named ".".
package struct S3EventFileSource: LogSource {
    /// The object's URL.
    package let label: String

    /// The object at `url`.
    package init(url: String) { label = url }

    /// The one run.
    package func discover() throws(LogSourceError) -> [RunDirectory] {
        [RunDirectory(name: ".", path: label, eventFiles: [label])]
    }

    /// The object's read failure, if it had one.
    package var damage: [String] { S3Reading.failures(under: label) }
}
