import Foundation
import SystemPackage

/// Why a run directory cannot be used.
package enum FreshRunDirectoryError: Error, CustomStringConvertible, Equatable {
    /// The directory already holds event files from an earlier run.
    case holdsEvents(path: String, files: [String])
    /// Creating the directory or removing old event files failed.
    case io(path: String, reason: String)

    /// What happened and what to do.
    package var description: String {
        switch self {
        case .holdsEvents(let path, let files):
            let shown = files.prefix(3).joined(separator: ", ") + (files.count > 3 ? ", ..." : "")
            return
                "\(path) already holds \(files.count) event file(s) (\(shown)); TensorBoard would mix the old run with the new one: delete them first, or write the run elsewhere"
        case .io(let path, let reason):
            return "cannot prepare run directory \(path): \(reason)"
        }
    }
}

/// Makes sure a run directory receives events from one run only: TensorBoard reads every event
/// file in a directory as one run, so a second training written beside the first would mix both.
package enum FreshRunDirectory {
    /// The names of the files directly in `path` that TensorBoard reads as event files (names
    /// containing "tfevents", except "*.profile-empty"); empty if `path` does not exist.
    package static func eventFiles(in path: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.contains("tfevents") && !$0.hasSuffix(".profile-empty") }.sorted()
    }

    /// Creates `path` if needed. If it holds event files: throws `holdsEvents` unless `overwrite`,
    /// in which case those files (and only those) are deleted.
    package static func prepare(_ path: String, overwrite: Bool) throws {
        let existing = eventFiles(in: path)
        if !existing.isEmpty {
            guard overwrite else { throw FreshRunDirectoryError.holdsEvents(path: path, files: existing) }
            for name in existing {
                let file = FilePath(path).appending(name).string
                do { try FileManager.default.removeItem(atPath: file) } catch {
                    throw FreshRunDirectoryError.io(path: file, reason: error.localizedDescription)
                }
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FreshRunDirectoryError.io(path: path, reason: error.localizedDescription)
        }
    }
}
