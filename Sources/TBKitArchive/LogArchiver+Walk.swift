import SystemPackage
import TBKit

extension LogArchiver {
    /// What identifies a file's content without reading it: a write changes ctime (which users
    /// cannot set), a replacement changes the inode.
    struct FileIdentity: Equatable {
        var device: UInt64, inode: UInt64, size: Int64
        var mtime: Int64, mtimeNanos: Int, ctime: Int64, ctimeNanos: Int

        init(_ info: FileStatus) {
            device = info.device
            inode = info.inode
            size = info.size
            mtime = info.modifiedSeconds
            mtimeNanos = info.modifiedNanoseconds
            ctime = info.changedSeconds
            ctimeNanos = info.changedNanoseconds
        }

        /// Whether a file that had this identity at the walk and has `now` still holds the same
        /// first `size` bytes, as far as its metadata tells: the same file (device and inode),
        /// and either grown (appended to, as a run writing its event file does) or the same size
        /// untouched (same mtime and ctime). Shrunk, replaced or rewritten in place is a change.
        func admits(_ now: FileIdentity) -> Bool {
            guard now.device == device, now.inode == inode, now.size >= size else { return false }
            if now.size > size { return true }
            return now.mtime == mtime && now.mtimeNanos == mtimeNanos && now.ctime == ctime
                && now.ctimeNanos == ctimeNanos
        }
    }

    /// Streams exactly `item.size` bytes of the file to `body`. The file's identity when opened
    /// and after the read must be admitted by the walk's (`FileIdentity.admits`), and it must not
    /// end early; otherwise it changed meanwhile, an error.
    func copy(
        _ item: Item, buffer: inout [UInt8], chunk body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let path = join(logdir, item.path)
        let file = try LogArchiveError.during("open", path) { () throws(Errno) in
            try FileDescriptor.typed {
                try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec, .noFollow])
            }
        }
        var open = true
        defer { if open { try? file.close() } }
        let walked = item.identity
        let opened = FileIdentity(
            try LogArchiveError.during("fstat", path) { () throws(Errno) in try Platform.status(of: file) })
        guard let walked, walked.admits(opened) else { throw LogArchiveError.fileChanged(path: path) }
        var left = item.size
        while left > 0 {
            let want = Int(min(left, UInt64(buffer.count)))
            let got = try buffer.withUnsafeMutableBytes { raw in
                try LogArchiveError.during("read", path) { () throws(Errno) in
                    try file.readFully(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<want]))
                }
            }
            if got < want { throw LogArchiveError.fileChanged(path: path) }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
            left -= UInt64(got)
        }
        let after = FileIdentity(
            try LogArchiveError.during("fstat", path) { () throws(Errno) in try Platform.status(of: file) })
        guard walked.admits(after) else { throw LogArchiveError.fileChanged(path: path) }
        open = false
        try LogArchiveError.during("close", path) { () throws(Errno) in try file.closeReportingErrors() }
    }

    /// `lstat` of `path`, or nil when nothing is there.
    @inline(never)
    static func linkStatus(_ path: String) throws(LogArchiveError) -> FileStatus? {
        try LogArchiveError.during("lstat", path) { () throws(Errno) in try Platform.linkStatus(path) }
    }

    /// Lists the logdir below `relative` into `items`, each regular file with its identity now;
    /// `skip` holds the (device, inode) of this archive's own temporaries.
    func walk(relative: String, into items: inout [Item], skip: [(UInt64, UInt64)]) throws {
        let directory = join(logdir, relative)
        let names = try LogArchiveError.during("list directory", directory) { () throws(Errno) in
            try Platform.directoryEntries(directory)
        }
        for name in names {
            let rel = relative.isEmpty ? name : relative + "/" + name
            let path = join(logdir, rel)
            guard let info = try Self.linkStatus(path) else { continue }  // vanished meanwhile
            if skip.contains(where: { $0 == (info.device, info.inode) }) { continue }  // the archive itself
            let mtime = info.modifiedSeconds
            if info.isDirectory {
                items.append(Item(path: rel, kind: .directory, size: 0, mode: 0o755, mtime: mtime, target: ""))
                try walk(relative: rel, into: &items, skip: skip)
            } else if info.isRegular {
                let mode: UInt32 = info.isOwnerExecutable ? 0o755 : 0o644
                items.append(
                    Item(
                        path: rel, kind: .regular, size: UInt64(info.size), mode: mode, mtime: mtime, target: "",
                        identity: FileIdentity(info)))
            } else if info.isSymlink {
                let target = try LogArchiveError.during("readlink", path) { () throws(Errno) in
                    try Platform.linkTarget(path)
                }
                guard ArchivePath.resolve(linkTarget: target, linkPath: rel) != nil else {
                    throw LogArchiveError.symlinkLeavesLogdir(path: path, target: target)
                }
                items.append(Item(path: rel, kind: .symlink, size: 0, mode: 0o777, mtime: mtime, target: target))
            } else {
                throw LogArchiveError.unsupportedFile(path: path, kind: info.kind.name)
            }
        }
    }
}
