import SystemPackage

/// Writes one Parquet file, row group by row group, to a byte sink: `PAR1`, then each row
/// group's column chunks as they fill, then the footer (FileMetaData in the Thrift compact
/// protocol), its length and `PAR1` again. Only one row group is held in memory at a time, so
/// memory stays flat for any number of rows.
///
/// Fill the columns' value arrays for a row (every column one value), call `endRow()`, and
/// `finish()` once at the end. Columns are REQUIRED unless made `nullable` (OPTIONAL, flat).
package final class ParquetWriter {
    /// The columns, in schema order.
    package let columns: [ParquetColumn]
    /// Rows per row group.
    package let rowGroupSize: Int
    private let compression: ParquetCompression
    private let sink: (UnsafeRawBufferPointer) throws(ParquetError) -> Void
    private var offset = 0
    private var rowsInGroup = 0
    private var totalRows = 0
    /// Footer entries of the row groups written.
    private var rowGroups: [(chunks: [(ParquetColumnChunk, Int)], rows: Int, offset: Int)] = []
    private var finished = false

    /// Rows per row group unless told otherwise: about 30 MB of values for a scalar export.
    package static let defaultRowGroupSize = 1 << 19

    /// A writer of `columns` handing its bytes to `sink` (which must keep or copy them).
    package init(
        columns: [ParquetColumn], compression: ParquetCompression = .gzip(level: 1),
        rowGroupSize: Int = ParquetWriter.defaultRowGroupSize,
        sink: @escaping (UnsafeRawBufferPointer) throws(ParquetError) -> Void
    ) throws(ParquetError) {
        self.columns = columns
        self.compression = compression
        self.rowGroupSize = max(1, rowGroupSize)
        self.sink = sink
        try write(Array("PAR1".utf8))
    }

    /// Ends a row whose values the columns now hold; writes the row group when it is full.
    @inline(__always)
    package func endRow() throws(ParquetError) {
        rowsInGroup += 1
        if rowsInGroup >= rowGroupSize { try flushRowGroup() }
    }

    /// Writes the rows gathered so far as a row group (nothing when there are none).
    package func flushRowGroup() throws(ParquetError) {
        guard rowsInGroup > 0 else { return }
        let start = offset
        var placed: [(ParquetColumnChunk, Int)] = []
        for column in columns {
            var chunk = try column.encodeChunk(compression: compression)
            placed.append((chunk, offset))
            try write(chunk.bytes)
            chunk.bytes = []  // the footer needs only the sizes
            placed[placed.count - 1].0 = chunk
        }
        rowGroups.append((placed, rowsInGroup, start))
        totalRows += rowsInGroup
        rowsInGroup = 0
    }

    /// Writes the last row group and the footer. The file is whole once this returns.
    package func finish() throws(ParquetError) {
        guard !finished else { return }
        try flushRowGroup()
        let footer = footerBytes()
        try write(footer)
        var length = UInt32(footer.count).littleEndian
        try write(withUnsafeBytes(of: &length) { Array($0) })
        try write(Array("PAR1".utf8))
        finished = true
    }

    private func write(_ bytes: [UInt8]) throws(ParquetError) {
        do {
            try bytes.withUnsafeBytes { try sink($0) }
        } catch let error as ParquetError {
            throw error
        } catch {
            throw ParquetError.io(path: "the output", operation: "write", reason: "\(error)")
        }
        offset += bytes.count
    }

    /// FileMetaData: version, schema (a root, then one leaf per column), row count, row groups,
    /// the writer's name and each column's sort order (type-defined, so readers trust min/max).
    private func footerBytes() -> [UInt8] {
        var w = ThriftCompactWriter()
        w.field(1, i32: 2)  // version
        w.field(2, listOf: .structure, count: columns.count + 1) { list in
            list.structure { root in
                root.field(4, string: "schema")
                root.field(5, i32: Int32(columns.count))  // num_children
            }
            for column in columns {
                list.structure { leaf in
                    leaf.field(1, i32: column.physicalType)
                    leaf.field(3, i32: column.nullable ? 1 : 0)  // repetition_type: OPTIONAL or REQUIRED
                    leaf.field(4, string: column.name)
                    if column.kind == .dictionaryString {
                        leaf.field(6, i32: 0)  // converted_type: UTF8
                        leaf.field(10) { logical in logical.field(1) { _ in } }  // logicalType: STRING
                    }
                }
            }
        }
        w.field(3, i64: Int64(totalRows))
        w.field(4, listOf: .structure, count: rowGroups.count) { list in
            for (ordinal, group) in rowGroups.enumerated() {
                list.structure { rowGroup in
                    rowGroup.field(1, listOf: .structure, count: group.chunks.count) { chunks in
                        for (chunk, at) in group.chunks { chunk.encode(into: &chunks, fileOffset: at) }
                    }
                    let uncompressed = group.chunks.reduce(0) { $0 + $1.0.uncompressedSize }
                    let compressed = group.chunks.reduce(0) { $0 + $1.0.storedSize }
                    rowGroup.field(2, i64: Int64(uncompressed))  // total_byte_size
                    rowGroup.field(3, i64: Int64(group.rows))
                    rowGroup.field(5, i64: Int64(group.offset))  // file_offset
                    rowGroup.field(6, i64: Int64(compressed))  // total_compressed_size
                    rowGroup.field(7, i16: Int16(truncatingIfNeeded: ordinal))  // ordinal (i16)
                }
            }
        }
        w.field(6, string: "tbkit version \(ParquetWriter.version)")  // created_by
        w.field(7, listOf: .structure, count: columns.count) { list in
            for _ in columns { list.structure { order in order.field(1) { _ in } } }  // TYPE_ORDER
        }
        w.stop()
        return w.bytes
    }

    /// The version named in `created_by`.
    package static let version = "0.1.0"
}
