import ArgumentParser
import Foundation
import TBKit

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

    package func run() throws { try Storage.tools(for: "tbkit extract").extract(self) }
}
