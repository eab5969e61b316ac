import Foundation
import TBKit

/// The sources of a reading command: paths and s3:// URLs opened through `LogSources` (a log
/// directory, an event file, or a registered kind: archives, s3:// prefixes and objects read in
/// place), each read once however often it is given.
struct ReadingSources {
    /// The labels of the sources, in the order given, repeats left out.
    var labels: [String]
    /// Their runs, named among them all (see `LogSources.runs(of:)`).
    var runs: [SourcedRun]

    /// Opens `paths` and runs `body` with their runs; damage met in a source (a corrupt archive,
    /// an s3:// object that failed while read) fails the command after `body`.
    static func with<T>(_ paths: [String], _ body: (ReadingSources) throws -> T) throws -> T {
        var seen: Set<String> = []
        var sources: [any LogSource] = []
        for path in paths {
            let identity = ObjectStorage.isRemote(path) ? LogSources.trimmed(path) : LogSources.identity(of: path)
            guard seen.insert(identity).inserted else { continue }
            sources.append(try LogSources.open(path))
        }
        let runs = try LogSources.runs(of: sources)
        let result = try body(ReadingSources(labels: sources.map { LogSources.trimmed($0.label) }, runs: runs))
        // Damage in a source (a corrupt archive): what could be read was, and the command fails.
        let damage = sources.flatMap(\.damage)
        if let last = damage.last {
            for sentence in damage.dropLast() { printError("tbkit: error: \(sentence)") }
            throw CommandFailure(last)
        }
        return result
    }

    /// More than one source: outputs say which source each run came from.
    var several: Bool { labels.count > 1 }
}
