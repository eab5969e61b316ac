import Foundation
import Synchronization
import SystemPackage
import TBKit
import TBKitCrypto

/// Writes a log directory to a deterministic `.tar.gz` with a manifest as its first member.
///
/// Determinism policy (the same logdir gives the same bytes):
/// - members sorted by the UTF-8 bytes of their path relative to the logdir, directories
///   included (so empty ones survive); the manifest (`tbkit-manifest.json`) comes first;
/// - each member keeps its modification time (whole seconds); the manifest takes the newest
///   mtime in the logdir; uid/gid are 0 and uname/gname empty;
/// - modes are normalized: directories 0755, files 0644 (0755 when the owner may execute);
/// - gzip header with no file name and a zero timestamp (zlib's default), level 6 unless told.
/// Each file is read once, streaming: every chunk is hashed for the manifest and goes into the tar
/// stream, which two workers deflate in 1 MiB blocks (`CompressionPipeline`) into a spool file
/// beside the archive's temporary while a thread scans the runs for the manifest. At the end the
/// manifest member is deflated as blocks of its own and the gzip member is laid out as header,
/// manifest blocks, the spooled blocks, final block and trailer (CRC-32 combined): one member,
/// manifest first. A file's identity (device, inode, size, mtime, ctime) is taken at the walk and
/// checked when it is opened and after it is read: a grown file (a run appending to its event
/// file) is archived as its first walk-time `size` bytes; a replaced, shrunk or rewritten one is
/// an error. Memory stays flat (a few MiB, plus the manifest).
public struct LogArchiver {
    /// What was written.
    public struct Summary: Sendable {
        /// Regular files archived.
        public var files: Int
        /// Directories archived.
        public var directories: Int
        /// Symlinks archived.
        public var symlinks: Int
        /// Sum of file sizes.
        public var contentBytes: UInt64
        /// Size of the `.tar.gz`.
        public var archiveBytes: UInt64
        /// The manifest that was written.
        public var manifest: ArchiveManifest
    }

    /// Scans one run directory's event files into tag rows; nil leaves runs out of the manifest.
    public typealias RunScanner = @Sendable (_ runDirectory: String) throws -> [ArchiveManifest.Run.Tag]

    /// The directory to archive.
    public var logdir: String
    /// gzip level 0...9.
    public var level: Int32
    /// Replace an existing archive file.
    public var overwrite: Bool
    /// Fills the manifest's per-run part; nil writes no `runs`.
    public var runScanner: RunScanner?
    /// Files made in memory (a report of the logdir, say) that go in at the archive root like any
    /// other file: hashed in the manifest, sorted with the rest, with the newest mtime of the
    /// logdir. A regular file of the same name in the logdir is replaced by the generated one.
    public var generatedFiles: [GeneratedFile] = []

    /// A file added to the archive from memory.
    public struct GeneratedFile: Sendable {
        /// Its name at the archive root (no `/`).
        public var name: String
        /// Makes its content. It runs on a thread of its own from the start of `write(to:)`,
        /// while the logdir's files are read and compressed, and the archive waits for it when
        /// it reaches this file; an error it throws stops the archive.
        public var content: @Sendable () throws -> [UInt8]

        /// A file called `name` holding `bytes`.
        public init(name: String, bytes: [UInt8]) {
            self.name = name
            content = { bytes }
        }

        /// A file called `name` whose content `content` makes (a report of the logdir, say).
        public init(name: String, content: @escaping @Sendable () throws -> [UInt8]) {
            self.name = name
            self.content = content
        }
    }

    /// Runs after the walk, before any file is read (a seam for tests of files that change in
    /// between).
    var beforeCopying: (() -> Void)?

    /// An archiver for `logdir`; by default the manifest lists each run's tags and step ranges.
    public init(
        logdir: String, level: Int32 = 6, overwrite: Bool = false,
        runScanner: RunScanner? = ArchiveRunScanner.eventFiles
    ) {
        self.logdir = logdir
        self.level = level
        self.overwrite = overwrite
        self.runScanner = runScanner
    }

