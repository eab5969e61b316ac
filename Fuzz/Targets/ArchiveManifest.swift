import TBKit
import TBKitArchive

// libFuzzer target: arbitrary bytes as an archive's tbkit-manifest.json, read as `tbkit extract`
// reads it. A manifest that decodes must encode to bytes that decode to the same manifest, and
// encode the same way again (the archive's bytes are deterministic); every path it lists goes
// through ArchivePath as extraction would. One that does not decode must say so as
// LogArchiveError.badManifest, naming the archive.
#if canImport(Glibc)
    import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArchiveManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let manifest: ArchiveManifest
    do {
        manifest = try ArchiveManifest.decode(bytes, archive: "fuzz.tar.gz")
    } catch let error as LogArchiveError {
        guard case .badManifest = error else { fail("not badManifest: \(error)") }
        check(error.description.contains("fuzz.tar.gz"), "an error that does not name the archive: \(error)")
        return 0
    } catch {
        fail("an error that is not a LogArchiveError: \(error)")
    }
    for file in manifest.files {
        _ = ArchivePath.components(of: file.path)
        if let target = file.target { _ = ArchivePath.resolve(linkTarget: target, linkPath: file.path) }
    }
    for directory in manifest.directories { _ = ArchivePath.components(of: directory) }
    guard let encoded = try? manifest.encoded() else { fail("a manifest that decoded does not encode") }
    guard let again = try? ArchiveManifest.decode(encoded, archive: "again.tar.gz") else {
        fail("an encoded manifest does not decode")
    }
    check(again == manifest, "decode(encode(manifest)) differs from the manifest")
    check((try? again.encoded()) == encoded, "a manifest encodes differently the second time")
    return 0
}
