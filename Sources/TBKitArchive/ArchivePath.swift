/// Lexical checks on archive member paths: what may be created under a destination directory.
///
/// Works on '/'-separated components only, never touching the disk, so a verdict cannot be
/// changed by what is already there (callers check symlinks on disk separately).
package enum ArchivePath {
    /// The member path as normalized components ("./a//b/" -> ["a", "b"]), or a reason to refuse.
    package static func components(of path: String) -> Result<[String], Refusal> {
        if path.hasPrefix("/") { return .failure(.absolute) }
        var parts = [String]()
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { return .failure(.parentComponent) }
            parts.append(String(part))
        }
        if parts.isEmpty { return .failure(.empty) }
        return .success(parts)
    }

    /// Where a symlink at `linkPath` (relative to the root) pointing to `linkTarget` lands, as
    /// root-relative components; nil when the target is absolute or climbs above the root.
    package static func resolve(linkTarget: String, linkPath: String) -> [String]? {
        if linkTarget.isEmpty || linkTarget.hasPrefix("/") { return nil }
        var parts = linkPath.split(separator: "/").map(String.init).filter { $0 != "." }
        guard !parts.isEmpty else { return nil }
        parts.removeLast()  // the link's own name: targets are relative to its directory
        for part in linkTarget.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if parts.isEmpty { return nil }
                parts.removeLast()
            } else {
                parts.append(String(part))
            }
        }
        return parts
    }

    /// Why a member path is refused.
    package enum Refusal: Error, CustomStringConvertible {
        case absolute, parentComponent, empty

        package var description: String {
            switch self {
            case .absolute: return "absolute path (members must be relative to the destination)"
            case .parentComponent: return "path has a '..' component (it could escape the destination)"
            case .empty: return "empty path"
            }
        }
    }
}
