import Foundation
import Synchronization
import SystemPackage
import TBKit
import TBKitCrypto

/// A `.tar.gz` made by `tbkit archive`, read in place as a log source: the members are read as
/// the gzip stream is inflated, each event file's SHA-256 is checked against the manifest (the
/// archive's first member) before its data is used, and nothing is written to disk.
///
/// Memory is bounded: `discover()` reads the archive through once, checking every member and
/// holding members in memory up to `memoryBudget` bytes; the readers then get each member from
/// an `ArchiveMemberStore`, which inflates the members it does not hold again (checked again)
/// and lets go of earlier ones, so memory does not grow with the archive.
///
/// Damage does not stop the reading: a member whose SHA-256 or size does not match the manifest
/// is named in `damage` and left out; a truncated or corrupt archive gives the runs read before
/// the damage, and the damage with the member and the compressed byte offset where it was met.
/// `register()` plugs this kind into `LogSources`, so TBKit itself links no archive code.
public final class ArchiveLogSource: LogSource {
    /// The archive's path.
    public let path: String
    /// The path, as given.
    public var label: String { path }
    /// Bytes of event files held in memory at most (see `ArchiveMemberStore`): 128 MiB, or
    /// `TBKIT_ARCHIVE_MEMORY_MB` mebibytes when that variable is set.
    public let memoryBudget: Int
    private let found = Mutex<[String]>([])
    /// Where the archive's bytes come from: the file at `path`, or a stream (an object in a
    /// bucket).
    private let bytes: ArchiveBytes

    /// The archive at `path` (`isArchive(path)` tells whether it is one), holding at most
    /// `memoryBudget` bytes of event files (the default when nil).
    public init(path: String, memoryBudget: Int? = nil) {
        self.path = path
        self.memoryBudget = memoryBudget ?? Self.defaultMemoryBudget
        bytes = .file(path)
    }

    /// The archive whose bytes `stream` gives, labelled `label` (its URL): read exactly as a
    /// local archive, its event files readable under `<label>/<member>`; a member not held in
    /// memory is read again from the stream's start.
    package init(label: String, stream: @escaping StreamedSources.Stream, memoryBudget: Int? = nil) {
        self.path = label
        self.memoryBudget = memoryBudget ?? Self.defaultMemoryBudget
        bytes = .stream(stream)
    }

    /// 128 MiB, or `TBKIT_ARCHIVE_MEMORY_MB` mebibytes.
    public static var defaultMemoryBudget: Int {
        if let text = getenv("TBKIT_ARCHIVE_MEMORY_MB").map({ String(cString: $0) }), let mb = IntegerText.int(text),
            mb >= 0
        {
            return mb << 20
        }
        return 128 << 20
    }

    /// Damage met while reading the archive, one sentence each.
    public var damage: [String] { found.withLock { $0 } }

    /// Makes `LogSources.open` read TBKit archives in place.
    public static func register() {
        LogSources.register { path in
            LogSources.isTBKitArchive(path) ? ArchiveLogSource(path: path) : nil
        }
        StreamedSources.register { label, head, stream throws(LogSourceError) in
            try StreamedSources.isTBKitArchive(head: head, stream: stream)
                ? ArchiveLogSource(label: label, stream: stream) : nil
        }
    }

    /// Reads the archive through and returns its runs; their event files are readable under
    /// `<archive>/<member>` (see `MemoryEventFiles`).
    public func discover() throws(LogSourceError) -> [RunDirectory] {
        // Inflated on a thread of its own, ahead of the tar reading and hashing done here.
        let stream = try ArchiveStream(bytes: bytes, label: path, ahead: true)
        var files: [String: [String]] = [:]
        var members: [String: ArchiveMemberStore.Member] = [:]
        var held: [String: (bytes: [UInt8], index: Int)] = [:]
        var heldBytes = 0
        var member: String?
        do {
            guard let first = try stream.next(), first.path == ArchiveManifest.memberName, first.kind == .regular,
                first.size <= 1 << 28
            else {
                throw ArchiveSourceDamage.noManifest
            }
            member = first.path
            let manifestBytes = try stream.readData(keep: true, sizeHint: first.size).bytes
            let manifest = try ArchiveManifest.decode(manifestBytes, archive: path)
            var expected: [String: ArchiveManifest.File] = [:]
            for row in manifest.files { expected[row.path] = row }
            member = nil
            while let entry = try stream.next() {
                member = entry.path
                let name = entry.path.split(separator: "/").last.map(String.init) ?? entry.path
                guard entry.kind == .regular, RunDirectory.isEventFileName(name) else {
                    member = nil
                    continue  // `next()` skips the rest of it
                }
                // Held while the budget lasts; past it, only the digest is computed.
                let keep = heldBytes + Int(clamping: entry.size) <= memoryBudget
                let data = try stream.readData(keep: keep, sizeHint: entry.size)
                if verified(entry, data.sha256, data.size, expected[entry.path]) != nil {
                    let virtual = path + "/" + entry.path
                    members[virtual] = .init(
                        index: stream.memberIndex, name: entry.path, size: data.size, sha256: data.sha256)
                    if keep {
                        held[virtual] = (data.bytes, stream.memberIndex)
                        heldBytes += data.bytes.count
                    }
                    let parts = entry.path.split(separator: "/").dropLast()
                    files[parts.isEmpty ? "." : parts.joined(separator: "/"), default: []].append(virtual)
                }
                member = nil
            }
            // The zero padding after the end marker, so the gzip trailer (its CRC) is checked.
            _ = try stream.tar.drainToEnd()
        } catch ArchiveSourceDamage.noManifest {
            throw .notASource(path: path, looksLike: "a tar.gz whose first member is not tbkit-manifest.json")
        } catch {
            let place = member.map { "member \($0)" } ?? "between members"
            note(
                "\(path): damaged at compressed byte \(stream.compressedOffset) (\(place)): \(error); the runs before it are read"
            )
        }
        let store = ArchiveMemberStore(archive: path, bytes: bytes, budget: memoryBudget, members: members, held: held)
        MemoryEventFiles.register(prefix: path + "/") { path throws(RecordReaderError) in
            try store.contents(of: path)
        }
        return files.keys.sortedShared().map { name in
            let sorted = (files[name] ?? []).sortedShared {
                $0.split(separator: "/").last.map(String.init) ?? $0 < $1.split(separator: "/").last.map(String.init)
                    ?? $1
            }
            return RunDirectory(name: name, path: name == "." ? path : path + "/" + name, eventFiles: sorted)
        }
    }

    /// The manifest's row for the member when the member's size and SHA-256 match it; nil (and
    /// a note) when not.
    private func verified(_ entry: TarEntry, _ digest: String, _ size: UInt64, _ expected: ArchiveManifest.File?)
        -> ArchiveManifest.File?
    {
        guard let expected else {
            note("\(path): member \(entry.path) is not in the manifest; its data is not used")
            return nil
        }
        guard size == expected.size, digest == expected.sha256 else {
            note(
                "\(path): member \(entry.path): SHA-256 \(digest) does not match the manifest's \(expected.sha256 ?? "-"); its data is not used"
            )
            return nil
        }
        return expected
    }

    private func note(_ sentence: String) {
        found.withLock { $0.append(sentence) }
    }
}

/// The first member of the archive is not the manifest.
private enum ArchiveSourceDamage: Error {
    case noManifest
}
