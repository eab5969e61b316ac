import ArgumentParser
import Foundation
import TBKit

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
    /// The whole file being written (renamed into place by `close()`), for a regular file.
    private let atomic: AtomicFile?
    /// Whether `write(_:)` shows control, bidi and separator characters escaped (text for a
    /// person); bytes written with `write(bytes:)` are never changed.
    private let forPerson: Bool
    let name: String
    private var buffer = [UInt8]()
    /// The errno of the first write that failed (0 while all went well); reported by `close()`.
    private var failure: Int32 = 0
    private static let capacity = 1 << 18

    /// Standard output. `forPerson`: text written with `write(_:)` goes through
    /// `TerminalText.escaped(_:limit:layout:)` (newlines and tabs kept), so no name from a file
    /// reaches the terminal raw even where a caller forgot to escape it.
    init(forPerson: Bool = false) throws {
        descriptor = 1
        owned = false
        atomic = nil
        self.forPerson = forPerson
        name = "standard output"
        buffer.reserveCapacity(Self.capacity)
    }

    /// Standard output for nil or `-` (the usual command-line spelling), else the file `path`.
    static func destination(_ path: String?) throws -> TextOutput {
        guard let path, path != "-" else { return try TextOutput() }
        return try TextOutput(path: path)
    }

    /// A file, replaced whole by `close()` through `AtomicFile` (written under a temporary name,
    /// synced, renamed into place): a failed or interrupted run leaves the old file, never half a
    /// new one. A path that is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO) is written
    /// directly.
    init(path: String) throws {
        let existing = try? Platform.status(path)
        if let existing, existing.kind != .regular {
            let fd = Platform.retryingOnInterrupt { open(path, O_WRONLY | O_CLOEXEC) }
            guard fd >= 0 else {
                throw CommandFailure("cannot open \(path): \(String(cString: strerror(errno)))")
            }
            descriptor = fd
            atomic = nil
        } else {
            let whole: AtomicFile
            do {
                whole = try AtomicFile(path: path)
            } catch {
                throw CommandFailure("cannot create \(path): \(error)")
            }
            descriptor = whole.descriptor.rawValue
            atomic = whole
        }
        owned = true
        forPerson = false
        name = path
        buffer.reserveCapacity(Self.capacity)
    }

    func write(_ text: String) {
        var t = forPerson ? TerminalText.escaped(text, limit: nil, layout: true) : text
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
            let n = Platform.retryingOnInterrupt { systemWrite(descriptor, base + offset, bytes.count - offset) }
            guard n > 0 else {
                failure = n < 0 ? errno : EIO
                return
            }
            offset += n
        }
    }

    /// Writes what is buffered; for a file, also syncs it and renames it into place.
    func close() throws {
        flush()
        if failure != 0 { throw CommandFailure("writing \(name) failed: \(String(cString: strerror(failure)))") }
        if let atomic {
            do {
                try atomic.commit()
            } catch {
                throw CommandFailure("writing \(name) failed: \(error)")
            }
        } else if owned, systemClose(descriptor) != 0 {
            throw CommandFailure("writing \(name) failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// write(2), under a name `TextOutput`'s own `write` methods do not hide.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }

/// close(2), under a name `TextOutput`'s own `close` method does not hide.
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }

/// Writes a line to standard error, for a person: control, bidi and separator characters from the
/// names and paths it embeds are shown escaped and each line is cut at `TerminalText.lineLimit`.
package func printError(_ text: String) {
    var t = TerminalText.escapedLines(text) + "\n"
    t.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// A name, tag or path from a file or a user as shown to a person: escaped and cut to a readable
/// length (`TerminalText.escaped(_:)`).
func shown(_ name: String) -> String {
    TerminalText.escaped(name)
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
