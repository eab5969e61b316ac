import Foundation
import TBKitTestSupport
import Testing

/// A downloaded logdir whose run names and tags hold terminal escapes: `tbkit` shows them escaped
/// and never writes a raw ESC, BEL, C1 or bidi control to standard output or standard error.
@Suite struct HostileNameTests {
    /// Retitles the window, clears the screen (ESC and C1 CSI), and turns the line around.
    static let hostile = "x\u{1B}]0;pwned\u{7}\u{1B}[2J\u{9B}2J\u{202E}gpj.exe\u{2066}"

    /// Runs the binary and returns its raw output bytes (not decoded: an invalid byte must not
    /// hide as U+FFFD).
    func run(_ arguments: [String]) throws -> (status: Int32, out: [UInt8], err: [UInt8]) {
        let binary = CommandLineTests.binary
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw BinaryMissing(path: binary) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, [UInt8](o), [UInt8](e))
    }

    /// What in `bytes` a terminal would act on, if anything: bytes that are not UTF-8, C0 other
    /// than newline and tab, DEL, C1, or a bidi control (U+202A–U+202E, U+2066–U+2069).
    func terminalControl(in bytes: [UInt8]) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return "bytes that are not UTF-8" }
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x09: continue
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069:
                return "U+\(String(scalar.value, radix: 16))"
            default: continue
            }
        }
        return nil
    }

    /// A logdir with two runs named after `hostile`, each with a scalar tag named after it, and one
    /// of them damaged so `verify` names the file in its problem lines.
    func hostileLogdir(_ dir: TemporaryDirectory) -> String {
        let logdir = dir.path + "/logs"
        dir.write("logs/a" + Self.hostile + "/events.out.tfevents.1.h", sampleEventFile(scalars: 3, tag: Self.hostile))
        var damaged = sampleEventFile(scalars: 3, tag: "loss" + Self.hostile)
        damaged[damaged.count - 3] ^= 1
        dir.write("logs/b" + Self.hostile + "/events.out.tfevents.2.h", damaged)
        return logdir
    }

    @Test func inspectShowsHostileRunNamesAndTagsEscaped() throws {
        let dir = TemporaryDirectory()
        let result = try run(["inspect", hostileLogdir(dir)])
        #expect(result.status == 0)
        #expect(terminalControl(in: result.out) == nil)
        #expect(terminalControl(in: result.err) == nil)
        let text = String(decoding: result.out, as: UTF8.self)
        #expect(text.contains("x\\x1b]0;pwned\\x07\\x1b[2J\\u{009B}2J\\u{202E}gpj.exe\\u{2066}"))
    }

    @Test func verifyShowsHostilePathsEscapedInEveryLine() throws {
        let dir = TemporaryDirectory()
        let result = try run(["verify", hostileLogdir(dir)])
        #expect(result.status == 1)  // one file is damaged
        #expect(terminalControl(in: result.out) == nil)
        #expect(terminalControl(in: result.err) == nil)
        let text = String(decoding: result.out, as: UTF8.self)
        #expect(text.contains("DAMAGED"))
        #expect(text.contains("\\x1b]0;pwned"))
    }

    @Test func compareShowsHostileTagsAndRunsEscaped() throws {
        let dir = TemporaryDirectory()
        let logdir = hostileLogdir(dir)
        let result = try run(["compare", logdir])
        #expect(result.status == 0)
        #expect(terminalControl(in: result.out) == nil)
        #expect(terminalControl(in: result.err) == nil)
        // A --tag given on the command line is echoed escaped too.
        let missing = try run(["compare", logdir, "--tag", "none" + Self.hostile])
        #expect(terminalControl(in: missing.out) == nil)
        #expect(String(decoding: missing.out, as: UTF8.self).contains("none" + "x\\x1b]0;pwned"))
    }

    @Test func errorsNamingAHostilePathAreEscapedAndCut() throws {
        let dir = TemporaryDirectory()
        let missing = dir.path + "/" + Self.hostile + String(repeating: "\u{1B}[2J", count: 10_000)
        let result = try run(["inspect", missing])
        #expect(result.status == 2)
        #expect(terminalControl(in: result.err) == nil)
        #expect(result.err.count < 8_000, "the error line is cut, not 50 kB")
        #expect(String(decoding: result.err, as: UTF8.self).hasPrefix("tbkit: error: "))
    }

    @Test func exportKeepsHostileTagsByteExact() throws {
        let dir = TemporaryDirectory()
        let result = try run(["export", hostileLogdir(dir)])
        #expect(result.status == 0)
        // Data, not a display: the CSV holds the tag's own bytes (quoted as CSV needs).
        #expect(String(decoding: result.out, as: UTF8.self).contains(Self.hostile))
    }
}
