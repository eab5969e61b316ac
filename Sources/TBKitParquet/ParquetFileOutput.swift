import SystemPackage
import TBKit

/// A file written under a temporary name beside its final path (`AtomicFile`) and renamed into
/// place only when whole (`commit`: fsync, rename, fsync of the directory), so a reader never
/// meets half a file, a power loss never leaves an empty file under the final name, and a failed
/// export leaves nothing behind (`abandon` removes the temporary file).
package final class ParquetFileOutput {
    /// Where the file ends up.
    let path: String
    /// Where it is written until then.
    var temporaryPath: String { file?.temporaryPath ?? path }
    private var file: AtomicFile?

    /// Creates the temporary file for `path`.
    package init(path: String) throws(ParquetError) {
        self.path = path
        do {
            file = try AtomicFile(path: path)
        } catch {
            throw ParquetError.io(path: path, operation: "create", reason: "\(error)")
        }
    }

    deinit { abandon() }

    /// Appends `bytes` to the temporary file.
    package func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        guard let file else { throw ParquetError.io(path: path, operation: "write", reason: "already closed") }
        do {
            try file.descriptor.writeFully(bytes)
        } catch {
            throw ParquetError.io(path: path, operation: "write", reason: "\(error) (as \(file.temporaryPath))")
        }
    }

    /// Forces the file to stable storage, renames it into place and syncs its directory; the
    /// temporary file is removed if any of it fails.
    package func commit() throws(ParquetError) {
        guard let file else { return }
        self.file = nil
        do {
            try file.commit()
        } catch {
            throw ParquetError.io(path: path, operation: "write", reason: "\(error)")
        }
    }

    /// Closes and removes the temporary file (nothing once committed).
    package func abandon() {
        file = nil
    }
}
