import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Buffered text output to stdout or a file: one large buffer written with write(2) when full
/// and at `close()`, no per-line flush. (Plain descriptors rather than C stdio: musl's `FILE` is
/// an opaque type, glibc's and Darwin's are not, so stdio streams differ in Swift per C library.)
final class TextOutput {
    private let descriptor: Int32
    private let owned: Bool
    let name: String
    private var buffer = [UInt8]()
    /// The errno of the first write that failed (0 while all went well); reported by `close()`.
    private var failure: Int32 = 0
    private static let capacity = 1 << 18

    /// Standard output.
    init() throws {
        descriptor = 1
        owned = false
        name = "standard output"
        buffer.reserveCapacity(Self.capacity)
    }

    /// Standard output for nil or `-` (the usual command-line spelling), else the file `path`.
    static func destination(_ path: String?) throws -> TextOutput {
        guard let path, path != "-" else { return try TextOutput() }
        return try TextOutput(path: path)
    }

    /// A file, created or truncated.
    init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            throw CommandFailure("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        descriptor = fd
        owned = true
        name = path
        buffer.reserveCapacity(Self.capacity)
    }

    func write(_ text: String) {
        var t = text
        t.withUTF8 { write(bytes: $0) }
    }

    func write(bytes: UnsafeBufferPointer<UInt8>) {
        if buffer.count + bytes.count > Self.capacity { flush() }
        if bytes.count >= Self.capacity {
            writeAll(UnsafeRawBufferPointer(bytes))
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Writes what the buffer holds.
    private func flush() {
        buffer.withUnsafeBytes { writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes all of `bytes` (retrying after a signal); after a failure, writes nothing more.
    private func writeAll(_ bytes: UnsafeRawBufferPointer) {
        guard failure == 0, let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = systemWrite(descriptor, base + offset, bytes.count - offset)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                failure = n < 0 ? errno : EIO
                return
            }
            offset += n
        }
    }

    func close() throws {
        flush()
        if owned, systemClose(descriptor) != 0, failure == 0 { failure = errno }
        if failure != 0 { throw CommandFailure("writing \(name) failed: \(String(cString: strerror(failure)))") }
    }
}

/// write(2), under a name `TextOutput`'s own `write` methods do not hide.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }

/// close(2), under a name `TextOutput`'s own `close` method does not hide.
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }

/// Writes a line to standard error.
package func printError(_ text: String) {
    var t = text + "\n"
    t.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// Renders rows as columns padded to the widest cell; `rightAligned` columns are padded on the left.
func renderTable(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = [], indent: String = "") -> String {
    var widths = header.map(\.count)
    for row in rows {
        for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
    }
    func line(_ cells: [String]) -> String {
        var s = indent
        for (i, cell) in cells.enumerated() {
            let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
            if i > 0 { s += "  " }
            s += rightAligned.contains(i) ? pad + cell : (i == cells.count - 1 ? cell : cell + pad)
        }
        return s
    }
    var out = line(header) + "\n"
    for row in rows { out += line(row) + "\n" }
    return out
}

/// A wall time as `YYYY-MM-DD HH:MM:SS` UTC.
func formatWallTime(_ t: Double) -> String {
    guard t.isFinite, abs(t) < 1e11 else { return String(t) }
    var seconds = time_t(t.rounded(.down))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return
        "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
}

/// A number for tables: 6 significant digits (`%.6g`).
func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    return String(format: "%.6g", x)
}
