import TBKit

/// Reads a tar stream member by member, applying pax ('x', 'g') and GNU long-name ('L', 'K')
/// extensions, verifying every header checksum, and never trusting a size before reading it.
///
/// `fill` must fill the whole buffer and return its size, or return less only at the end of the
/// stream. Call `next()` for each member; its data can be read with `readData(_:)` (or is skipped
/// by the next `next()`).
package struct TarReader {
    private let fill: (UnsafeMutableRawBufferPointer) throws -> Int
    private var dataLeft: UInt64 = 0
    private var paddingLeft: UInt64 = 0
    private var block = [UInt8](repeating: 0, count: TarHeader.blockSize)
    private var scratch = [UInt8](repeating: 0, count: 1 << 17)

    /// Offset in the uncompressed tar stream of the next byte to be read.
    package private(set) var offset: UInt64 = 0
    /// The member returned by the last `next()`, for messages.
    package private(set) var current: TarEntry?
    /// True once the end-of-archive marker has been read.
    package private(set) var reachedEnd = false

    /// Largest pax or GNU long-name payload accepted (a name is never this long).
    package static let maxExtensionSize: UInt64 = 1 << 20

    /// A reader pulling tar bytes from `fill`.
    package init(fill: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) {
        self.fill = fill
    }

    /// The next member, or nil at the end-of-archive marker.
    package mutating func next() throws -> TarEntry? {
        try skipRest()
        var pax: [String: String] = [:]
        var longName: String?
        var longLink: String?
        while true {
            let headerOffset = offset
            guard try readBlock() else {
                throw TarError.truncated(offset: headerOffset, member: nil)
            }
            if block.allSatisfy({ $0 == 0 }) {
                reachedEnd = true
                current = nil
                return nil
            }
            let header = try block.withUnsafeBytes {
                try TarHeader.decode($0, offset: headerOffset, previousMember: current?.path)
            }
            let headerName = String(decoding: header.path, as: UTF8.self)
            switch header.typeflag {
            case UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K"):
                guard header.size <= TarReader.maxExtensionSize else {
                    throw TarError.badPaxRecord(offset: headerOffset, member: headerName)
                }
                dataLeft = header.size
                paddingLeft = Self.padding(header.size)
                current = TarEntry(path: headerName, kind: .other(header.typeflag), size: header.size)
                var data = [UInt8]()
                try readData { data.append(contentsOf: $0) }
                switch header.typeflag {
                case UInt8(ascii: "x"):
                    guard let records = TarPaxRecords.decode(data) else {
                        throw TarError.badPaxRecord(offset: headerOffset, member: headerName)
                    }
                    pax.merge(records) { _, new in new }
                case UInt8(ascii: "L"):
                    longName = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
                case UInt8(ascii: "K"):
                    longLink = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
                default:
                    break  // global pax headers carry nothing TBKit uses
                }
                try skipRest()
                continue
            default:
                break
            }
            var entry = TarEntry(
                path: pax["path"] ?? longName ?? headerName,
                kind: TarEntry.Kind(typeflag: header.typeflag),
                size: header.size, mode: header.mode, mtime: header.mtime,
                linkTarget: pax["linkpath"] ?? longLink ?? String(decoding: header.linkname, as: UTF8.self))
            if let text = pax["size"] {
                guard let size = IntegerText.uint64(text) else {
                    throw TarError.badPaxRecord(offset: headerOffset, member: entry.path)
                }
                entry.size = size
            }
            if let text = pax["mtime"] {
                // pax mtimes may carry a fraction: keep whole seconds.
                let whole = text.split(separator: ".", maxSplits: 1).first.map(String.init) ?? text
                guard let mtime = IntegerText.int64(whole) else {
                    throw TarError.badPaxRecord(offset: headerOffset, member: entry.path)
                }
                entry.mtime = mtime
            }
            entry.uid = UInt32(truncatingIfNeeded: header.uid)
            entry.gid = UInt32(truncatingIfNeeded: header.gid)
            if entry.kind == .directory, entry.path.hasSuffix("/") { entry.path.removeLast() }
            // Only regular files (and, oddly, some writers' other types) carry data; hard links
            // and symlinks may declare a size in old archives but never have data in ustar.
            let dataSize: UInt64
            switch entry.kind {
            case .regular, .other: dataSize = entry.size
            default: dataSize = 0
            }
            dataLeft = dataSize
            paddingLeft = Self.padding(dataSize)
            current = entry
            return entry
        }
    }

    /// Streams the current member's remaining data to `sink` in chunks of up to 128 KiB.
    package mutating func readData(_ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        while dataLeft > 0 {
            let want = Int(min(dataLeft, UInt64(scratch.count)))
            let got = try scratch.withUnsafeMutableBytes {
                try fill(UnsafeMutableRawBufferPointer(rebasing: $0[0..<want]))
            }
            offset += UInt64(got)
            dataLeft -= UInt64(got)
            if got > 0 { try scratch.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[0..<got])) } }
            if got < want { throw TarError.truncated(offset: offset, member: current?.path) }
        }
        while paddingLeft > 0 {
            let want = Int(paddingLeft)
            let got = try scratch.withUnsafeMutableBytes {
                try fill(UnsafeMutableRawBufferPointer(rebasing: $0[0..<want]))
            }
            offset += UInt64(got)
            paddingLeft -= UInt64(got)
            if got < want { throw TarError.truncated(offset: offset, member: current?.path) }
        }
    }

    /// Reads everything after the end-of-archive marker (zero padding) so a compressed source
    /// gets to check its trailer; returns how many bytes were read.
    @discardableResult
    package mutating func drainToEnd() throws -> UInt64 {
        var total: UInt64 = 0
        while true {
            let got = try scratch.withUnsafeMutableBytes { try fill($0) }
            total += UInt64(got)
            offset += UInt64(got)
            if got < scratch.count { return total }
        }
    }

    private mutating func skipRest() throws {
        if dataLeft > 0 || paddingLeft > 0 { try readData { _ in } }
    }

    private mutating func readBlock() throws -> Bool {
        let got = try block.withUnsafeMutableBytes { try fill($0) }
        offset += UInt64(got)
        return got == TarHeader.blockSize
    }

    private static func padding(_ size: UInt64) -> UInt64 {
        let rest = size % UInt64(TarHeader.blockSize)
        return rest == 0 ? 0 : UInt64(TarHeader.blockSize) - rest
    }
}
