import SystemPackage
import TBKit

extension LogExtractor {
    /// The state of one extraction: what it created, so it can finish or undo cleanly.
    struct Job {
        let destination: String
        let overwrite: Bool
        var createdDirectories = [String]()  // absolute-ish paths, in creation order
        var temporaries = [AtomicFile]()  // sealed (synced, closed) as each member checks out
        var renamed = [String]()  // final paths created by commit (not replaced)
        var symlinks = [(path: String, target: String)]()
        var hardlinks = [(path: String, target: String)]()
        var directoryTimes = [(path: String, mtime: Int64)]()
        var knownDirectories = Set<String>()

        init(destination: String, overwrite: Bool) {
            self.destination = destination
            self.overwrite = overwrite
        }

        /// `relative` (checked by ArchivePath: never absolute, never `..`) under the destination.
        func full(_ relative: String) -> String {
            relative.isEmpty ? destination : FilePath(destination).appending(relative).string
        }

        @inline(never)
        mutating func prepareDestination() throws {
            // Create the destination and its missing parents, remembering which were new. Existing
            // components may be symlinks to directories (the user chose the destination).
            var prefix = destination.hasPrefix("/") ? "" : "."
            for part in destination.split(separator: "/") {
                prefix += "/" + part
                let path = prefix
                if let info = try LogArchiveError.during(
                    "stat", path, { () throws(Errno) in try Platform.status(path) })
                {
                    guard info.isDirectory else {
                        throw LogArchiveError.io(
                            operation: "use as destination directory", path: path, errno: Errno.notDirectory.rawValue)
                    }
                    continue
                }
                try LogArchiveError.during("mkdir", path) { () throws(Errno) in try Platform.makeDirectory(path) }
                createdDirectories.append(path)
            }
        }

        /// The first component prefix of `parts` that is a symlink, in the archive or on disk.
        func symlinkOnPath(_ parts: [String], archiveSymlinks: Set<String>) throws -> String? {
            var prefix = ""
            for part in parts {
                prefix = prefix.isEmpty ? part : prefix + "/" + part
                if archiveSymlinks.contains(prefix) { return prefix }
                if knownDirectories.contains(prefix) { continue }
                if let info = try LogArchiver.linkStatus(full(prefix)), info.isSymlink { return prefix }
            }
            return nil
        }

        @inline(never)
        func checkExisting(member: String, relative: String, isDirectory: Bool) throws {
            guard let info = try LogArchiver.linkStatus(full(relative)) else { return }
            if isDirectory && info.isDirectory { return }
            if info.isDirectory {
                throw LogArchiveError.unsafeMember(
                    member: member, reason: "'\(full(relative))' exists and is a directory")
            }
            if !overwrite { throw LogArchiveError.wouldOverwrite(member: member, path: full(relative)) }
        }

        mutating func makeDirectories(_ parts: [String]) throws {
            var prefix = ""
            for part in parts {
                prefix = prefix.isEmpty ? part : prefix + "/" + part
                if knownDirectories.contains(prefix) { continue }
                let path = full(prefix)
                if let info = try LogArchiver.linkStatus(path) {
                    guard info.isDirectory else {
                        throw LogArchiveError.io(
                            operation: "mkdir (a non-directory is in the way)", path: path,
                            errno: Errno.fileExists.rawValue)
                    }
                } else {
                    try LogArchiveError.during("mkdir", path) { () throws(Errno) in try Platform.makeDirectory(path) }
                    createdDirectories.append(path)
                }
                knownDirectories.insert(prefix)
            }
        }

        /// A new hidden file beside `relative`'s final place (an `AtomicFile`, renamed by `commit()`).
        mutating func temporaryFile(for relative: String) throws -> AtomicFile {
            let final = full(relative)
            let file = try LogArchiveError.writing { () throws(AtomicFile.Failure) in
                try AtomicFile(path: final, permissions: 0o600)
            }
            temporaries.append(file)
            return file
        }

        /// Moves everything into place. Files replaced when overwriting are replaced atomically.
        @inline(never)
        mutating func commit() throws {
            var directories = Set<String>()
            for file in temporaries {
                let final = file.path
                let existed = try LogArchiver.linkStatus(final) != nil
                try LogArchiveError.writing { () throws(AtomicFile.Failure) in try file.rename() }
                if !existed { renamed.append(final) }
                directories.insert(FilePath(final).removingLastComponent().string)
            }
            temporaries.removeAll()
            // Each directory that received files is synced once, so the renames survive a power loss.
            for directory in directories.sortedShared() {
                try LogArchiveError.writing { () throws(AtomicFile.Failure) in
                    try AtomicFile.syncDirectory(named: directory)
                }
            }
            for (path, target) in symlinks {
                let final = full(path)
                if try LogArchiver.linkStatus(final) != nil { Platform.removeFile(final) }
                try LogArchiveError.during("symlink", final) { () throws(Errno) in
                    try Platform.makeSymlink(at: final, to: target)
                }
                renamed.append(final)
            }
            for (path, target) in hardlinks {
                let final = full(path)
                if try LogArchiver.linkStatus(final) != nil { Platform.removeFile(final) }
                let existing = full(target)
                try LogArchiveError.during("link", final) { () throws(Errno) in
                    try Platform.makeHardLink(at: final, to: existing)
                }
                renamed.append(final)
            }
            // Directory times last (creating entries changes them), deepest first.
            for (path, mtime) in directoryTimes.reversed() {
                Platform.setModificationTime(full(path), seconds: mtime)
            }
        }

        /// Removes temporaries, files this extraction created and directories it made.
        mutating func rollBack() {
            temporaries.removeAll()  // each AtomicFile removes its temporary as it goes
            for path in renamed.reversed() { Platform.removeFile(path) }
            for path in createdDirectories.reversed() { Platform.removeDirectory(path) }
            renamed.removeAll()
            createdDirectories.removeAll()
        }
    }
}
