import TBKit
import TBKitArchive

// libFuzzer target: arbitrary bytes read as an archive source (`ArchiveLogSource`), the way every
// reading command reads a `tbkit archive` .tar.gz in place: the runs it finds, then every record
// of every event file it hands out (through `EventFileReader` and `FileVerification`). Errors
// and damage notes only, never a crash.
//
// Byte 0 = flags, the rest = the archive.
//   flags bit 0: a memory budget of 0 bytes, so every member is inflated again when read (the
//                store's second pass) instead of held from the first
//   flags bit 1: the rest is a tar stream: gzip it first, so mutations reach the tar headers, the
//                manifest and the event files instead of failing the gzip CRC
//   flags bit 2: also open the file through `LogSources.open` (the sniffing of what a file is)
#if canImport(Glibc)
    import Glibc
#endif

/// A directory of this process for the input file (the source reads a path).
let scratch: String = {
    let dir = "/tmp/tbkit-fuzz-archive-source-\(getpid())"
    _ = mkdir(dir, 0o700)
    ArchiveLogSource.register()
    return dir
}()

/// Writes `bytes` to `path`, replacing it.
func writeFile(_ bytes: [UInt8], to path: String) {
    guard let file = fopen(path, "wb") else { fail("cannot create \(path)") }
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
    check(written == bytes.count, "short write to \(path)")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArchiveSource(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let flags = data[0]
    var bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if flags & 2 != 0 {
        guard let packed = try? GZip.compress(bytes, level: 1) else { fail("cannot gzip \(bytes.count) bytes") }
        bytes = packed
    }
    let path = scratch + "/input.tar.gz"
    writeFile(bytes, to: path)
    if flags & 4 != 0 {
        do {
            _ = try LogSources.open(path)
        } catch {
            _ = error.description
        }
    }
    let source = ArchiveLogSource(path: path, memoryBudget: flags & 1 != 0 ? 0 : 1 << 20)
    let runs: [RunDirectory]
    do {
        runs = try source.discover()
    } catch {
        _ = error.description
        return 0
    }
    for run in runs {
        check(!run.eventFiles.isEmpty, "run \(run.name) has no event file")
        let reader = EventFileReader(files: run.eventFiles)
        while let value = reader.nextValue() {
            _ = value.tag
        }
        _ = reader.problems.map(\.description)
        for file in run.eventFiles {
            check(file.hasPrefix(path + "/"), "event file \(file) is not under the archive")
            let verified = FileVerification.verify(path: file)
            _ = verified.issues.map(\.reason)
        }
    }
    _ = source.damage
    return 0
}
