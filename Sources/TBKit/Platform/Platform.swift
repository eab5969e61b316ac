// The one file of TBKit that talks to the C library directly, for what swift-system does not
// cover: file status (times and identity, whose field names differ between Linux and Darwin),
// directories, links, renames and permission bits. Every other file opens, reads, writes and
// closes through swift-system's `FileDescriptor`, and calls these for the rest, so that porting to
// another libc means editing only this file.

import Synchronization
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#else
    #error("TBKit's Platform.swift has no branch for this C library")
#endif

// MARK: - File status

/// What `stat` says about a file, in portable fields.
package struct FileStatus: Sendable, Equatable {
    /// The file's type.
    package enum Kind: Sendable, Equatable {
        /// A regular file.
        case regular
        /// A directory.
        case directory
        /// A symbolic link (only from `Platform.linkStatus`).
        case symlink
        /// A named pipe.
        case fifo
        /// A Unix-domain socket.
        case socket
        /// A character device.
        case characterDevice
        /// A block device.
        case blockDevice
        /// Anything else the system reports.
        case other

        /// The kind's name in a sentence ("FIFO", "socket", ...).
        package var name: String {
            switch self {
            case .regular: return "regular file"
            case .directory: return "directory"
            case .symlink: return "symlink"
            case .fifo: return "FIFO"
            case .socket: return "socket"
            case .characterDevice: return "character device"
            case .blockDevice: return "block device"
            case .other: return "special file"
            }
        }
    }

    /// The file's type.
    package var kind: Kind
    /// The permission bits (`st_mode & 0o7777`).
    package var permissions: UInt32
    /// The size in bytes.
    package var size: Int64
    /// The device holding the file; with `inode`, the file's identity.
    package var device: UInt64
    /// The file's inode number on `device`.
    package var inode: UInt64
    /// Last modification time: whole seconds since the epoch, and nanoseconds within that second.
    package var modifiedSeconds: Int64
    /// Nanoseconds part of the modification time.
    package var modifiedNanoseconds: Int
    /// Last status change (any write or metadata change, which users cannot set back).
    package var changedSeconds: Int64
    /// Nanoseconds part of the status change time.
    package var changedNanoseconds: Int

    /// True for a directory.
    package var isDirectory: Bool { kind == .directory }
    /// True for a regular file.
    package var isRegular: Bool { kind == .regular }
    /// True for a symlink.
    package var isSymlink: Bool { kind == .symlink }
    /// True when the owner may execute the file.
    package var isOwnerExecutable: Bool { permissions & 0o100 != 0 }

    init(_ info: stat) {
        switch UInt32(info.st_mode) & UInt32(S_IFMT) {
        case UInt32(S_IFREG): kind = .regular
        case UInt32(S_IFDIR): kind = .directory
        case UInt32(S_IFLNK): kind = .symlink
        case UInt32(S_IFIFO): kind = .fifo
        case UInt32(S_IFSOCK): kind = .socket
        case UInt32(S_IFCHR): kind = .characterDevice
        case UInt32(S_IFBLK): kind = .blockDevice
        default: kind = .other
        }
        permissions = UInt32(info.st_mode) & 0o7777
        size = Int64(info.st_size)
        device = UInt64(bitPattern: Int64(info.st_dev))
        inode = UInt64(info.st_ino)
        #if canImport(Darwin)
            modifiedSeconds = Int64(info.st_mtimespec.tv_sec)
            modifiedNanoseconds = Int(info.st_mtimespec.tv_nsec)
            changedSeconds = Int64(info.st_ctimespec.tv_sec)
            changedNanoseconds = Int(info.st_ctimespec.tv_nsec)
        #elseif canImport(Glibc) || canImport(Musl)
            modifiedSeconds = Int64(info.st_mtim.tv_sec)
            modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
            changedSeconds = Int64(info.st_ctim.tv_sec)
            changedNanoseconds = Int(info.st_ctim.tv_nsec)
        #endif
    }
}

