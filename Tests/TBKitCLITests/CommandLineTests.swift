import Foundation
import TBKitTestSupport
import Testing

/// The binary is missing where the tests expect it: a test fails, it is never skipped.
struct BinaryMissing: Error, CustomStringConvertible {
    let path: String
    var description: String { "no tbkit binary at \(path): build it first (swift build)" }
}

/// A class of this test module, whose bundle is the test bundle.
private final class BundleMarker {}

/// The `tbkit` binary built beside the tests: exit codes, one-line failures, key lines of output.
@Suite struct CommandLineTests {
    /// The `tbkit` SwiftPM built with these tests. SwiftPM puts executables in the same products
    /// directory as the test bundle (`.build/<triple>/<configuration>/`); the bundle is a single
    /// executable on Linux and a `.xctest` directory on Darwin, and the process running the tests
    /// may be a runner elsewhere (xctest, swiftpm-testing-helper), so the products directory is
    /// found from the bundle holding this code, then from the main executable, then from this
    /// source file's place in the package (`.build/debug`, `.build/release`).
    static let binary: String = {
        var directories = [Bundle(for: BundleMarker.self).bundleURL.deletingLastPathComponent()]
        if let main = Bundle.main.executableURL { directories.append(main.deletingLastPathComponent()) }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        directories += ["debug", "release"].map { package.appendingPathComponent(".build/" + $0) }
        let candidates = directories.map { $0.appendingPathComponent("tbkit").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }()

    func run(_ arguments: [String], binary: String = Self.binary, environment: [String: String] = [:]) throws -> (
        status: Int32, out: String, err: String
    ) {
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw BinaryMissing(path: binary) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func verifyExitsZeroForSoundFilesOneForDamagedTwoForUsage() throws {
        let sound = try run(["verify", Fixtures.directory])
        #expect(sound.status == 0)
        #expect(sound.out.contains("2 files checked, 19 sound records, 0 with problems"))

        let dir = TemporaryDirectory()
        var bytes = sampleEventFile(scalars: 3)
        bytes[60] ^= 1
        let damaged = dir.write("events.out.tfevents.1.h", bytes)
        let bad = try run(["verify", damaged])
        #expect(bad.status == 1)
        #expect(bad.out.contains("byte 40 [bad-data-crc]"))

        let cut = dir.write("events.out.tfevents.2.h", Array(sampleEventFile(scalars: 3).dropLast(5)))
        let truncated = try run(["verify", cut])
        #expect(truncated.status == 1)
        #expect(truncated.out.contains("truncated tail"))
        #expect(truncated.out.contains("after 3 complete records"))

        #expect(try run(["verify", "/nonexistent/path"]).status == 2)
        #expect(try run(["verify"]).status == 2)
    }

    @Test func unknownOptionsAndBadValuesAreUsageErrorsWithStatusTwo() throws {
        let bogus = try run(["verify", "--bogus"])
        #expect(bogus.status == 2)
        #expect(bogus.err.contains("--bogus"))
        #expect(try run(["export", Fixtures.directory, "--stats"]).status == 2)
        #expect(try run(["archive", Fixtures.directory, "/tmp/x.tar.gz", "--level", "12"]).status == 2)
        #expect(try run(["inspect", "/nonexistent/logdir"]).status == 2)
        #expect(try run(["no-such-command"]).status == 2)
    }

    @Test func aRuntimeFailureIsOneErrorLineWithoutUsageTextAndStatusOne() throws {
        let dir = TemporaryDirectory()
        let failed = try run(["extract", dir.path + "/missing.tar.gz", dir.path + "/out"])
        #expect(failed.status == 1)
        let lines = failed.err.split(separator: "\n")
        #expect(lines.count == 1, "\(failed.err)")
        #expect(failed.err.hasPrefix("tbkit: error: "))
        #expect(!failed.err.contains("Usage"))
    }

    @Test func overwriteIsTheOneReplaceFlagOfArchiveAndExtract() throws {
        let dir = TemporaryDirectory()
        let archive = dir.path + "/fixtures.tar.gz"
        #expect(try run(["archive", Fixtures.directory, archive]).status == 0)
        let again = try run(["archive", Fixtures.directory, archive])
        #expect(again.status == 1)
        #expect(again.err.contains("--overwrite"), "\(again.err)")
        #expect(try run(["archive", "--overwrite", Fixtures.directory, archive]).status == 0)

        #expect(try run(["extract", archive, dir.path + "/out"]).status == 0)
        let refused = try run(["extract", archive, dir.path + "/out"])
        #expect(refused.status == 1)
        #expect(refused.err.contains("--overwrite"), "\(refused.err)")
        #expect(try run(["extract", "--overwrite", archive, dir.path + "/out"]).status == 0)
        #expect(try run(["extract", "--force", archive, dir.path + "/out"]).status == 2)
    }

    @Test func everyReadingCommandHasHelpWithAnExample() throws {
        for command in ["inspect", "export", "compare", "verify"] {
            let help = try run([command, "--help"])
            #expect(help.status == 0)
            #expect(help.out.contains("tbkit \(command) "), "\(command) --help has no example")
        }
    }

    @Test func inspectJSONAndExportCSVDescribeTheFixtures() throws {
        let json = try run(["inspect", Fixtures.directory, "--json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        #expect((object?["runs"] as? [Any])?.count == 2)
        let csv = try run(["export", Fixtures.directory, "--run", "tensorflow-style"])
        #expect(
            csv.out == """
                run,tag,step,wall_time,value
                tensorflow-style,eval/accuracy,0,1700000100.0,0.75
                tensorflow-style,eval/accuracy,1,1700000101.0,0.0
                tensorflow-style,eval/accuracy,2,1700000102.0,-2.5
                tensorflow-style,eval/precise,7,1700000130.0,0.1

                """)
    }

    @Test func archiveAndExtractRunInTbkitAloneWithNoSecondExecutable() throws {
        // A copy of tbkit alone in a directory of its own archives and extracts: nothing is
        // handed over to another binary.
        let dir = TemporaryDirectory()
        let alone = dir.path + "/bin/tbkit"
        try FileManager.default.createDirectory(atPath: dir.path + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.binary, toPath: alone)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/bin") == ["tbkit"])

        let archive = dir.path + "/fixtures.tar.gz"
        let packed = try run(["archive", Fixtures.directory, archive], binary: alone)
        #expect(packed.status == 0)
        #expect(packed.out.contains("archived"))
        let restored = try run(["extract", archive, dir.path + "/restored"], binary: alone)
        #expect(restored.status == 0)
        #expect(restored.out.contains("all checksums verified"))
        #expect(try run(["verify", dir.path + "/restored"], binary: alone).status == 0)
    }

    @Test func anS3ArgumentIsHandledByTbkitItself() throws {
        // Without credentials the S3 client refuses with its own message (exit 1, one line): the
        // argument reached TBKitS3 inside tbkit, not a "not built" refusal.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["inspect", "s3://bucket/logs"]
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("AWS_") || key.hasPrefix("TBKIT_S3") {
            environment[key] = nil
        }
        environment["HOME"] = TemporaryDirectory().path
        p.environment = environment
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        #expect(!e.contains("not built"))
        #expect(e.hasPrefix("tbkit: error: "))
        #expect(e.split(separator: "\n").count == 1)
    }

    @Test func theSoftwareCRCPathWritesWhatTheHardwarePathVerifiesAndBenchNamesThePath() throws {
        // TBKIT_CRC32C=software takes the path a CPU without the CRC32C instruction takes.
        let dir = TemporaryDirectory()
        let software = try run(
            ["write-sample", dir.path + "/soft", "--steps", "20"], environment: ["TBKIT_CRC32C": "software"])
        #expect(software.status == 0)
        let verified = try run(["verify", dir.path + "/soft"])
        #expect(verified.status == 0)
        #expect(verified.out.contains("0 with problems"))

        let arguments = [
            "bench", "--scalars", "1000", "--histogram-values", "1000", "--repeats", "1", "--logdir-events", "0",
            "--no-peer",
        ]
        let forced = try run(arguments, environment: ["TBKIT_CRC32C": "software"])
        #expect(forced.status == 0)
        #expect(forced.out.contains("crc32c path in use: software (slicing-by-8), as TBKIT_CRC32C=software asks"))
        let native = try run(arguments)
        #expect(native.status == 0)
        #expect(native.out.contains("crc32c path in use: "))
    }
}
