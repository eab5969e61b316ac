import Foundation
import TBKit

/// The sources of a reading command: local paths opened through `LogSources` (a log directory,
/// an event file, or a registered kind), s3:// prefixes through a temporary local mirror, each
/// read once however often it is given.
struct ReadingSources {
    /// The labels of the sources, in the order given, repeats left out.
    var labels: [String]
    /// Their runs, named among them all (see `LogSources.runs(of:)`).
    var runs: [SourcedRun]

    /// Opens `paths` and runs `body` with their runs; mirrors of s3:// prefixes are removed after.
    static func with<T>(_ paths: [String], _ body: (ReadingSources) throws -> T) throws -> T {
        var scratches: [ObjectStorage.Scratch] = []
        defer { for scratch in scratches { scratch.cleanUp() } }
        var seen: Set<String> = []
        var sources: [any LogSource] = []
        for path in paths {
            if ObjectStorage.isRemote(path) {
                guard seen.insert(LogSources.trimmed(path)).inserted else { continue }
                var scratch: ObjectStorage.Scratch?
                let local = try ObjectStorage.localLogdir(path, scratch: &scratch)
                if let scratch { scratches.append(scratch) }
                sources.append(LocalLogdir(path: local, label: path))
            } else {
                guard seen.insert(LogSources.identity(of: path)).inserted else { continue }
                sources.append(try LogSources.open(path))
            }
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
