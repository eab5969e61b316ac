/// Writes a tar stream (ustar headers, pax extended headers where ustar cannot hold a value),
/// streaming: a member's data may be handed over in any number of chunks.
///
/// Invariant: every member's data is exactly `entry.size` bytes, then zero padding to a 512-byte
/// boundary; `finish()` adds the two zero blocks that end an archive. Output goes to `sink`, which
/// must consume each buffer before returning.
package struct TarWriter {
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private var open: (path: String, size: UInt64, written: UInt64)?
    private var finished = false

    /// Bytes of tar stream produced so far.
    package private(set) var offset: UInt64 = 0

    /// A writer that sends every byte of the tar stream to `sink`.
    package init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.sink = sink
    }

    /// Writes a whole member whose data is in memory.
    package mutating func append(_ entry: TarEntry, data: [UInt8] = []) throws {
        var entry = entry
        if entry.kind == .regular { entry.size = UInt64(data.count) }
        try beginEntry(entry)
        try data.withUnsafeBytes { try writeData($0) }
        try endEntry()
    }

    /// Writes the header(s) of `entry`; for a regular file, `entry.size` bytes must follow via
    /// `writeData`, then `endEntry()`.
    package mutating func beginEntry(_ entry: TarEntry) throws {
        precondition(open == nil && !finished, "beginEntry while another member is open or after finish")
        let size = entry.kind == .regular ? entry.size : 0
        var pax: [(key: String, value: String)] = []
        let pathBytes = Array(entry.path.utf8)
        let linkBytes = Array(entry.linkTarget.utf8)
        guard !pathBytes.isEmpty, !pathBytes.contains(0) else {
            throw TarError.unrepresentable(member: entry.path, reason: "empty name or NUL byte in name")
        }
        guard !linkBytes.contains(0) else {
            throw TarError.unrepresentable(member: entry.path, reason: "NUL byte in link target")
        }
        let isPlain: ([UInt8]) -> Bool = { bytes in bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7f } }
        var name = pathBytes
        if entry.kind == .directory && name.last != UInt8(ascii: "/") { name.append(UInt8(ascii: "/")) }
        // Decide on the name as stored: a directory's trailing slash counts toward the 100 bytes.
        if name.count > 100 || !isPlain(name) { pax.append(("path", String(decoding: name, as: UTF8.self))) }
        if linkBytes.count > 100 || !isPlain(linkBytes) { pax.append(("linkpath", entry.linkTarget)) }
        if size > TarHeader.maxOctalSize { pax.append(("size", String(size))) }
        if entry.mtime < 0 || UInt64(entry.mtime) > TarHeader.maxOctalSize {
            pax.append(("mtime", String(entry.mtime)))
        }

        if !pax.isEmpty {
            let data = TarPaxRecords.encode(pax)
            // A stable, ASCII name for the extended header itself (readers ignore it).
            let leaf = Self.asciiFallback(
                pathBytes.split(separator: UInt8(ascii: "/")).last.map(Array.init) ?? pathBytes, limit: 80)
            var paxHeader = TarHeader(
                name: Array("PaxHeader/".utf8) + leaf, mode: 0o644,
                size: UInt64(data.count), mtime: max(0, min(entry.mtime, Int64(TarHeader.maxOctalSize))),
                typeflag: UInt8(ascii: "x"))
            paxHeader.uid = 0
            try emit(paxHeader.encode())
            try emit(data)
            try pad(UInt64(data.count))
        }
        var header = TarHeader(
            name: name.count > 100 || !isPlain(name) ? Self.asciiFallback(name, limit: 100) : name,
            mode: entry.mode & 0o7777, size: min(size, TarHeader.maxOctalSize),
            mtime: max(0, min(entry.mtime, Int64(TarHeader.maxOctalSize))),
            typeflag: entry.kind.typeflag)
        header.linkname =
            linkBytes.count > 100 || !isPlain(linkBytes) ? Self.asciiFallback(linkBytes, limit: 100) : linkBytes
        header.uid = UInt64(entry.uid)
        header.gid = UInt64(entry.gid)
        try emit(header.encode())
        open = (entry.path, size, 0)
    }

    /// Appends data to the open member; throws if it would exceed the size given in its header.
    package mutating func writeData(_ bytes: UnsafeRawBufferPointer) throws {
        guard var member = open else {
            preconditionFailure("writeData without beginEntry")
        }
        guard member.written + UInt64(bytes.count) <= member.size else {
            throw TarError.unrepresentable(
                member: member.path,
                reason:
                    "more data (\(member.written + UInt64(bytes.count)) bytes) than its header says (\(member.size))")
        }
        if bytes.count > 0 { try sink(bytes) }
        offset += UInt64(bytes.count)
        member.written += UInt64(bytes.count)
        open = member
    }

    /// Closes the open member, padding it to a block boundary; throws if data is missing.
    package mutating func endEntry() throws {
        guard let member = open else { preconditionFailure("endEntry without beginEntry") }
        guard member.written == member.size else {
            throw TarError.unrepresentable(
                member: member.path,
                reason: "only \(member.written) of \(member.size) data bytes were written")
        }
        try pad(member.size)
        open = nil
    }

    /// Writes the end-of-archive marker (two zero blocks).
    package mutating func finish() throws {
        precondition(open == nil, "finish with a member still open")
        guard !finished else { return }
        try emit([UInt8](repeating: 0, count: 2 * TarHeader.blockSize))
        finished = true
    }

    private mutating func emit(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try sink($0) }
        offset += UInt64(bytes.count)
    }

    private mutating func pad(_ size: UInt64) throws {
        let rest = Int(size % UInt64(TarHeader.blockSize))
        if rest != 0 { try emit([UInt8](repeating: 0, count: TarHeader.blockSize - rest)) }
    }

    /// Printable ASCII stand-in for a name that needs a pax record (kept for old readers).
    private static func asciiFallback(_ bytes: [UInt8], limit: Int) -> [UInt8] {
        let mapped = bytes.map { $0 >= 0x20 && $0 < 0x7f ? $0 : UInt8(ascii: "_") }
        return Array(mapped.suffix(limit))
    }
}
