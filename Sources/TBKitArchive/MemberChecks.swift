import TBKit

/// The checks every member of an archive passes before anything of it touches the disk: a safe
/// path and type, and an entry in the manifest that matches. Holds what the extraction has
/// seen so far, which later members are checked against (duplicates, hard-link targets, paths
/// through a symlink of the same archive).
struct MemberChecks {
    /// Paths of the members seen so far.
    var seen = Set<String>()
    /// Paths of the files restored so far, with their SHA-256.
    var regular = [String: String]()
    /// Paths of the symlinks restored so far.
    var symlinks = Set<String>()
    private var files = [String: ArchiveManifest.File]()
    private let directories: Set<String>

    init(manifest: ArchiveManifest) {
        for row in manifest.files { files[row.path] = row }
        directories = Set(manifest.directories)
    }

    /// Checks `entry` (refusing it with a `LogArchiveError` naming the member) and records it as
    /// seen; returns its path components, its relative path and its manifest row. Out of line:
    /// it is the larger half of the extraction loop, and apart the optimizer handles each half
    /// in a fraction of the time it takes for both as one.
    @inline(never)
    mutating func admit(_ entry: TarEntry, job: LogExtractor.Job) throws -> (
        parts: [String], relative: String, row: ArchiveManifest.File?
    ) {
        let member = entry.path
        // 1. Path and type safety, before anything touches the disk.
        let parts: [String]
        switch ArchivePath.components(of: member) {
        case .success(let p): parts = p
        case .failure(let refusal): throw LogArchiveError.unsafeMember(member: member, reason: refusal.description)
        }
        let relative = parts.joined(separator: "/")
        switch entry.kind {
        case .characterDevice, .blockDevice, .fifo:
            throw LogArchiveError.unsafeMember(
                member: member, reason: "it is a \(entry.kind.name); device files and FIFOs are never extracted")
        case .other:
            throw LogArchiveError.unsafeMember(member: member, reason: "\(entry.kind.name) is not supported")
        case .symlink:
            guard ArchivePath.resolve(linkTarget: entry.linkTarget, linkPath: relative) != nil else {
                throw LogArchiveError.unsafeMember(
                    member: member, reason: "symlink to '\(entry.linkTarget)' points outside the destination")
            }
            if let through = try LogExtractor.symlinkCrossed(
                by: entry.linkTarget, from: relative, job: job, archiveSymlinks: symlinks)
            {
                throw LogArchiveError.unsafeMember(
                    member: member,
                    reason: "symlink target '\(entry.linkTarget)' passes through symlink '\(through)'")
            }
        case .hardlink:
            let target: [String]
            switch ArchivePath.components(of: entry.linkTarget) {
            case .success(let t): target = t
            case .failure(let refusal):
                throw LogArchiveError.unsafeMember(
                    member: member,
                    reason: "hard link to '\(entry.linkTarget)' points outside the destination (\(refusal))")
            }
            guard regular[target.joined(separator: "/")] != nil else {
                throw LogArchiveError.unsafeMember(
                    member: member,
                    reason: "hard link to '\(entry.linkTarget)', which is not an earlier file of this archive")
            }
        case .regular, .directory:
            break
        }
        if let through = try job.symlinkOnPath(Array(parts.dropLast()), archiveSymlinks: symlinks) {
            throw LogArchiveError.unsafeMember(member: member, reason: "its parent '\(through)' is a symlink")
        }
        // 2. The manifest.
        guard seen.insert(relative).inserted else {
            throw LogArchiveError.notInManifest(member: member, detail: "it appears twice in the archive")
        }
        let row = files[relative]
        switch entry.kind {
        case .directory:
            guard directories.contains(relative) else {
                throw LogArchiveError.notInManifest(
                    member: member, detail: "a directory the manifest does not list")
            }
        case .regular:
            guard let row, row.kind == .file else {
                throw LogArchiveError.notInManifest(member: member, detail: "a file the manifest does not list")
            }
            guard row.size == entry.size else {
                throw LogArchiveError.contentMismatch(
                    member: member, detail: "size \(entry.size) in the archive, \(row.size) in the manifest")
            }
        case .symlink:
            guard let row, row.kind == .symlink, row.target == entry.linkTarget else {
                throw LogArchiveError.notInManifest(
                    member: member, detail: "a symlink the manifest does not list with target '\(entry.linkTarget)'"
                )
            }
        case .hardlink:
            let target = (try? ArchivePath.components(of: entry.linkTarget).get())?.joined(separator: "/") ?? ""
            guard let row, row.kind == .file, row.sha256 == regular[target] else {
                throw LogArchiveError.notInManifest(
                    member: member, detail: "a hard link whose content the manifest does not list")
            }
        default:
            break
        }
        return (parts, relative, row)
    }
}
