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

/// Buffered text output to stdout or a file, through C stdio (one large buffer, no per-line flush).
final class TextOutput {
    private let file: UnsafeMutablePointer<FILE>
    private let owned: Bool
    /// The whole file being written (renamed into place by `close()`), for a regular file.
    private let atomic: AtomicFile?
    /// Whether `write(_:)` shows control, bidi and separator characters escaped (text for a
    /// person); bytes written with `write(bytes:)` are never changed.
    private let forPerson: Bool
    let name: String

    /// Standard output. `forPerson`: text written with `write(_:)` goes through
    /// `TerminalText.escaped(_:limit:layout:)` (newlines and tabs kept), so no name from a file
    /// reaches the terminal raw even where a caller forgot to escape it.
    init(forPerson: Bool = false) throws {
        // A stdio stream of its own on descriptor 1 (the C global `stdout` is not concurrency-safe to name).
        guard let f = fdopen(1, "w") else {
            throw CommandFailure("cannot write to standard output: \(String(cString: strerror(errno)))")
        }
        file = f
        owned = false
        atomic = nil
        self.forPerson = forPerson
        name = "standard output"
    }

    /// A file, replaced whole by `close()` through `AtomicFile` (written under a temporary name,
    /// synced, renamed into place): a failed or interrupted run leaves the old file, never half a
    /// new one. A path that is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO) is written
    /// directly.
    init(path: String) throws {
        let existing = try? Platform.status(path)
        if let existing, existing.kind != .regular {
            guard let f = fopen(path, "w") else {
                throw CommandFailure("cannot open \(path): \(String(cString: strerror(errno)))")
            }
            file = f
            atomic = nil
        } else {
            let whole: AtomicFile
            do {
                whole = try AtomicFile(path: path)
            } catch {
                throw CommandFailure("cannot create \(path): \(error)")
            }
            // stdio gets a descriptor of its own; the AtomicFile keeps the original to sync it.
            let copy = dup(whole.descriptor.rawValue)
            guard copy >= 0, let f = fdopen(copy, "w") else {
                if copy >= 0 { closeDescriptor(copy) }
                throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            file = f
            atomic = whole
        }
        owned = true
        forPerson = false
        name = path
    }

    func write(_ text: String) {
        var t = forPerson ? TerminalText.escaped(text, limit: nil, layout: true) : text
        t.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, file) }
    }

    func write(bytes: UnsafeBufferPointer<UInt8>) {
        _ = fwrite(bytes.baseAddress, 1, bytes.count, file)
    }

    /// Flushes what was written; for a file, also syncs it and renames it into place.
    func close() throws {
        let failed = fflush(file) != 0 || ferror(file) != 0
        if owned { fclose(file) }
        if failed { throw CommandFailure("writing \(name) failed: \(String(cString: strerror(errno)))") }
        do {
            try atomic?.commit()
        } catch {
            throw CommandFailure("writing \(name) failed: \(error)")
        }
    }
}

/// Closes a C file descriptor (outside `TextOutput`, whose own `close()` would hide the C call).
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}

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
