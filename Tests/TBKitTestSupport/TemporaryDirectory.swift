import Foundation

/// A fresh temporary directory, removed when the value is released.
package final class TemporaryDirectory {
    /// The directory's path.
    package let path: String

    /// Creates a new, empty directory under the system's temporary directory.
    package init() {
        let base = FileManager.default.temporaryDirectory.path + "/tbkit-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` (creating subdirectories) and returns the full path.
    @discardableResult
    package func write(_ name: String, _ bytes: [UInt8]) -> String {
        let full = path + "/" + name
        try? FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }

    /// Appends `bytes` to the file at `path`.
    package func append(_ path: String, _ bytes: [UInt8]) {
        guard let h = FileHandle(forWritingAtPath: path) else { return }
        h.seekToEndOfFile()
        h.write(Data(bytes))
        h.closeFile()
    }
}
