import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit
@testable import TBKitArchive

/// The refusals that keep a hostile archive from writing outside the destination. The full
/// hostile set (built by Python's tarfile) is in Tests/Conformance/test_hostile_archives.py.
@Suite struct ArchiveExtractRefusalTests {
    /// Extracts and returns the error text; the destination must hold nothing afterwards.
    static func refusal(_ build: (String) throws -> Void) throws -> String {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        try build(base + "/bad.tar.gz")
        do {
            try LogExtractor(archive: base + "/bad.tar.gz", destination: base + "/dest").extract()
        } catch let error as LogArchiveError {
            #expect(
                !FileManager.default.fileExists(atPath: base + "/dest"),
                "dest was left behind: \(ArchiveTestSupport.listing(base + "/dest"))")
            return error.description
        }
        Issue.record("extraction succeeded")
        return ""
    }

    @Test func parentDirectoryComponentIsRefused() throws {
        let message = try Self.refusal { path in
            try ArchiveTestSupport.handmadeArchive(at: path, manifestFiles: [ArchiveTestSupport.row("ok.txt", [1])]) {
                tar in
                try tar.append(TarEntry(path: "ok.txt", kind: .regular), data: [1])
                try tar.append(TarEntry(path: "a/../../escape.txt", kind: .regular), data: [2])
            }
        }
        #expect(message.contains("'a/../../escape.txt'") && message.contains(".."))
    }

    @Test func absolutePathIsRefused() throws {
        let message = try Self.refusal { path in
            try ArchiveTestSupport.handmadeArchive(at: path, manifestFiles: []) { tar in
                try tar.append(TarEntry(path: "/tmp/tbkit-absolute", kind: .regular), data: [2])
            }
        }
        #expect(message.contains("'/tmp/tbkit-absolute'") && message.contains("absolute"))
    }

    @Test func symlinkOutOfTheDestinationIsRefused() throws {
        let message = try Self.refusal { path in
            try ArchiveTestSupport.handmadeArchive(at: path, manifestFiles: []) { tar in
                try tar.append(TarEntry(path: "etc", kind: .symlink, linkTarget: "/etc"))
            }
        }
        #expect(message.contains("'etc'") && message.contains("outside"))
    }

    @Test func symlinkClimbingAboveTheDestinationIsRefused() throws {
        let message = try Self.refusal { path in
            try ArchiveTestSupport.handmadeArchive(at: path, manifestFiles: []) { tar in
                try tar.append(TarEntry(path: "run/up", kind: .symlink, linkTarget: "../../.."))
            }
        }
        #expect(message.contains("'run/up'"))
    }

    @Test func fileWrittenThroughAnArchiveSymlinkIsRefused() throws {
        let message = try Self.refusal { path in
            let link = ArchiveManifest.File(path: "l", kind: .symlink, size: 0, sha256: nil, target: "d")
            try ArchiveTestSupport.handmadeArchive(
                at: path, manifestFiles: [link, ArchiveTestSupport.row("l/x", [1])],
                directories: ["d"]
            ) { tar in
                try tar.append(TarEntry(path: "d", kind: .directory))
                try tar.append(TarEntry(path: "l", kind: .symlink, linkTarget: "d"))
                try tar.append(TarEntry(path: "l/x", kind: .regular), data: [1])
            }
        }
        #expect(message.contains("'l/x'") && message.contains("symlink"))
    }

    @Test func hardLinkToAFileOutsideTheArchiveIsRefused() throws {
        let message = try Self.refusal { path in
            try ArchiveTestSupport.handmadeArchive(at: path, manifestFiles: []) { tar in
                try tar.append(TarEntry(path: "shadow", kind: .hardlink, linkTarget: "/etc/shadow"))
            }
        }
        #expect(message.contains("'shadow'"))
    }

    @Test func fifoAndDeviceMembersAreRefused() throws {
        for kind in [TarEntry.Kind.fifo, .characterDevice, .blockDevice] {
            let message = try Self.refusal { path in
                try ArchiveTestSupport.handmadeArchive(at: path, manifestFiles: []) { tar in
                    try tar.append(TarEntry(path: "node", kind: kind))
                }
            }
            #expect(message.contains("'node'") && message.contains(kind.name), "\(kind)")
        }
    }

    @Test func dataThatDiffersFromTheManifestIsRefusedAndNothingIsLeft() throws {
        let message = try Self.refusal { path in
            try ArchiveTestSupport.handmadeArchive(
                at: path,
                manifestFiles: [
                    ArchiveTestSupport.row("good", [1, 2]),
                    ArchiveTestSupport.row("run/bad", [1, 2, 3]),
                ],
                directories: ["run"]
            ) { tar in
                try tar.append(TarEntry(path: "good", kind: .regular), data: [1, 2])
                try tar.append(TarEntry(path: "run", kind: .directory))
                try tar.append(TarEntry(path: "run/bad", kind: .regular), data: [1, 2, 4])
            }
        }
        #expect(message.contains("'run/bad'") && message.contains("SHA-256"))
    }

    @Test func memberMissingFromTheManifestIsRefused() throws {
        let message = try Self.refusal { path in
            try ArchiveTestSupport.handmadeArchive(at: path, manifestFiles: []) { tar in
                try tar.append(TarEntry(path: "smuggled", kind: .regular), data: [1])
            }
        }
        #expect(message.contains("'smuggled'") && message.contains("manifest"))
    }

    @Test func existingFileIsKeptWithoutOverwriteAndReplacedWithIt() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        try ArchiveTestSupport.write([7], to: base + "/logs/run/a")
        try LogArchiver(logdir: base + "/logs").write(to: base + "/a.tar.gz")
        try ArchiveTestSupport.write([9, 9], to: base + "/dest/run/a")
        #expect {
            try LogExtractor(archive: base + "/a.tar.gz", destination: base + "/dest").extract()
        } throws: { error in
            // The library names no command-line flag; the CLI adds "--overwrite".
            guard case .wouldOverwrite(_, let path)? = error as? LogArchiveError else { return false }
            return path.hasSuffix("/dest/run/a") && !"\(error)".contains("--")
        }
        #expect(FileManager.default.contents(atPath: base + "/dest/run/a") == Data([9, 9]))
        #expect(ArchiveTestSupport.listing(base + "/dest") == ["run", "run/a"])
        try LogExtractor(archive: base + "/a.tar.gz", destination: base + "/dest", overwrite: true).extract()
        #expect(FileManager.default.contents(atPath: base + "/dest/run/a") == Data([7]))
    }

    @Test func truncatedArchiveNamesTheMemberAndLeavesNoPartialFile() throws {
        let message = try Self.refusal { path in
            let base = (path as NSString).deletingLastPathComponent
            // Incompressible content, so a cut in the middle of the file lands inside its data.
            var state: UInt64 = 88_172_645_463_325_252
            let noise = (0..<200_000).map { _ -> UInt8 in
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                return UInt8(truncatingIfNeeded: state)
            }
            try ArchiveTestSupport.write(noise, to: base + "/logs/run/events.out.tfevents.1.h")
            try LogArchiver(logdir: base + "/logs").write(to: base + "/whole.tar.gz")
            let whole = FileManager.default.contents(atPath: base + "/whole.tar.gz") ?? Data()
            try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
        }
        #expect(message.contains("'run/events.out.tfevents.1.h'") && message.contains("truncated"))
    }

    @Test func plainTarGzWithoutAManifestIsNotATBKitArchive() throws {
        let message = try Self.refusal { path in
            final class Box { var bytes = [UInt8]() }
            let box = Box()
            var tar = TarWriter { box.bytes.append(contentsOf: $0) }
            try tar.append(TarEntry(path: "x", kind: .regular), data: [1])
            try tar.finish()
            try Data(try GZip.compress(box.bytes)).write(to: URL(fileURLWithPath: path))
        }
        #expect(message.contains("not a TBKit log archive") && message.contains("'x'"))
    }
}

extension ArchiveExtractRefusalTests {
    /// "d/s" -> ".." lands on the root (fine on its own), but "d/a" -> "s/../x" would then climb
    /// out physically while staying inside lexically: a target through a symlink is refused.
    @Test func symlinkTargetThroughAnotherSymlinkIsRefused() throws {
        let message = try Self.refusal { path in
            let s = ArchiveManifest.File(path: "d/s", kind: .symlink, size: 0, sha256: nil, target: "..")
            let a = ArchiveManifest.File(path: "d/a", kind: .symlink, size: 0, sha256: nil, target: "s/../x")
            try ArchiveTestSupport.handmadeArchive(at: path, manifestFiles: [a, s], directories: ["d"]) { tar in
                try tar.append(TarEntry(path: "d", kind: .directory))
                try tar.append(TarEntry(path: "d/s", kind: .symlink, linkTarget: ".."))
                try tar.append(TarEntry(path: "d/a", kind: .symlink, linkTarget: "s/../x"))
            }
        }
        #expect(message.contains("'d/a'") && message.contains("'d/s'"))
    }
}
