import Foundation
import TBKitTestSupport
import Testing

extension CommandLineTests {
    /// Runs a tool of the system (tar, gzip) to make a test input.
    func system(_ tool: String, _ arguments: [String], in directory: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + arguments
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(tool) \(arguments)")
    }

    @Test func theSameSourceGivenTwiceIsReadOnce() throws {
        let once = try run(["inspect", Fixtures.directory, "--json"])
        let twice = try run(["inspect", Fixtures.directory, Fixtures.directory + "/", Fixtures.directory, "--json"])
        #expect(twice.status == 0)
        #expect(twice.out == once.out)
    }

    @Test func runsOfTwoSourcesSharingANameArePrefixedAndSayWhereTheyCameFrom() throws {
        let dir = TemporaryDirectory()
        let copy = dir.path + "/copy"
        try FileManager.default.copyItem(atPath: Fixtures.directory, toPath: copy)
        let json = try run(["inspect", Fixtures.directory, copy, "--json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        let runs = (object?["runs"] as? [[String: Any]]) ?? []
        let names = runs.compactMap { $0["name"] as? String }
        #expect(names.count == 4)
        #expect(names.contains(copy + "/tensorflow-style"))
        #expect(names.contains(Fixtures.directory + "/tensorflow-style"))
        for run in runs {
            let name = run["name"] as? String ?? ""
            #expect(name.hasPrefix((run["source"] as? String ?? "?") + "/"))
        }
        let csv = try run(["export", Fixtures.directory, copy, "--run", copy + "/tensorflow-style"])
        #expect(csv.out.hasPrefix("run,source,tag,step,wall_time,value\n"))
        #expect(csv.out.contains("\(copy)/tensorflow-style,\(copy),eval/accuracy,0,1700000100.0,0.75\n"))
        let text = try run(["compare", Fixtures.directory, copy])
        #expect(text.out.contains("source"))
    }

    @Test func aFileThatIsNoSourceIsRefusedWithWhatItLooksLike() throws {
        let dir = TemporaryDirectory()
        var random = SystemRandomNumberGenerator()
        let noise = dir.write("noise.bin", (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) })
        _ = dir.write("note.txt", Array("a note, not a log\n".utf8))
        try system("gzip", ["-k", "note.txt"], in: dir.path)
        try system("tar", ["cf", "plain.tar", "note.txt"], in: dir.path)
        try system("tar", ["czf", "plain.tar.gz", "note.txt"], in: dir.path)
        let cases = [
            (noise, "binary data of an unknown kind"), (dir.path + "/note.txt.gz", "not a tar archive"),
            (dir.path + "/plain.tar", "uncompressed tar archive"),
            (dir.path + "/plain.tar.gz", "tar archive without TBKit's manifest"),
        ]
        for (path, looksLike) in cases {
            for command in ["inspect", "export", "compare", "report"] {
                let refused = try run([command, path] + (command == "report" ? ["-o", dir.path + "/r.html"] : []))
                #expect(refused.status == 1, "\(command) \(path)")
                #expect(refused.err.contains("\(path): not a log directory"), "\(refused.err)")
                #expect(refused.err.contains(looksLike), "\(refused.err)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/r.html"))
    }

    @Test func verifyOfSeveralSourcesListsEachSourcesFilesAndExitsWithTheWorstStatus() throws {
        let dir = TemporaryDirectory()
        var bytes = sampleEventFile(scalars: 3)
        bytes[60] ^= 1
        let damaged = dir.write("bad/events.out.tfevents.1.h", bytes)
        let archive = dir.path + "/fixtures.tar.gz"
        #expect(try run(["archive", Fixtures.directory, archive]).status == 0)
        let sound = try run(["verify", Fixtures.directory, archive])
        #expect(sound.status == 0, "\(sound.err)")
        #expect(sound.out.contains("source \(Fixtures.directory): 2 files\n"))
        #expect(sound.out.contains("source \(archive): 2 files\n"))
        #expect(sound.out.contains("ok       \(archive)/tensorflow-style/"))
        #expect(sound.out.contains("4 files checked in 2 sources, 38 sound records, 0 with problems"))
        let worst = try run(["verify", archive, dir.path + "/bad"])
        #expect(worst.status == 1)
        #expect(worst.out.contains("DAMAGED  \(damaged)"))
        #expect(worst.out.contains("3 files checked in 2 sources"))
        #expect(try run(["verify", archive, dir.path + "/missing"]).status == 2)
    }
}
