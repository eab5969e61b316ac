import Synchronization

/// Event files held in memory under a path of their own (`<archive>/<member>`), so the readers
/// read a source's members (an archive's, read in place) exactly as they read files on disk:
/// `RecordReader` looks a path up here before it opens the file system.
package enum MemoryEventFiles {
    private static let files = Mutex<[String: [UInt8]]>([:])

    /// Makes `bytes` readable at `path` until `remove(_:)`.
    package static func add(_ bytes: [UInt8], at path: String) {
        files.withLock { $0[path] = bytes }
    }

    /// The bytes held at `path`, if any.
    package static func bytes(at path: String) -> [UInt8]? {
        files.withLock { $0[path] }
    }

    /// Forgets the files whose paths start with `prefix`.
    package static func remove(prefix: String) {
        files.withLock { all in
            for key in all.keys where key.hasPrefix(prefix) { all[key] = nil }
        }
    }
}
