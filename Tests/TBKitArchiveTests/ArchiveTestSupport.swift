import Foundation
import TBKitCrypto

@testable import TBKit
@testable import TBKitArchive

/// Small helpers shared by the archive tests (their directories are `TemporaryDirectory`s).
enum ArchiveTestSupport {
    static func write(_ bytes: [UInt8], to path: String, mtime: Int = 1_700_000_000) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: Double(mtime))], ofItemAtPath: path)
    }

    /// A logdir with nested runs, a long (pax) name, a non-ASCII name, an empty file, an empty directory.
    static func makeLogdir(at root: String) throws -> [String: [UInt8]] {
        let long =
            "run-b/" + String(repeating: "deep/", count: 25) + "events.out.tfevents.1700000000.host.with.a.long.name"
        var files: [String: [UInt8]] = [
            "run-a/events.out.tfevents.1700000000.host": (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 13 >> 3) },
            "run-a/nested/run-c/events.out.tfevents.1700000001.host": Array("nested".utf8),
            long: [UInt8](repeating: 42, count: 1234),
            "run-b/empty.txt": [],
            "run-ü/notes-日本.txt": Array("hello".utf8),
        ]
        files["top.json"] = Array("{}".utf8)
        for (path, bytes) in files { try write(bytes, to: root + "/" + path) }
        try FileManager.default.createDirectory(atPath: root + "/empty-run", withIntermediateDirectories: true)
        return files
    }

    static func readTree(_ root: String) throws -> [String: [UInt8]] {
        var result = [String: [UInt8]]()
        guard let walker = FileManager.default.enumerator(atPath: root) else { return result }
        for case let path as String in walker {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                result[path] = Array(FileManager.default.contents(atPath: root + "/" + path) ?? Data())
            }
        }
        return result
    }

    /// All names (files and directories) under `root`, to prove nothing partial was left.
    static func listing(_ root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).sorted()
    }

    /// Runs a program and returns its exit status and standard output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A gzip'd tar with a valid manifest for `files` followed by the members `body` writes.
    static func handmadeArchive(
        at path: String, manifestFiles: [ArchiveManifest.File], directories: [String] = [],
        _ body: (inout TarWriter) throws -> Void
    ) throws {
        final class Box { var bytes = [UInt8]() }
        let box = Box()
        var tar = TarWriter { box.bytes.append(contentsOf: $0) }
        let manifest = ArchiveManifest(directories: directories, files: manifestFiles, runs: nil)
        try tar.append(TarEntry(path: ArchiveManifest.memberName, kind: .regular), data: try manifest.encoded())
        try body(&tar)
        try tar.finish()
        try Data(try GZip.compress(box.bytes)).write(to: URL(fileURLWithPath: path))
    }

    static func row(_ path: String, _ bytes: [UInt8]) -> ArchiveManifest.File {
        .init(path: path, kind: .file, size: UInt64(bytes.count), sha256: SHA256.hash(data: bytes).hex, target: nil)
    }
}
