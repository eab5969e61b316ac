import Synchronization

/// Event files that are not on the local file system, under a path of their own
/// (`<archive>/<member>`), so the readers read a source's members (an archive's, read in place)
/// exactly as they read files on disk: `RecordReader` looks a path up here before it opens the
/// file system. A file is either held here (`add`) or made on demand by a provider registered for
/// a path prefix (`register`), which may hold only some of its files at a time.
package enum MemoryEventFiles {
    /// Makes the whole content of the file at a path under its prefix, or throws why it cannot.
    package typealias Provider = @Sendable (_ path: String) throws(RecordReaderError) -> [UInt8]

    private static let files = Mutex<[String: [UInt8]]>([:])
    private static let providers = Mutex<[(prefix: String, provider: Provider)]>([])

    /// Makes `bytes` readable at `path` until `remove(_:)`.
    package static func add(_ bytes: [UInt8], at path: String) {
        files.withLock { $0[path] = bytes }
    }

    /// Makes the files under `prefix` readable through `provider` until `remove(prefix:)`; it
    /// replaces a provider registered before for the same prefix (a source read again).
    package static func register(prefix: String, provider: @escaping Provider) {
        providers.withLock { all in
            all.removeAll { $0.prefix == prefix }
            all.append((prefix, provider))
        }
    }

    /// The bytes held at `path`, if any (files of providers are not looked up).
    package static func bytes(at path: String) -> [UInt8]? {
        files.withLock { $0[path] }
    }

    /// The content of the file at `path`: held bytes, or a provider's; nil when `path` is not
    /// one of these files (it is then on the file system).
    package static func contents(at path: String) throws(RecordReaderError) -> [UInt8]? {
        if let held = bytes(at: path) { return held }
        let provider = providers.withLock { all in all.last { path.hasPrefix($0.prefix) }?.provider }
        guard let provider else { return nil }
        return try provider(path)
    }

    /// Forgets the files and providers whose paths start with `prefix`.
    package static func remove(prefix: String) {
        files.withLock { all in
            for key in all.keys where key.hasPrefix(prefix) { all[key] = nil }
        }
        providers.withLock { all in all.removeAll { $0.prefix.hasPrefix(prefix) } }
    }
}