    struct Item {
        var path: String  // relative, '/'-separated
        var kind: TarEntry.Kind
        var size: UInt64
        var mode: UInt32
        var mtime: Int64
        var target: String
        var generated: GeneratedContent? = nil
        var identity: FileIdentity? = nil  // a regular file's, at the walk
    }

    /// Archives the logdir into `archivePath` (written to a temporary name, renamed at the end).
    @discardableResult
    public func write(to archivePath: String) throws -> Summary {
        // The logdir itself may be a symlink (followed); nothing inside it is followed.
        guard
            let root = try LogArchiveError.during(
                "open logdir", logdir, { () throws(Errno) in try Platform.status(logdir) })
        else {
            throw LogArchiveError.io(
                operation: "open logdir", path: logdir, errno: Errno.noSuchFileOrDirectory.rawValue)
        }
        guard root.isDirectory else {
            throw LogArchiveError.io(operation: "open logdir", path: logdir, errno: Errno.notDirectory.rawValue)
        }
        if !overwrite, try Self.linkStatus(archivePath) != nil {
            throw LogArchiveError.archiveExists(path: archivePath)
        }
        // Written whole under a temporary name, synced and renamed into place at the end; on any
        // error the temporary is removed when `archive` goes away.
        let archive = try LogArchiveError.writing { () throws(AtomicFile.Failure) in
            try AtomicFile(path: archivePath)
        }
        let temporary = archive.temporaryPath
        let output = archive.descriptor
        // The compressed blocks of every member after the manifest wait here until the manifest
        // is known; the spool goes on every path, success or error.
        let spoolPath = temporary + ".data"
        let spool = try Self.create(spoolPath, .readWrite)
        var spoolOpen = true
        defer {
            if spoolOpen { try? spool.close() }
            Platform.removeFile(spoolPath)
        }
        let outputInfo = try LogArchiveError.during("fstat", temporary) { () throws(Errno) in
            try Platform.status(of: output)
        }
        let spoolInfo = try LogArchiveError.during("fstat", spoolPath) { () throws(Errno) in
            try Platform.status(of: spool)
        }

        var items = [Item]()
        try walk(
            relative: "", into: &items,
            skip: [(outputInfo.device, outputInfo.inode), (spoolInfo.device, spoolInfo.inode)])
        items.sortShared { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        if items.contains(where: { $0.path == ArchiveManifest.memberName }) {
            throw LogArchiveError.manifestNameTaken(path: join(logdir, ArchiveManifest.memberName))
        }
        try addGenerated(to: &items)
        defer { for item in items { _ = try? item.generated?.wait() } }  // no thread outlives the call
        beforeCopying?()

        // The per-run scan reads the event files on a thread of its own while the files are copied.
        let runNames = Set(
            items.filter { $0.kind == .regular && Self.isEventFile($0.path) }.map { Self.parent($0.path) })
        let runScan = runScanner.map { scanner in
            let runs = runNames.sortedShared { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { name in
                (name: name.isEmpty ? "." : name, path: name.isEmpty ? logdir : join(logdir, name))
            }
            return Background(name: "tbkit-archive-run-scan") { try Self.scan(runs, with: scanner) }
        }
        defer { _ = try? runScan?.wait() }

        // One pass over the files: each chunk read is hashed, then goes into the tar stream,
        // whose blocks the pipeline deflates on its workers into the spool.
        let pipeline = CompressionPipeline(
            level: level, output: spool, path: spoolPath, chunkSize: Self.blockSize, framed: false)
        var pipelineOpen = true
        defer { if pipelineOpen { pipeline.cancel() } }
        var tar = TarWriter { chunk in try pipeline.write(chunk) }
        let rows = try appendMembers(items, to: &tar)
        try tar.finish()
        pipelineOpen = false
        let files = try pipeline.finishBlocks()

        let directories = items.filter { $0.kind == .directory }.map(\.path)
        let runs = try runScan?.wait()
        let manifest = ArchiveManifest(directories: directories, files: rows, runs: runs)
        var manifestTar = [UInt8]()
        var head = TarWriter { manifestTar.append(contentsOf: $0) }
        try head.append(
            TarEntry(
                path: ArchiveManifest.memberName, kind: .regular, mode: 0o644, mtime: items.map(\.mtime).max() ?? 0),
            data: try manifest.encoded())

        let archiveBytes = try assemble(
            manifestTar: manifestTar, files: files, spool: spool, spoolPath: spoolPath, output: output,
            outputPath: temporary)
        spoolOpen = false
        try? spool.close()
        try LogArchiveError.writing { () throws(AtomicFile.Failure) in try archive.commit() }
        return Summary(
            files: rows.filter { $0.kind == .file }.count, directories: directories.count,
            symlinks: rows.filter { $0.kind == .symlink }.count,
            contentBytes: rows.reduce(0) { $0 + $1.size }, archiveBytes: archiveBytes,
            manifest: manifest)
    }

    /// Appends every item to the tar stream, hashing each file's bytes on the way, and returns
    /// the manifest's rows. Kept out of `write(to:)`, which the optimizer handles in a fraction
    /// of the time without it.
    @inline(never)
    private func appendMembers(_ items: [Item], to tar: inout TarWriter) throws -> [ArchiveManifest.File] {
        var rows = [ArchiveManifest.File]()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for item in items {
            let entry = TarEntry(
                path: item.path, kind: item.kind, size: item.kind == .regular ? item.size : 0,
                mode: item.mode, mtime: item.mtime, linkTarget: item.target)
            switch item.kind {
            case .symlink:
                rows.append(.init(path: item.path, kind: .symlink, size: 0, sha256: nil, target: item.target))
                try tar.append(entry)
            case .regular:
                var hasher = SHA256()
                var size = item.size
                if let generated = item.generated {
                    let bytes = try generated.wait()
                    size = UInt64(bytes.count)
                    bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
                    var sized = entry
                    sized.size = size
                    try tar.append(sized, data: bytes)
                } else {
                    try tar.beginEntry(entry)
                    try copy(item, buffer: &buffer) { chunk in
                        hasher.update(bufferPointer: chunk)
                        try tar.writeData(chunk)
                    }
                    try tar.endEntry()
                }
                rows.append(.init(path: item.path, kind: .file, size: size, sha256: hasher.finalize().hex, target: nil))
            default:
                try tar.append(entry)
            }
        }
        return rows
    }

    /// Input bytes per deflate block, for the files' part and the manifest alike.
    static let blockSize = 1 << 20

    /// Writes the one gzip member: header, the manifest member's tar bytes deflated as blocks of
    /// their own, the spooled blocks of the rest of the tar stream, the empty final block, and
    /// the trailer (CRC-32 combined, manifest first; size of the whole tar stream). Returns the
    /// bytes written.
    @inline(never)
    private func assemble(
        manifestTar: [UInt8], files: (crc: UInt32, size: UInt64, compressed: UInt64), spool: FileDescriptor,
        spoolPath: String, output: FileDescriptor, outputPath: String
    ) throws -> UInt64 {
        var written: UInt64 = 0
        func put(_ bytes: UnsafeRawBufferPointer) throws {
            try CompressionPipeline.write(bytes, to: output, path: outputPath)
            written += UInt64(bytes.count)
        }
        try GZipMemberAssembly.header(level: level).withUnsafeBytes { try put($0) }
        let compressor = try DeflateBlockCompressor(level: level)
        let manifestCRC = try manifestTar.withUnsafeBytes { tar throws -> UInt32 in
            var offset = 0
            while offset < tar.count {
                let end = min(offset + Self.blockSize, tar.count)
                let packed = try compressor.compress(UnsafeRawBufferPointer(rebasing: tar[offset..<end]))
                try packed.withUnsafeBytes { try put($0) }
                offset = end
            }
            return GZipMemberAssembly.crc32(tar)
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var copied: UInt64 = 0
        while copied < files.compressed {
            let want = Int(min(files.compressed - copied, UInt64(buffer.count)))
            let got = try buffer.withUnsafeMutableBytes { raw in
                try LogArchiveError.during("read", spoolPath) { () throws(Errno) in
                    try spool.readFully(
                        into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<want]), atOffset: Int64(copied))
                }
            }
            guard got == want else {
                throw LogArchiveError.io(operation: "read", path: spoolPath, errno: Errno.ioError.rawValue)
            }
            try buffer.withUnsafeBytes { try put(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
            copied += UInt64(got)
        }
        let crc = GZipMemberAssembly.combine(manifestCRC, files.crc, lengthOfB: Int(files.size))
        let tail =
            GZipMemberAssembly.finalBlock
            + GZipMemberAssembly.trailer(crc: crc, size: UInt64(manifestTar.count) + files.size)
        try tail.withUnsafeBytes { try put($0) }
        return written
    }

    /// Creates `path` for this archive only (it must not exist; never through a symlink).
    @inline(never)
    private static func create(_ path: String, _ mode: FileDescriptor.AccessMode) throws -> FileDescriptor {
        try LogArchiveError.during("create", path) { () throws(Errno) in
            try FileDescriptor.typed {
                try FileDescriptor.open(
                    FilePath(path), mode, options: [.create, .exclusiveCreate, .closeOnExec, .noFollow],
                    permissions: FilePermissions(rawValue: 0o644))
            }
        }
    }

    /// The manifest's rows of `runs`, in the order given, each run's tags sorted by their bytes.
    private static func scan(
        _ runs: [(name: String, path: String)], with scanner: RunScanner
    ) throws -> [ArchiveManifest.Run] {
        try runs.map { run in
            let tags = try scanner(run.path).sortedShared { $0.tag.utf8.lexicographicallyPrecedes($1.tag.utf8) }
            return ArchiveManifest.Run(name: run.name, tags: tags)
        }
    }

    /// Puts the generated files among the sorted items, replacing regular files of the same name;
    /// each takes the newest mtime of the logdir so the archive stays deterministic.
    private func addGenerated(to items: inout [Item]) throws {
        guard !generatedFiles.isEmpty else { return }
        let newest = items.map(\.mtime).max() ?? 0
        for file in generatedFiles {
            let name = file.name
            if name.isEmpty || name == "." || name == ".." || name.contains("/") || name == ArchiveManifest.memberName {
                throw LogArchiveError.generatedFileClash(
                    path: name, reason: "a generated file needs a plain name at the archive root")
            }
            if let existing = items.first(where: { $0.path == name }), existing.kind != .regular {
                throw LogArchiveError.generatedFileClash(
                    path: join(logdir, name), reason: "the logdir has a directory or symlink of that name")
            }
            items.removeAll { $0.path == name }
            items.append(
                Item(
                    path: name, kind: .regular, size: 0, mode: 0o644, mtime: newest, target: "",
                    generated: GeneratedContent(name: "tbkit-archive-generate-\(name)", file.content)))
        }
        items.sortShared { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// True for a file TensorBoard would load (the same test `RunDirectory` applies).
    static func isEventFile(_ path: String) -> Bool {
        RunDirectory.isEventFileName(path.split(separator: "/").last.map(String.init) ?? path)
    }

    private static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// `relative` (from the walk: never absolute, never `..`) under `base`, joined by swift-system.
    func join(_ base: String, _ relative: String) -> String {
        relative.isEmpty ? base : FilePath(base).appending(relative).string
    }
}

/// A generated file's content, made on its own thread.
typealias GeneratedContent = Background<[UInt8]>