/// The C library calls TBKit needs beyond swift-system. Failures throw swift-system's `Errno`.
package enum Platform {
    /// The error of the C call that just failed.
    private static var lastError: Errno { Errno(rawValue: errno) }

    /// `stat` of `path` (symlinks followed), or nil when nothing is there.
    package static func status(_ path: String) throws(Errno) -> FileStatus? {
        var info = stat()
        if stat(path, &info) == 0 { return FileStatus(info) }
        if errno == ENOENT || errno == ENOTDIR { return nil }
        throw lastError
    }

    /// `lstat` of `path` (a symlink itself, not its target), or nil when nothing is there.
    package static func linkStatus(_ path: String) throws(Errno) -> FileStatus? {
        var info = stat()
        if lstat(path, &info) == 0 { return FileStatus(info) }
        if errno == ENOENT || errno == ENOTDIR { return nil }
        throw lastError
    }

    /// `fstat` of an open file.
    package static func status(of file: FileDescriptor) throws(Errno) -> FileStatus {
        var info = stat()
        guard fstat(file.rawValue, &info) == 0 else { throw lastError }
        return FileStatus(info)
    }

    /// The names in `directory`, without `.` and `..`, in the order the system lists them.
    package static func directoryEntries(_ directory: String) throws(Errno) -> [String] {
        guard let handle = opendir(directory) else { throw lastError }
        defer { closedir(handle) }
        var names = [String]()
        while let entry = readdir(handle) {
            // d_name is a C array (a tuple of 256 or 1,024 CChars in Swift), read in place.
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names
    }

    /// Creates one directory.
    package static func makeDirectory(_ path: String, permissions: UInt32 = 0o755) throws(Errno) {
        guard mkdir(path, mode_t(permissions)) == 0 else { throw lastError }
    }

    /// Removes an empty directory; false when it could not be removed.
    @discardableResult
    package static func removeDirectory(_ path: String) -> Bool {
        rmdir(path) == 0
    }

    /// Removes a file or symlink (never a directory); false when it could not be removed.
    @discardableResult
    package static func removeFile(_ path: String) -> Bool {
        unlink(path) == 0
    }

    /// Renames `source` to `destination` atomically, replacing a file already there.
    package static func rename(_ source: String, to destination: String) throws(Errno) {
        #if canImport(Glibc)
            guard Glibc.rename(source, destination) == 0 else { throw lastError }
        #elseif canImport(Musl)
            guard Musl.rename(source, destination) == 0 else { throw lastError }
        #elseif canImport(Darwin)
            guard Darwin.rename(source, destination) == 0 else { throw lastError }
        #endif
    }

    /// Creates a symlink at `path` pointing to `target` (stored as given).
    package static func makeSymlink(at path: String, to target: String) throws(Errno) {
        guard symlink(target, path) == 0 else { throw lastError }
    }

    /// Creates a hard link at `path` to the existing file `existing`.
    package static func makeHardLink(at path: String, to existing: String) throws(Errno) {
        guard link(existing, path) == 0 else { throw lastError }
    }

    /// The target a symlink stores, as UTF-8.
    package static func linkTarget(_ path: String) throws(Errno) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw lastError }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sets an open file's permission bits and its modification time (access time too), whole seconds.
    package static func setPermissionsAndTime(
        of file: FileDescriptor, permissions: UInt32, modifiedSeconds: Int64
    ) throws(Errno) {
        guard fchmod(file.rawValue, mode_t(permissions)) == 0 else { throw lastError }
        var times = [
            timespec(tv_sec: Int(modifiedSeconds), tv_nsec: 0), timespec(tv_sec: Int(modifiedSeconds), tv_nsec: 0),
        ]
        guard futimens(file.rawValue, &times) == 0 else { throw lastError }
    }

    /// Sets the modification time of `path` itself (a symlink is not followed); false on failure.
    @discardableResult
    package static func setModificationTime(_ path: String, seconds: Int64) -> Bool {
        var times = [timespec(tv_sec: Int(seconds), tv_nsec: 0), timespec(tv_sec: Int(seconds), tv_nsec: 0)]
        return utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) == 0
    }

    /// The value of the environment variable `name`, or nil when it is not set.
    package static func environmentValue(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// This process's id (for temporary names that concurrent processes do not share).
    package static var processID: Int32 { getpid() }

    /// This machine's name, as `gethostname` gives it ("localhost" when it gives none), asked once
    /// per process: event file names carry it, and a name lookup (what Foundation's
    /// `ProcessInfo.hostName` does on macOS) can take seconds inside the writer's rotation.
    package static let hostName: String = {
        // 256 bytes hold any host name (POSIX's limit is 255; Darwin's MAXHOSTNAMELEN is 256).
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let name = String(decoding: bytes, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }()

    /// Calls `body` again while it fails with EINTR (a signal arrived during the call): the one
    /// retry loop for the C calls swift-system does not wrap. `body` returns -1 and sets errno
    /// when it fails, as C calls do.
    package static func retryingOnInterrupt<Result: SignedInteger>(_ body: () -> Result) -> Result {
        while true {
            let result = body()
            if result == -1 && errno == EINTR { continue }
            return result
        }
    }

    /// Forces an open file's written bytes to stable storage (`platformSync`: F_FULLFSYNC on
    /// Darwin, fsync elsewhere).
    package static func sync(_ file: FileDescriptor) throws(Errno) {
        let code = platformSync(file.rawValue)
        guard code == 0 else { throw Errno(rawValue: code) }
    }

    /// Forces a directory's entries (a rename into it) to stable storage. A file system that
    /// cannot sync a directory (EINVAL) has nothing to force, which is not an error.
    package static func syncDirectory(_ path: String) throws(Errno) {
        let fd = retryingOnInterrupt { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { throw lastError }
        defer { _ = close(fd) }
        guard retryingOnInterrupt({ fsync(fd) }) == 0 else {
            let error = lastError
            if error == .invalidArgument { return }
            throw error
        }
    }
}

/// Numbers things within one process (temporary file names), safely from any thread.
package final class TemporaryCounter: Sendable {
    private let value = Atomic<Int>(0)

    /// An empty counter.
    package init() {}

    /// The next number: 0, 1, 2, ...
    package func next() -> Int {
        value.wrappingAdd(1, ordering: .relaxed).oldValue
    }
}

// MARK: writer

/// Forces the file's written bytes to stable storage; returns 0 or an errno value. On Darwin,
/// `fsync` only hands the data to the drive, whose cache may still lose it at power loss;
/// `F_FULLFSYNC` asks the drive to write it through, so that is used first (falling back to
/// `fsync` on file systems that do not support it).
func platformSync(_ fd: Int32) -> Int32 {
    #if canImport(Darwin)
        while true {
            if fcntl(fd, F_FULLFSYNC) != -1 { return 0 }
            if errno == EINTR { continue }
            if errno == ENOTSUP || errno == EINVAL || errno == ENOTTY { break }
            return errno
        }
    #endif
    return Platform.retryingOnInterrupt { fsync(fd) } == 0 ? 0 : errno
}

/// The write end of the pipe the termination signal handler writes a signal number to.
private let terminationPipe = Atomic<Int32>(-1)

/// The signal handler: writes the signal number (one byte) to the pipe and nothing else. write(2)
/// is async-signal-safe; errno is kept for the interrupted code.
private func forwardTerminationSignal(_ signal: Int32) {
    let saved = errno
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(terminationPipe.load(ordering: .relaxed), &byte, 1)
    errno = saved
}

/// Signal dispositions for the termination flush: installs the forwarding handler, and passes a
/// signal on to whatever disposition was there before.
enum TerminationSignals {
    /// The disposition each signal had before the forwarding handler was installed.
    private static let previous = Mutex<[Int32: sigaction]>([:])

    /// Creates the pipe (read end returned, blocking; write end non-blocking, so the handler
    /// never waits) and installs the handler for `signals`, keeping their earlier dispositions.
    /// Returns the read end, or an errno value.
    static func install(_ signals: [Int32]) -> Result<Int32, PlatformErrno> {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return .failure(PlatformErrno(errno)) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        terminationPipe.store(fds[1], ordering: .relaxed)
        for signal in signals {
            var action = forwardingAction()
            var old = sigaction()
            guard sigaction(signal, &action, &old) == 0 else { return .failure(PlatformErrno(errno)) }
            previous.withLock { $0[signal] = old }
        }
        return .success(fds[0])
    }

    /// Gives `signal` to the disposition that was installed before: an ignored signal stays
    /// ignored; a handler runs (on this thread); the default terminates the process here, as it
    /// would have without TBKit. Then the forwarding handler goes back in place.
    static func passOn(_ signal: Int32) {
        guard var old = previous.withLock({ $0[signal] }) else { return }
        if isIgnore(old) { return }
        var ours = sigaction()
        _ = sigaction(signal, &old, &ours)
        _ = raise(signal)
        _ = sigaction(signal, &ours, nil)
    }

    private static func forwardingAction() -> sigaction {
        var action = sigaction()
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        // The handler sits in a union each C library names its own way (glibc's signal.h,
        // musl's signal.h, Darwin's sys/signal.h).
        #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = forwardTerminationSignal
        #elseif canImport(Musl)
            action.__sa_handler.sa_handler = forwardTerminationSignal
        #elseif canImport(Darwin)
            action.__sigaction_u.__sa_handler = forwardTerminationSignal
        #endif
        return action
    }

    private static func isIgnore(_ action: sigaction) -> Bool {
        guard action.sa_flags & SA_SIGINFO == 0 else { return false }
        #if canImport(Glibc)
            let handler = action.__sigaction_handler.sa_handler
        #elseif canImport(Musl)
            let handler = action.__sa_handler.sa_handler
        #elseif canImport(Darwin)
            let handler = action.__sigaction_u.__sa_handler
        #endif
        guard let handler else { return false }
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }
}

/// An errno value.
struct PlatformErrno: Error, Sendable {
    var code: Int32
    init(_ code: Int32) { self.code = code }
    var message: String { String(cString: strerror(code)) }
}
