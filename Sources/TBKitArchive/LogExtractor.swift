import SystemPackage
import TBKit
import TBKitCrypto

/// Restores a TBKit log archive into a destination directory, proving every file against the
/// manifest, and refusing anything that could write outside the destination.
///
/// Refused members: absolute paths, `..` components, paths through a symlink, symlinks whose
/// target leaves the destination, hard links to anything but an earlier file of the same
/// archive, devices, FIFOs and unknown types, members absent from the manifest or differing from
/// it, and existing files (unless `overwrite`). Two phases keep failures clean: every file is
/// first written to a hidden temporary name beside its final place and verified; only when the
/// whole archive (gzip trailer included) has checked out are the files renamed into place. On any
/// failure the temporaries and every directory this extraction created are removed, so the
/// destination is left as it was found (overwritten files are only replaced in the final phase).
public struct LogExtractor {
    /// What was restored.
    public struct Summary: Sendable {
        /// Files, directories, symlinks and hard links restored.
        public var files = 0, directories = 0, symlinks = 0, hardlinks = 0
        /// Sum of restored file sizes.
        public var contentBytes: UInt64 = 0
        /// The archive's manifest.
        public var manifest: ArchiveManifest?
    }

    /// The `.tar.gz` to read.
    public var archive: String
    /// The directory to restore into (created if missing).
    public var destination: String
    /// Replace existing files instead of refusing.
    public var overwrite: Bool

    /// An extractor of `archive` into `destination`.
    public init(archive: String, destination: String, overwrite: Bool = false) {
        self.archive = archive
        self.destination = destination
        self.overwrite = overwrite
    }

    /// Largest manifest accepted: it is read into memory, so a hostile size must not be trusted
    /// (a manifest of a million files is about 200 MB).
    package static let maxManifestSize: UInt64 = 256 << 20

    /// Extracts and verifies; throws `LogArchiveError` naming the first bad member.
    @discardableResult
    public func extract() throws -> Summary {
        var job = Job(destination: destination, overwrite: overwrite)
        do {
            let summary = try run(&job)
            return summary
        } catch {
            job.rollBack()
            throw error
        }
    }

    private func run(_ job: inout Job) throws -> Summary {
        let archive = self.archive
        let file = try LogArchiveError.during("open", archive) { () throws(Errno) in
            try FileDescriptor.typed { try FileDescriptor.open(FilePath(archive), .readOnly, options: .closeOnExec) }
        }
        defer { try? file.close() }
        // Inflating runs on a second thread, ahead of the tar reading, hashing and writing here.
        let gzip = InflateAhead(file: file, path: archive)
        defer { gzip.stop() }
        var tar = TarReader { try gzip.read(into: $0) }
        var summary = Summary()
        var lastGood: String?

        // The manifest.
        guard let first = try Self.layer(nil, after: lastGood, { try tar.next() }) else {
            throw LogArchiveError.notATBKitArchive(archive: archive, firstMember: nil)
        }
        guard first.path == ArchiveManifest.memberName || first.path == "./" + ArchiveManifest.memberName,
            first.kind == .regular
        else {
            throw LogArchiveError.notATBKitArchive(archive: archive, firstMember: first.path)
        }
        guard first.size <= Self.maxManifestSize else {
            throw LogArchiveError.badManifest(archive: archive, reason: "its size (\(first.size) bytes) is implausible")
        }
        var manifestBytes = [UInt8]()
        try Self.layer(first.path, after: lastGood, { try tar.readData { manifestBytes.append(contentsOf: $0) } })
        let manifest = try ArchiveManifest.decode(manifestBytes, archive: archive)
        summary.manifest = manifest
        lastGood = first.path
        var checks = MemberChecks(manifest: manifest)

        try job.prepareDestination()

        while let entry = try Self.layer(nil, after: lastGood, { try tar.next() }) {
            let member = entry.path
            let (parts, relative, row) = try checks.admit(entry, job: job)
            // The disk, once the checks have passed.
            try job.checkExisting(member: member, relative: relative, isDirectory: entry.kind == .directory)
            switch entry.kind {
            case .directory:
                try job.makeDirectories(parts)
                job.directoryTimes.append((relative, entry.mtime))
                summary.directories += 1
            case .regular:
                let written = try extractRegular(
                    entry, parts: parts, relative: relative, row: row, tar: &tar, job: &job)
                checks.regular[relative] = written.digest
                summary.files += 1
                summary.contentBytes += written.bytes
            case .symlink:
                try job.makeDirectories(Array(parts.dropLast()))
                checks.symlinks.insert(relative)
                job.symlinks.append((relative, entry.linkTarget))
                summary.symlinks += 1
            case .hardlink:
                try job.makeDirectories(Array(parts.dropLast()))
                let target = (try? ArchivePath.components(of: entry.linkTarget).get())?.joined(separator: "/") ?? ""
                job.hardlinks.append((relative, target))
                summary.hardlinks += 1
            default:
                break
            }
            lastGood = member
        }
        try Self.layer(nil, after: lastGood, { _ = try tar.drainToEnd() })
        for row in manifest.files where !checks.seen.contains(row.path) {
            throw LogArchiveError.missingMember(member: row.path)
        }
        for directory in manifest.directories where !checks.seen.contains(directory) {
            throw LogArchiveError.missingMember(member: directory)
        }
        try job.commit()
        return summary
    }

