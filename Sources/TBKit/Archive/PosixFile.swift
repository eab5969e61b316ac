#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file descriptor with whole-buffer read and write loops, for streaming archive I/O without
/// an extra buffering layer. Closed on `close()` or, at the latest, on deinit.
final class PosixFile {
    let path: String
    private(set) var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Opens an existing file for reading; refuses to follow a symlink at the last component.
    static func openForReading(_ path: String, followSymlink: Bool = true) throws -> PosixFile {
        let flags = O_RDONLY | O_CLOEXEC | (followSymlink ? 0 : O_NOFOLLOW)
        let fd = Glibc.open(path, flags)
        guard fd >= 0 else { throw LogArchiveError.io(operation: "open", path: path, errno: errno) }
        return PosixFile(path: path, fd: fd)
    }

    /// Creates a new file, failing if anything already exists at `path` (no clobbering, no symlink).
    static func createExclusive(_ path: String, mode: mode_t = 0o600) throws -> PosixFile {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw LogArchiveError.io(operation: "create", path: path, errno: errno) }
        return PosixFile(path: path, fd: fd)
    }

    /// Reads until `buffer` is full or the file ends; returns the count (short only at the end).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let got = Glibc.read(fd, base + done, buffer.count - done)
            if got < 0 {
                if errno == EINTR { continue }
                throw LogArchiveError.io(operation: "read", path: path, errno: errno)
            }
            if got == 0 { break }
            done += got
        }
        return done
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let put = Glibc.write(fd, base + done, bytes.count - done)
            if put < 0 {
                if errno == EINTR { continue }
                throw LogArchiveError.io(operation: "write", path: path, errno: errno)
            }
            done += put
        }
    }

    /// The file's metadata.
    func status() throws -> stat {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw LogArchiveError.io(operation: "fstat", path: path, errno: errno) }
        return info
    }

    /// Sets permission bits and modification time (access time = modification time).
    func setModeAndTime(mode: UInt32, mtime: Int64) throws {
        guard fchmod(fd, mode_t(mode)) == 0 else {
            throw LogArchiveError.io(operation: "chmod", path: path, errno: errno)
        }
        var times = [timespec(tv_sec: Int(mtime), tv_nsec: 0), timespec(tv_sec: Int(mtime), tv_nsec: 0)]
        guard futimens(fd, &times) == 0 else {
            throw LogArchiveError.io(operation: "set mtime", path: path, errno: errno)
        }
    }

    /// Closes the descriptor, reporting a failed close (which can mean lost data on some filesystems).
    func close() throws {
        guard fd >= 0 else { return }
        let result = Glibc.close(fd)
        fd = -1
        guard result == 0 else { throw LogArchiveError.io(operation: "close", path: path, errno: errno) }
    }

    /// lstat of `path`, or nil when nothing is there.
    static func linkStatus(_ path: String) throws -> stat? {
        var info = stat()
        if lstat(path, &info) == 0 { return info }
        if errno == ENOENT || errno == ENOTDIR { return nil }
        throw LogArchiveError.io(operation: "lstat", path: path, errno: errno)
    }
}

/// The file-type bits of a `stat`.
extension stat {
    var fileType: mode_t { st_mode & S_IFMT }
    var isDirectory: Bool { fileType == S_IFDIR }
    var isRegular: Bool { fileType == S_IFREG }
    var isSymlink: Bool { fileType == S_IFLNK }
}
