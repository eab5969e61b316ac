import ArgumentParser
import TBKit

struct TBKitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tbkit",
        abstract: "Train the weight-initialization study and work with TensorBoard log directories.",
        subcommands: [
            TrainCommand.self, InspectCommand.self, ExportCommand.self, CompareCommand.self, VerifyCommand.self,
            BenchCommand.self, BenchMatmulCommand.self, WriteSampleCommand.self, DemoPluginsCommand.self,
            ArchiveCommand.self, ExtractCommand.self, ReportCommand.self, WatchCommand.self,
            LogLoopCommand.self, DemoWriterAPICommand.self, AggregateCommand.self,
        ]
    )
}
