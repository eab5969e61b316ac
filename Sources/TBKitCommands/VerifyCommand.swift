import ArgumentParser
import TBKit

/// `tbkit verify`: checks every record of event files.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record of event files: CRCs, Event decoding, file_version first.",
        discussion: """
            Each source may be an event file, a log directory (every event file under it is \
            checked), a .tar.gz made by `tbkit archive` (read in place: each event file is checked \
            against the manifest's SHA-256, then record by record) or an s3:// prefix, event file or \
            archive, read in place. With several \
            sources the files are listed source by source, each group headed by its source. For \
            each file: the number of sound records, bytes, and every problem with its byte \
            offset: a bad length CRC (the rest of the file cannot be framed), a bad data CRC or an \
            undecodable Event (that record is lost), a first record that is not file_version, and \
            a truncated tail (the file ends inside a record; the count of complete records before \
            it is given). A truncated tail on a file that is still being written is expected.

            Exit status, the worst of all sources: 0 every file sound, 1 some file damaged or \
            truncated or an archive damaged (its member named), 2 usage error (no path given, a \
            path that does not exist or is not a source, an option the parser does not know).

            Examples:
              tbkit verify logs
              tbkit verify logs/run-1/events.out.tfevents.1700000000.host
              tbkit verify logs study.tar.gz
            """
    )

    @Argument(help: "Event files, log directories, archives or s3:// prefixes.")
    var paths: [String] = []

    @Flag(help: "List only files with problems.")
    var quiet = false

    /// A usage error: exit status 2, so scripts can tell it from damage (status 1).
    func usageError(_ message: String) -> ValidationError {
        ValidationError(message)
    }

    func run() throws {
        if paths.isEmpty { throw usageError("give at least one event file, log directory or archive") }
        // A damaged archive fails the command (status 1) once every file has been checked.
        let damaged = try ReadingSources.with(paths) { sources in try verify(sources) }
        if damaged > 0 { throw ExitCode(1) }
    }

    /// Checks every event file of every source, grouped by source when there are several;
    /// returns the number of files with problems.
    private func verify(_ sources: ReadingSources) throws -> Int {
        var files: [(source: String, file: String)] = []
        for label in sources.labels {
            let runs = sources.runs.filter { $0.source == label }
            if runs.isEmpty { printError("warning: \(label): no event files found") }
            for run in runs { files += run.run.eventFiles.map { (label, $0) } }
        }
        let out = try TextOutput(forPerson: true)
        var damaged = 0
        var records = 0
        var source: String?
        for (label, file) in files {
            if sources.several && label != source {
                source = label
                let count = files.filter { $0.source == label }.count
                out.write("source \(shown(label)): \(count) file\(count == 1 ? "" : "s")\n")
            }
            let v = FileVerification.verify(path: file)
            records += v.soundRecords
            if v.isSound {
                if !quiet { out.write("ok       \(shown(file)): \(v.soundRecords) records, \(v.bytes) bytes\n") }
                continue
            }
            damaged += 1
            let label = v.issues.allSatisfy({ $0.kind == .truncatedTail }) ? "TRUNCATED" : "DAMAGED "
            out.write(
                "\(label) \(shown(file)): \(v.soundRecords) sound records, \(v.damagedRecords) damaged, \(v.bytes) bytes\n"
            )
            for issue in v.issues {
                out.write(
                    "           byte \(issue.offset) [\(issue.kind.rawValue)]: \(TerminalText.escaped(issue.reason, limit: TerminalText.lineLimit))\n"
                )
            }
        }
        let from = sources.several ? " in \(sources.labels.count) sources" : ""
        out.write(
            "\(files.count) file\(files.count == 1 ? "" : "s") checked\(from), \(records) sound records, \(damaged) with problems\n"
        )
        try out.close()
        return damaged
    }
}
