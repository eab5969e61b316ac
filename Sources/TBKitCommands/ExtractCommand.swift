import ArgumentParser
import Foundation
import SystemPackage
import TBKit
import TBKitArchive
import TBKitS3

/// `tbkit extract <archive> <dest>`: restores a `tbkit archive`, verifying every file.
package struct ExtractCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Restore a log archive made by `tbkit archive`, verifying every size and SHA-256.",
        discussion: """
            Every member is checked against the archive's manifest. Absolute paths, '..' components, links leaving the destination, device files and FIFOs are refused, as is overwriting an existing file (unless --force). Files are written under temporary names and moved into place only after the whole archive has verified, so a damaged archive leaves the destination as it was; the error names the first bad member.

            Example:
              tbkit extract runs-2026-11-23.tar.gz restored-logs
              tbkit extract --overwrite runs-2026-11-23.tar.gz logs
            """
    )

    @Argument(help: "The archive to read (.tar.gz written by `tbkit archive`), a path or s3://bucket/key.")
    package var archive: String

    @Argument(help: "The directory to restore into (created if missing).")
    package var destination: String

    @OptionGroup(title: "Replacing")
    package var replace: OverwriteOption

    /// An instance with every option at its default (what ArgumentParser starts from).
    package init() {}

    package func run() throws {
        var source = archive
        var scratch: ObjectStorage.Scratch?
        defer { scratch?.cleanUp() }
        if ObjectStorage.isRemote(archive) {
            // Streamed down by ranged GETs into a scratch file; every check of extract applies.
            let location = try S3Location(url: archive)
            let space = try ObjectStorage.Scratch()
            scratch = space
            source = FilePath(space.path).appending((location.key as NSString).lastPathComponent).string
            try S3Transfer.download(location, client: try S3Client.fromEnvironment(), to: source)
        }
        let extractor = LogExtractor(archive: source, destination: destination, overwrite: replace.overwrite)
        let summary: LogExtractor.Summary
        do {
            summary = try extractor.extract()
        } catch let error as LogArchiveError {
            if case .wouldOverwrite = error {
                throw CommandFailure("\(error); pass --overwrite to replace existing files")
            }
            throw error
        }
        print(
            "restored \(summary.files) files, \(summary.directories) directories, \(summary.symlinks) symlinks, "
                + "\(summary.hardlinks) hard links (\(summary.contentBytes) bytes, all checksums verified) into \(shown(destination))"
        )
    }
}
