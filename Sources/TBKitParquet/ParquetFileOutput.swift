import SystemPackage
import TBKit

/// A file written under a temporary name beside its final path and renamed into place only when
/// whole (`commit`), so a reader never meets half a file and a failed export leaves nothing
/// behind (`abandon` removes the temporary file).
package final class ParquetFileOutput {
    /// Where the file ends up.
    let path: String
    /// Where it is written until then.
    let temporaryPath: String
    private var descriptor: FileDescriptor?

    /// Creates the temporary file for `path`.
    package init(path: String) throws(ParquetError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = "\(directory).\(name).tmp-\(Platform.processID)"
        do {
            descriptor = try FileDescriptor.open(
                FilePath(temporaryPath), .writeOnly, options: [.create, .truncate],
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw ParquetError.io(path: temporaryPath, operation: "create", reason: "\(error)")
        }
    }

    deinit { abandon() }

    /// Appends `bytes`.
    package func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        guard let descriptor else { throw ParquetError.io(path: path, operation: "write", reason: "already closed") }
        do {
            try descriptor.writeFully(bytes)
        } catch {
            throw ParquetError.io(path: temporaryPath, operation: "write", reason: "\(error)")
        }
    }

    /// Closes the file and renames it to `path`.
    package func commit() throws(ParquetError) {
        guard let descriptor else { return }
        self.descriptor = nil
        do {
            try descriptor.closeReportingErrors()
            try Platform.rename(temporaryPath, to: path)
        } catch {
            _ = Platform.removeFile(temporaryPath)
            throw ParquetError.io(path: path, operation: "write", reason: "\(error)")
        }
    }

    /// Closes and removes the temporary file (nothing once committed).
    package func abandon() {
        guard let descriptor else { return }
        self.descriptor = nil
        try? descriptor.close()
        _ = Platform.removeFile(temporaryPath)
    }
}
