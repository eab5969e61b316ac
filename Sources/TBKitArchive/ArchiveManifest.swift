import Foundation

/// The table of contents TBKit puts first in every log archive (`tbkit-manifest.json`): what each
/// file must contain, so extraction can prove it restored the logdir exactly.
///
/// Paths are relative to the logdir, '/'-separated, sorted by their UTF-8 bytes. The JSON is
/// written with sorted keys and no volatile fields (no creation time, host or user), so the same
/// logdir always gives the same manifest bytes.
public struct ArchiveManifest: Codable, Sendable, Equatable {
    /// The member name of the manifest inside the archive; always the first member.
    package static let memberName = "tbkit-manifest.json"
    /// The format tag this code writes and accepts.
    package static let currentFormat = "tbkit-log-archive/1"

    /// One regular file or symlink of the logdir.
    public struct File: Codable, Sendable, Equatable {
        /// Path relative to the logdir.
        public var path: String
        /// What a manifest row describes; the raw value is what the JSON holds.
        public enum Kind: String, Codable, Sendable, Equatable {
            /// A regular file, with its size and SHA-256.
            case file
            /// A symlink, with its target.
            case symlink
        }

        /// A regular file or a symlink.
        public var kind: Kind
        /// Bytes of content (0 for a symlink).
        public var size: UInt64
        /// Lower-case hex SHA-256 of the content (absent for a symlink).
        public var sha256: String?
        /// Where a symlink points, as stored in the link (absent for a file).
        public var target: String?

        /// A manifest row.
        package init(path: String, kind: Kind, size: UInt64, sha256: String?, target: String?) {
            self.path = path
            self.kind = kind
            self.size = size
            self.sha256 = sha256
            self.target = target
        }
    }

    /// The tags of one run (a directory holding event files) and the steps each covers.
    public struct Run: Codable, Sendable, Equatable {
        /// One tag's step range and how many values it holds in the run.
        public struct Tag: Codable, Sendable, Equatable {
            /// The summary tag.
            public var tag: String
            /// Smallest and largest step seen.
            public var firstStep: Int64
            /// See `firstStep`.
            public var lastStep: Int64
            /// Number of values with this tag.
            public var count: Int

            /// A tag row.
            public init(tag: String, firstStep: Int64, lastStep: Int64, count: Int) {
                self.tag = tag
                self.firstStep = firstStep
                self.lastStep = lastStep
                self.count = count
            }
        }
        /// Run name: the directory relative to the logdir ("." for the logdir itself).
        public var name: String
        /// Tags sorted by name.
        public var tags: [Tag]

        /// A run row.
        package init(name: String, tags: [Tag]) {
            self.name = name
            self.tags = tags
        }
    }

    /// Format tag; extraction refuses other formats.
    public var format: String
    /// Directories of the logdir (relative paths, sorted), so empty ones survive the trip.
    public var directories: [String]
    /// Files and symlinks, sorted by path.
    public var files: [File]
    /// Runs found in the logdir, sorted by name (absent when the event files were not scanned).
    public var runs: [Run]?

    /// A manifest in the current format.
    package init(directories: [String], files: [File], runs: [Run]?) {
        self.format = ArchiveManifest.currentFormat
        self.directories = directories
        self.files = files
        self.runs = runs
    }

    /// Deterministic JSON bytes (sorted keys, pretty-printed, trailing newline).
    @inline(never)
    package func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }

    /// Parses manifest bytes; throws `LogArchiveError.badManifest` on anything unexpected.
    @inline(never)
    package static func decode(_ bytes: [UInt8], archive: String) throws -> ArchiveManifest {
        let manifest: ArchiveManifest
        do {
            manifest = try JSONDecoder().decode(ArchiveManifest.self, from: Data(bytes))
        } catch {
            throw LogArchiveError.badManifest(archive: archive, reason: "\(error)")
        }
        guard manifest.format == currentFormat else {
            throw LogArchiveError.badManifest(
                archive: archive,
                reason: "format '\(manifest.format)' is not '\(currentFormat)'; use a TBKit that knows it")
        }
        return manifest
    }
}
