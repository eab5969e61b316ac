import SystemPackage

/// A whole file written so that its final name only ever holds a complete file: the bytes go to a
/// temporary name beside it, are forced to stable storage (fsync), the temporary is renamed over
/// the final name, and the directory is forced too, so the rename itself survives a power loss.
/// A reader, or a machine that lost power, sees the old file or the new one, never an empty or
/// half-written one under the final name.
///
/// Every writer of whole files uses it: checkpoints, archives, extracted members, the projector's
/// files, the report page.
///
/// ```swift
/// let file = try AtomicFile(path: "out/report.html")   // creates out/.report.html.tbkit-partial.…
/// try file.descriptor.writeFully(bytes)
/// try file.commit()                                     // fsync, close, rename, fsync of out/
/// ```
/// A file neither committed nor sealed is closed and its temporary removed when the value goes away.
package final class AtomicFile {
    /// A step that failed, the path it failed on, and the system's reason.
    package struct Failure: Error, CustomStringConvertible {
        /// The step: "create", "write", "sync", "close", "rename into place", "sync directory".
        package var operation: String
        /// The file (or directory) the step was working on: the final name, also when the step
        /// was on its temporary.
        package var path: String
        /// The system's error.
        package var errno: Errno
        /// The temporary name the step was working on, if any.
        package var temporary: String? = nil

        /// "cannot sync out/report.html (as out/.report.html.tbkit-partial.12.0): No space left on
        /// device (errno 28)".
        package var description: String {
            let written = temporary.map { " (as \($0))" } ?? ""
            return "cannot \(operation) \(path)\(written): \(errno) (errno \(errno.rawValue))"
        }
    }

    /// The final name.
    package let path: String
    /// The temporary name the bytes are written under until `commit()`.
    package let temporaryPath: String
    /// The temporary file, open for writing (invalid after `seal()` or `commit()`).
    package let descriptor: FileDescriptor
    private var open = true
    private var renamed = false

    /// Creates the temporary file beside `path` (exclusively, not following a symlink).
    /// `readable`: open it for reading too (a writer that reads back what it wrote).
    package init(path: String, permissions: UInt32 = 0o644, readable: Bool = false) throws(Failure) {
        self.path = path
        temporaryPath = Self.temporaryName(for: path)
        let temporary = temporaryPath
        descriptor = try Self.step("create", path, as: temporary) { () throws(Errno) in
            try FileDescriptor.typed {
                try FileDescriptor.open(
                    FilePath(temporary), readable ? .readWrite : .writeOnly,
                    options: [.create, .exclusiveCreate, .closeOnExec, .noFollow],
                    permissions: FilePermissions(rawValue: CModeT(permissions)))
            }
        }
    }

    deinit {
        if open { try? descriptor.close() }
        if !renamed { Platform.removeFile(temporaryPath) }
    }

    /// Forces the written bytes to stable storage and closes the temporary file, without renaming
    /// it yet (a writer of many files renames them all once every one is written).
    package func seal() throws(Failure) {
        guard open else { return }
        let temporary = temporaryPath
        try Self.step("sync", path, as: temporary) { () throws(Errno) in try Platform.sync(descriptor) }
        open = false
        try Self.step("close", path, as: temporary) { () throws(Errno) in try descriptor.closeReportingErrors() }
    }

    /// Seals the file, renames it over `path` and forces the directory holding it to stable
    /// storage.
    package func commit() throws(Failure) {
        try rename()
        try Self.syncDirectory(of: path)
    }

    /// Seals the file and renames it over `path`, leaving the directory's sync to the caller
    /// (`syncDirectory(of:)` once for many files).
    package func rename() throws(Failure) {
        try seal()
        let (temporary, final) = (temporaryPath, path)
        try Self.step("rename into place", final) { () throws(Errno) in try Platform.rename(temporary, to: final) }
        renamed = true
    }

    /// Writes `bytes` as the whole content of `path`: create, write, fsync, rename, fsync of the
    /// directory.
    package static func write(
        _ bytes: some Collection<UInt8>, to path: String, permissions: UInt32 = 0o644
    ) throws(Failure) {
        let file = try AtomicFile(path: path, permissions: permissions)
        let temporary = file.temporaryPath
        try step("write", path, as: temporary) { () throws(Errno) in
            func write(_ raw: UnsafeRawBufferPointer) -> Result<Void, Errno> {
                Result { () throws(Errno) in try file.descriptor.writeFully(raw) }
            }
            let written =
                bytes.withContiguousStorageIfAvailable { write(UnsafeRawBufferPointer($0)) }
                ?? Array(bytes).withUnsafeBytes { write($0) }
            try written.get()
        }
        try file.commit()
    }

    /// Forces the directory holding `path` to stable storage, so renames into it survive a power
    /// loss.
    package static func syncDirectory(of path: String) throws(Failure) {
        try syncDirectory(named: FilePath(path).removingLastComponent().string)
    }

    /// Forces `directory` (the current directory when empty) to stable storage.
    package static func syncDirectory(named directory: String) throws(Failure) {
        let name = directory.isEmpty ? "." : directory
        try step("sync directory", name) { () throws(Errno) in try Platform.syncDirectory(name) }
    }

    /// Runs one step, turning its `Errno` into a `Failure` naming the step and the path (and the
    /// temporary name it was working on, if any).
    private static func step<T>(
        _ operation: String, _ path: String, as temporary: String? = nil, _ body: () throws(Errno) -> T
    ) throws(Failure) -> T {
        do {
            return try body()
        } catch {
            throw Failure(operation: operation, path: path, errno: error, temporary: temporary)
        }
    }

    /// A hidden name beside `path`: `.<up to 80 bytes of its name>.tbkit-partial.<pid>.<n>`, short
    /// enough for any file system even when the final name has the longest length allowed.
    package static func temporaryName(for path: String) -> String {
        let full = FilePath(path)
        var leaf = ""
        for character in full.lastComponent?.string ?? "" {
            guard leaf.utf8.count + character.utf8.count <= 80 else { break }
            leaf.append(character)
        }
        let name = ".\(leaf).tbkit-partial.\(Platform.processID).\(counter.next())"
        return full.removingLastComponent().appending(name).string
    }

    /// Numbers the temporaries of one process, so two writers of the same path never share one.
    private static let counter = TemporaryCounter()
}