    /// Runs a step of the tar/gzip layer, turning its errors into one naming a member: `member`
    /// while reading a member's data; nil between members, where the error names the member
    /// after `lastGood`.
    @inline(never)
    private static func layer<T>(_ member: String?, after lastGood: String?, _ body: () throws -> T) throws -> T {
        func located(_ detail: String) -> LogArchiveError {
            member.map { .damaged(member: $0, detail: detail) } ?? .damagedAfter(previous: lastGood, detail: detail)
        }
        do {
            return try body()
        } catch let error as TarError {
            if case .badHeaderChecksum(_, let name, _) = error {
                throw LogArchiveError.damaged(member: name, detail: error.description)
            }
            throw located(error.description)
        } catch let error as ZlibError {
            throw located(error.description)
        }
    }

    /// Writes a regular member to its temporary beside its final place, checks its size and
    /// SHA-256 against the manifest's row and seals it. Kept out of `run`, whose loop the
    /// optimizer handles in a fraction of the time without it.
    @inline(never)
    private func extractRegular(
        _ entry: TarEntry, parts: [String], relative: String, row: ArchiveManifest.File?,
        tar: inout TarReader, job: inout Job
    ) throws -> (digest: String, bytes: UInt64) {
        let member = entry.path
        try job.makeDirectories(Array(parts.dropLast()))
        let file = try job.temporaryFile(for: relative)
        let (temporary, temporaryPath) = (file.descriptor, file.temporaryPath)
        var hasher = SHA256()
        var written: UInt64 = 0
        try Self.layer(
            member, after: nil,
            {
                try tar.readData { chunk in
                    hasher.update(bufferPointer: chunk)
                    try LogArchiveError.during("write", temporaryPath) { () throws(Errno) in
                        try temporary.writeFully(chunk)
                    }
                    written += UInt64(chunk.count)
                }
            })
        let digest = hasher.finalize().hex
        guard written == entry.size, digest == row?.sha256 else {
            throw LogArchiveError.contentMismatch(
                member: member,
                detail: "SHA-256 \(digest) does not match the manifest's \(row?.sha256 ?? "-")")
        }
        try LogArchiveError.during("set mode and mtime", temporaryPath) { () throws(Errno) in
            try Platform.setPermissionsAndTime(
                of: temporary, permissions: entry.mode & 0o777, modifiedSeconds: entry.mtime)
        }
        try LogArchiveError.writing { () throws(AtomicFile.Failure) in try file.seal() }
        return (digest, written)
    }

    /// The first symlink a link target walks *through* (any directory it enters, before `..`
    /// components too), in the archive or on disk; a target may only end on one.
    static func symlinkCrossed(
        by target: String, from linkPath: String, job: Job,
        archiveSymlinks: Set<String>
    ) throws -> String? {
        var parts = linkPath.split(separator: "/").map(String.init)
        parts.removeLast()
        let steps = target.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        for (index, step) in steps.enumerated() {
            if step == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(String(step))
            guard index < steps.count - 1 else { break }  // the last component may be anything
            if let found = try job.symlinkOnPath(parts, archiveSymlinks: archiveSymlinks) { return found }
        }
        return nil
    }
}
