import ArgumentParser
import TBKit

/// `tbkit verify`: checks every record of event files.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record of event files: CRCs, Event decoding, file_version first.",
        discussion: """
            Each path may be an event file or a directory (every event file under it is checked), \
            or an s3:// prefix, event file or archive, read in place. \
            For each file: the number of sound records, bytes, and every problem with its byte \
            offset: a bad length CRC (the rest of the file cannot be framed), a bad data CRC or an \
            undecodable Event (that record is lost), a first record that is not file_version, and \
            a truncated tail (the file ends inside a record; the count of complete records before \
            it is given). A truncated tail on a file that is still being written is expected.

            Exit status: 0 every file sound, 1 some file damaged or truncated, 2 usage error \
            (no path given, a path that does not exist, an option the parser does not know).

            Examples:
              tbkit verify logs
              tbkit verify logs/run-1/events.out.tfevents.1700000000.host
            """
    )

    @Argument(help: "Event files or log directories.")
    var paths: [String] = []

    @Flag(help: "List only files with problems.")
    var quiet = false

    /// A usage error: exit status 2, so scripts can tell it from damage (status 1).
    func usageError(_ message: String) -> ValidationError {
        ValidationError(message)
    }

    func run() throws {
        if paths.isEmpty { throw usageError("give at least one event file or log directory") }
        var files: [String] = []
        for path in paths {
            if ObjectStorage.isRemote(path) {
                // A prefix, event file or archive read in place; its failures are runtime errors.
                let runs = try LogSources.open(path).discover()
                if runs.isEmpty { printError("warning: \(path): no event files found") }
                for run in runs { files += run.eventFiles }
                continue
            }
            do {
                let runs = try RunDirectory.discover(logdir: path)
                if runs.isEmpty { printError("warning: \(path): no event files found") }
                for run in runs { files += run.eventFiles }
            } catch {
                throw usageError(error.description)
            }
        }
        let out = try TextOutput(forPerson: true)
        var damaged = 0
        var records = 0
        for file in files {
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
        out.write(
            "\(files.count) file\(files.count == 1 ? "" : "s") checked, \(records) sound records, \(damaged) with problems\n"
        )
        try out.close()
        if damaged > 0 { throw ExitCode(1) }
    }
}
