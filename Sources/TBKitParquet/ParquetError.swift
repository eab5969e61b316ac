import TBKit

/// Why a Parquet file could not be written: what failed, where, and what to do.
public enum ParquetError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The log directory could not be read.
    case source(LogDirectoryError)
    /// The output file could not be created, written or renamed into place.
    case io(path: String, operation: String, reason: String)
    /// zlib refused to compress a page.
    case compression(column: String, reason: String)
    /// One page would exceed Parquet's 2 GiB page limit.
    case pageTooLarge(column: String, bytes: Int)

    /// A sentence for people.
    public var description: String {
        switch self {
        case .source(let error):
            return error.description
        case .io(let path, let operation, let reason):
            return "cannot \(operation) \(path): \(reason); check that the directory exists and is writable"
        case .compression(let column, let reason):
            return "compressing a page of column \(column) failed: \(reason)"
        case .pageTooLarge(let column, let bytes):
            return "a page of column \(column) would hold \(bytes) bytes, over Parquet's 2 GiB limit"
        }
    }
}
