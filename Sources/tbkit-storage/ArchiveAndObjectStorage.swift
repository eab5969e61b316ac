import Foundation
import TBKit
import TBKitArchive
import TBKitCommands
import TBKitS3

/// The archive and object-storage work of the commands, on TBKitArchive and TBKitS3.
struct ArchiveAndObjectStorage: StorageTools {
    func registerRemoteLogdirs() { S3Storage.register() }

    /// A client from the environment.
    func client() throws -> S3Client { try S3Client.fromEnvironment() }

    func mirror(_ url: String, into directory: String) throws -> String {
        let location = try S3Location(url: url)
        let client = try client()
        let root = directory + "/" + location.bucket
        if !location.key.isEmpty, !location.key.hasSuffix("/"),
            let object = try client.headObject(bucket: location.bucket, key: location.key), object.size >= 0,
            RunDirectory.isEventFileName((location.key as NSString).lastPathComponent)
        {
            let file = root + "/" + (location.key as NSString).lastPathComponent
            try S3Transfer.download(location, client: client, to: file)
            return file
        }
        try S3Transfer.mirror(location, client: client, into: root)
        return root
    }

    func remoteEventFileKeys(_ runURL: String) throws -> [String] {
        let location = try S3Location(url: runURL)
        return try client().listAllObjects(bucket: location.bucket, prefix: location.directoryPrefix).map(\.key).filter
        {
            RunDirectory.isEventFileName(($0 as NSString).lastPathComponent)
        }
    }

    func removeRemote(_ runURL: String) throws {
        let location = try S3Location(url: runURL)
        let client = try client()
        for object in try client.listAllObjects(bucket: location.bucket, prefix: location.directoryPrefix) {
            try client.deleteObject(bucket: location.bucket, key: object.key)
        }
    }

    func removeRemoteFiles(in logdirURL: String, suffix: String) throws {
        let location = try S3Location(url: logdirURL)
        let client = try client()
        let page = try client.listAllObjects(bucket: location.bucket, prefix: location.directoryPrefix)
        for object in page {
            let rest = object.key.dropFirst(location.directoryPrefix.count)
            if !rest.contains("/"), rest.hasSuffix(suffix) {
                try client.deleteObject(bucket: location.bucket, key: object.key)
            }
        }
    }

    func writeArchive(of logdir: String, to path: String) throws {
        try LogArchiver(logdir: logdir).write(to: path)
    }

    func extractArchive(_ path: String, into directory: String) throws {
        try LogExtractor(archive: path, destination: directory).extract()
    }

    func archive(_ command: ArchiveCommand) throws {
        let logdir = command.logdir
        let output = command.output
        let level = command.level
        let replace = command.replace
        let noReport = command.noReport
        var archiver = LogArchiver(logdir: logdir, level: level, overwrite: replace.overwrite)
        if !noReport {
            // Built while the archiver reads and compresses the logdir's files.
            archiver.generatedFiles = [
                LogArchiver.GeneratedFile(name: ArchiveCommand.reportName) { try ArchiveCommand.report(of: logdir) }
            ]
        }
        let summary: LogArchiver.Summary
        do {
            if ObjectStorage.isRemote(output) {
                // Written to a scratch file, then streamed up in 8 MiB multipart parts.
                let location = try S3Location(url: output)
                let client = try client()
                if !replace.overwrite, try client.headObject(bucket: location.bucket, key: location.key) != nil {
                    throw CommandFailure("\(output) exists; pass --overwrite to replace it")
                }
                let scratch = try ObjectStorage.Scratch()
                defer { scratch.cleanUp() }
                let file = scratch.path + "/archive.tar.gz"
                summary = try archiver.write(to: file)
                try S3Transfer.upload(file, client: client, to: location)
            } else {
                summary = try archiver.write(to: output)
            }
        } catch LogArchiveError.archiveExists(let path) {
            throw CommandFailure(
                "\(LogArchiveError.archiveExists(path: path)); pass --overwrite to replace it")
        }
        let runs = summary.manifest.runs ?? []
        print(
            "archived \(summary.files) files, \(summary.directories) directories, \(summary.symlinks) symlinks "
                + "(\(summary.contentBytes) bytes; \(runs.count) runs, \(runs.reduce(0) { $0 + $1.tags.count }) tags) "
                + "into \(TerminalText.escaped(output)) (\(summary.archiveBytes) bytes)")
    }

    func extract(_ command: ExtractCommand) throws {
        let archive = command.archive
        let destination = command.destination
        let replace = command.replace
        var source = archive
        var scratch: ObjectStorage.Scratch?
        defer { scratch?.cleanUp() }
        if ObjectStorage.isRemote(archive) {
            // Streamed down by ranged GETs into a scratch file; every check of extract applies.
            let location = try S3Location(url: archive)
            let space = try ObjectStorage.Scratch()
            scratch = space
            source = space.path + "/" + ((location.key as NSString).lastPathComponent)
            try S3Transfer.download(location, client: try client(), to: source)
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
                + "\(summary.hardlinks) hard links (\(summary.contentBytes) bytes, all checksums verified) into \(TerminalText.escaped(destination))"
        )
    }
}
