/// A dense Float32 matrix stored row-major in one contiguous array.
///
/// Invariant: `storage.count == rows * columns`; element (r, c) lives at `storage[r * columns + c]`.
/// Hot code reaches the storage through `withUnsafeBufferPointer` so that histograms and kernels
/// read it in place, without copies.
public struct Matrix: Sendable, Equatable {
    /// Number of rows (for activations: the batch size).
    public let rows: Int
    /// Number of columns (for activations: the layer width).
    public let columns: Int
    /// The elements, row after row.
    public var storage: [Float]

    /// A `rows x columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must not be negative")
        self.rows = rows
        self.columns = columns
        self.storage = [Float](repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major elements; `storage.count` must equal `rows * columns`.
    public init(rows: Int, columns: Int, storage: [Float]) {
        precondition(storage.count == rows * columns, "storage holds \(storage.count) elements, not \(rows)x\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// Number of elements (`rows * columns`).
    @inlinable public var count: Int { rows * columns }

    /// Element access by row and column (bounds-checked by the array).
    @inlinable public subscript(row: Int, column: Int) -> Float {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// Calls `body` with the elements in place (row-major), for histograms and statistics.
    @inlinable public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with mutable access to the elements in place (row-major).
    @inlinable public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer(body)
    }

    /// The transpose, as a new matrix.
    public func transposed() -> Matrix {
        var result = Matrix(rows: columns, columns: rows)
        result.storage.withUnsafeMutableBufferPointer { out in
            storage.withUnsafeBufferPointer { src in
                for r in 0..<rows {
                    for c in 0..<columns { out[c * rows + r] = src[r * columns + c] }
                }
            }
        }
        return result
    }

    /// The rows `range` of this matrix, copied (used to cut batches out of a data set).
    public func rows(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "row range \(range) outside 0..<\(rows)")
        let slice = storage[(range.lowerBound * columns)..<(range.upperBound * columns)]
        return Matrix(rows: range.count, columns: columns, storage: [Float](slice))
    }
}
