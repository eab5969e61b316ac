import ArgumentParser
import SystemPackage
import TBKit
import TBKitArchive
import TBKitReport
import TBKitS3

/// `tbkit archive <logdir> <out.tar.gz>`: a deterministic, verifiable archive of a log directory.
package struct ArchiveCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Pack a log directory into a deterministic .tar.gz with a checksummed manifest.",
        discussion: """
            The archive is a standard tar.gz (GNU tar and Python's tarfile read it). Its first member, tbkit-manifest.json, lists every file with its size and SHA-256, and each run's tags with their step ranges. The same logdir always gives the same bytes: members are sorted, file mtimes are kept, owners are zeroed and modes normalized, and the gzip header carries no name or timestamp. At the archive root goes report.html, the page `tbkit report` makes of the logdir (listed in the manifest like any file; --no-report leaves it out), so the archive can be looked at in a browser with nothing installed. Restore with `tbkit extract`, which verifies every checksum.

            Example:
              tbkit archive logs runs-2026-11-23.tar.gz
              tbkit extract runs-2026-11-23.tar.gz restored-logs
            """
    )

    @Argument(help: "The log directory to archive.")
    package var logdir: String

    @Argument(help: "The archive to write (conventionally ending in .tar.gz), a path or s3://bucket/key.")
    package var output: String

    @Option(name: .long, help: "gzip level, 0 (store) to 9 (smallest).")
    package var level: Int32 = 6

    @OptionGroup(title: "Replacing")
    package var replace: OverwriteOption

    @Flag(name: .long, help: "Leave report.html (the page of `tbkit report`) out of the archive.")
    package var noReport = false

    /// An instance with every option at its default (what ArgumentParser starts from).
    package init() {}

    package func validate() throws {
        guard (0...9).contains(level) else { throw ValidationError("--level must be between 0 and 9, not \(level).") }
    }

    package func run() throws {
        var archiver = LogArchiver(logdir: logdir, level: level, overwrite: replace.overwrite)
        if !noReport {
            // Built while the archiver reads and compresses the logdir's files.
            let logdir = logdir
            archiver.generatedFiles = [LogArchiver.GeneratedFile(name: Self.reportName) { try Self.report(of: logdir) }]
        }
        let summary: LogArchiver.Summary
        do {
            if ObjectStorage.isRemote(output) {
                // Written to a scratch file, then streamed up in 8 MiB multipart parts.
                let location = try S3Location(url: output)
                let client = try S3Client.fromEnvironment()
                if !replace.overwrite, try client.headObject(bucket: location.bucket, key: location.key) != nil {
                    throw CommandFailure("\(output) exists; pass --overwrite to replace it")
                }
                let scratch = try ObjectStorage.Scratch()
                defer { scratch.cleanUp() }
                let file = FilePath(scratch.path).appending("archive.tar.gz").string
                summary = try archiver.write(to: file)
                try S3Transfer.upload(file, client: client, to: location)
            } else {
                summary = try archiver.write(to: output)
            }
        } catch LogArchiveError.archiveExists(let path) {
            throw CommandFailure("\(LogArchiveError.archiveExists(path: path)); pass --overwrite to replace it")
        }
        let runs = summary.manifest.runs ?? []
        print(
            "archived \(summary.files) files, \(summary.directories) directories, \(summary.symlinks) symlinks "
                + "(\(summary.contentBytes) bytes; \(runs.count) runs, \(runs.reduce(0) { $0 + $1.tags.count }) tags) "
                + "into \(shown(output)) (\(summary.archiveBytes) bytes)")
    }

    /// The name of the report an archive holds.
    package static let reportName = "report.html"

    /// The report page of `logdir`. Its title names no path, so the same event files give the
    /// same page wherever the logdir lives (and the archive stays deterministic).
    package static func report(of logdir: String) throws -> [UInt8] {
        var data = try ReportBuilder().build(logdir: logdir)
        data.logdir = "the archived log directory"
        for problem in data.problems { printError("warning: report: [\(problem.run)] \(problem.message)") }
        return try ReportPage.render(data)
    }
}
