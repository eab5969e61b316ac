/// One member of a tar archive as TBKit sees it, after pax/GNU extensions have been applied.
///
/// `path` is the member's name exactly as stored (not yet checked for safety: see
/// `LogExtractor`); `size` is the length of the data that follows the header (0 for everything
/// but regular files).
package struct TarEntry: Sendable, Equatable {
    /// What a member is. Anything else found in an archive is reported as `.other(typeflag)`.
    package enum Kind: Sendable, Equatable {
        case regular, directory, symlink, hardlink, characterDevice, blockDevice, fifo
        case other(UInt8)

        /// The ustar type flag for this kind.
        package var typeflag: UInt8 {
            switch self {
            case .regular: return UInt8(ascii: "0")
            case .hardlink: return UInt8(ascii: "1")
            case .symlink: return UInt8(ascii: "2")
            case .characterDevice: return UInt8(ascii: "3")
            case .blockDevice: return UInt8(ascii: "4")
            case .directory: return UInt8(ascii: "5")
            case .fifo: return UInt8(ascii: "6")
            case .other(let flag): return flag
            }
        }

        /// The kind for a ustar type flag ('\0' and '7' are regular files, as POSIX says).
        package init(typeflag: UInt8) {
            switch typeflag {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): self = .regular
            case UInt8(ascii: "1"): self = .hardlink
            case UInt8(ascii: "2"): self = .symlink
            case UInt8(ascii: "3"): self = .characterDevice
            case UInt8(ascii: "4"): self = .blockDevice
            case UInt8(ascii: "5"): self = .directory
            case UInt8(ascii: "6"): self = .fifo
            default: self = .other(typeflag)
            }
        }

        /// A word for messages ("regular file", "symlink", ...).
        package var name: String {
            switch self {
            case .regular: return "regular file"
            case .directory: return "directory"
            case .symlink: return "symlink"
            case .hardlink: return "hard link"
            case .characterDevice: return "character device"
            case .blockDevice: return "block device"
            case .fifo: return "FIFO"
            case .other(let flag): return "unknown member type '\(String(UnicodeScalar(flag)))'"
            }
        }
    }

    /// The member's path inside the archive ("run1/events.out.tfevents...", "run1" for a directory).
    package var path: String
    /// The member's kind.
    package var kind: Kind
    /// Bytes of data after the header; nonzero only for regular files.
    package var size: UInt64
    /// Permission bits (the low 12 bits of st_mode).
    package var mode: UInt32
    /// Modification time, whole seconds since the epoch.
    package var mtime: Int64
    /// Where a symlink points or which member a hard link names; empty otherwise.
    package var linkTarget: String
    /// Owner and group ids as stored (TBKit writes 0 and ignores them on extraction).
    package var uid: UInt32 = 0
    /// See `uid`.
    package var gid: UInt32 = 0

    /// A member description; sizes of non-regular members are forced to zero by the writer.
    package init(
        path: String, kind: Kind, size: UInt64 = 0, mode: UInt32 = 0o644, mtime: Int64 = 0,
        linkTarget: String = ""
    ) {
        self.path = path
        self.kind = kind
        self.size = size
        self.mode = mode
        self.mtime = mtime
        self.linkTarget = linkTarget
    }
}
