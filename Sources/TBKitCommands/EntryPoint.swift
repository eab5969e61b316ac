import ArgumentParser
import Foundation
import TBKit
import TBKitArchive
import TBKitS3

/// The command line's contract with scripts, applied to every subcommand:
/// - a usage error (an unknown option, a missing or invalid argument, a path that does not
///   exist) prints ArgumentParser's message with the usage text and exits 2;
/// - a runtime failure prints one line, `tbkit: error: ...`, without the usage text, and exits 1;
/// - a command that documents its own exit codes (`verify`) throws `ExitCode`, which is kept;
/// - `--help` prints to standard output and exits 0.
package enum EntryPoint {
    /// Parses the command line and runs the subcommand; never returns. s3:// logdirs and
    /// `tbkit archive` files as sources are registered first, so every command takes them.
    package static func main() -> Never {
        S3Storage.register()
        ArchiveLogSource.register()
        var command: any ParsableCommand
        do {
            command = try TBKitCommand.parseAsRoot()
        } catch {
            let code = TBKitCommand.exitCode(for: error)
            if code == .validationFailure {
                printError(TBKitCommand.fullMessage(for: error))
                exit(usageStatus)
            }
            TBKitCommand.exit(withError: error)  // --help, --version: status 0
        }
        do {
            try command.run()
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch let error as ValidationError {
            let name = type(of: command).configuration.commandName.map { " \($0)" } ?? ""
            printError("tbkit: error: \(error.message) (see 'tbkit\(name) --help')")
            exit(usageStatus)
        } catch let error as LogDirectoryError {
            // A path that is not there is a usage mistake; a directory that cannot be read is not.
            printError("tbkit: error: \(error.description)")
            if case .notFound = error { exit(usageStatus) }
            exit(EXIT_FAILURE)
        } catch let error as LogSourceError {
            printError("tbkit: error: \(error.description)")
            if case .logdir(.notFound) = error { exit(usageStatus) }
            exit(EXIT_FAILURE)
        } catch {
            if TBKitCommand.exitCode(for: error) == .success { TBKitCommand.exit(withError: error) }
            printError("tbkit: error: \(oneLine(error))")
            exit(EXIT_FAILURE)
        }
        exit(EXIT_SUCCESS)
    }

    /// Exit status of a usage error (README's contract; ArgumentParser's own default is 64).
    static let usageStatus: Int32 = 2

    /// The error's description on one line (a runtime failure never prints more).
    static func oneLine(_ error: any Error) -> String {
        String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}

/// A runtime failure of a subcommand (not a usage mistake): printed as one line, exit status 1.
package struct CommandFailure: Error, CustomStringConvertible {
    /// What failed, where, and what to do.
    package let description: String

    package init(_ description: String) {
        self.description = description
    }
}

/// The flag that lets `train`, `archive` and `extract` replace what is already there.
package struct OverwriteOption: ParsableArguments {
    @Flag(name: .long, help: "Replace what is already there instead of refusing.")
    package var overwrite = false

    package init() {}
}
