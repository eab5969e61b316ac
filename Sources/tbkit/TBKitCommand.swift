import ArgumentParser
import TBKit

@main
struct TBKitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tbkit",
        abstract: "Train the weight-initialization study and work with TensorBoard log directories.",
        subcommands: [BenchCommand.self, WriteSampleCommand.self, ArchiveCommand.self, ExtractCommand.self]
    )
}
