import TBKit

/// How a Parquet file's pages are compressed: every reader accepts both.
package enum ParquetCompression: Sendable, Equatable {
    /// Stored as is.
    case none
    /// GZIP (RFC 1952 members, one per page) at a zlib level (1 = fastest ... 9 = smallest).
    case gzip(level: Int32)

    /// Parquet's CompressionCodec code.
    var codec: Int32 {
        switch self {
        case .none: return 0
        case .gzip: return 2
        }
    }
}

/// The encoded pages of one column in one row group, with what the footer says about them.
/// Offsets inside it are relative to its first byte until the writer places it in the file.
struct ParquetColumnChunk {
    let name: String
    let physicalType: Int32
    /// Page headers and page bodies, in file order.
    var bytes: [UInt8] = []
    var valueCount = 0
    var uncompressedSize = 0
    /// Bytes of headers and stored (compressed) bodies: `bytes.count`, kept once `bytes` is freed.
    var storedSize = 0
    /// Offset of the dictionary page in `bytes` (nil when the column has none).
    var dictionaryPageOffset: Int?
    var dataPageOffset = 0
    var encodings: [Int32] = []
    var codec: Int32 = 0
    /// Statistics as Parquet stores them (PLAIN bytes of the value); nil when unknown.
    var minimum: [UInt8]?
    var maximum: [UInt8]?
    /// Rows without a value (nullable columns).
    var nullCount = 0

    init(column: ParquetColumn) {
        name = column.name
        physicalType = column.physicalType
    }

    /// Appends the dictionary page (PLAIN-encoded strings).
    mutating func appendDictionaryPage(
        _ body: [UInt8], count: Int, compression: ParquetCompression
    ) throws(ParquetError) {
        dictionaryPageOffset = bytes.count
        try appendPage(body, compression: compression, type: 2) { header in
            header.field(7) { dictionary in  // dictionary_page_header
                dictionary.field(1, i32: Int32(count))  // num_values
                dictionary.field(2, i32: 0)  // encoding: PLAIN
            }
        }
        addEncoding(0)
    }

    /// Appends a data page (version 1) of `count` required values in `encoding`: no repetition
    /// or definition levels, just the values.
    mutating func appendDataPage(
        _ body: [UInt8], count: Int, encoding: Int32, compression: ParquetCompression
    ) throws(ParquetError) {
        dataPageOffset = bytes.count
        try appendPage(body, compression: compression, type: 0) { header in
            header.field(5) { data in  // data_page_header
                data.field(1, i32: Int32(count))  // num_values
                data.field(2, i32: encoding)
                data.field(3, i32: 3)  // definition_level_encoding: RLE
                data.field(4, i32: 3)  // repetition_level_encoding: RLE
            }
        }
        valueCount += count
        addEncoding(encoding)
        // Levels are declared RLE even when absent, as other writers list them.
        addEncoding(3)
    }

    private mutating func addEncoding(_ code: Int32) {
        if !encodings.contains(code) { encodings.append(code) }
    }

    private mutating func appendPage(
        _ body: [UInt8], compression: ParquetCompression, type: Int32,
        _ detail: (inout ThriftCompactWriter) -> Void
    ) throws(ParquetError) {
        guard body.count <= Int(Int32.max) else { throw ParquetError.pageTooLarge(column: name, bytes: body.count) }
        codec = compression.codec
        let stored: [UInt8]
        switch compression {
        case .none:
            stored = body
        case .gzip(let level):
            do {
                stored = try body.withUnsafeBytes { try Zlib.compress($0, level: level, format: .gzip) }
            } catch {
                throw ParquetError.compression(column: name, reason: "\(error)")
            }
        }
        var header = ThriftCompactWriter()
        header.field(1, i32: type)
        header.field(2, i32: Int32(body.count))  // uncompressed_page_size
        header.field(3, i32: Int32(stored.count))  // compressed_page_size
        detail(&header)
        header.stop()
        bytes.append(contentsOf: header.bytes)
        bytes.append(contentsOf: stored)
        uncompressedSize += header.bytes.count + body.count
        storedSize += header.bytes.count + stored.count
    }

    /// The ColumnChunk struct of the footer, the chunk having been placed at `fileOffset`.
    func encode(into writer: inout ThriftCompactWriter, fileOffset: Int) {
        writer.structure { chunk in
            let first = fileOffset + (dictionaryPageOffset ?? dataPageOffset)
            chunk.field(2, i64: Int64(first))  // file_offset
            chunk.field(3) { meta in  // meta_data: ColumnMetaData
                meta.field(1, i32: physicalType)
                meta.field(2, listOf: .i32, count: encodings.count) { list in
                    for e in encodings { list.element(i32: e) }
                }
                meta.field(3, listOf: .binary, count: 1) { $0.element(string: name) }  // path_in_schema
                meta.field(4, i32: codec)
                meta.field(5, i64: Int64(valueCount))
                meta.field(6, i64: Int64(uncompressedSize))
                meta.field(7, i64: Int64(storedSize))
                meta.field(9, i64: Int64(fileOffset + dataPageOffset))
                if let dictionaryPageOffset { meta.field(11, i64: Int64(fileOffset + dictionaryPageOffset)) }
                meta.field(12) { stats in  // statistics
                    // The deprecated max/min (1, 2) for older readers, then null_count and the
                    // max_value/min_value (5, 6) that follow the column order.
                    if let maximum { stats.field(1, binary: maximum) }
                    if let minimum { stats.field(2, binary: minimum) }
                    stats.field(3, i64: Int64(nullCount))
                    if let maximum { stats.field(5, binary: maximum) }
                    if let minimum { stats.field(6, binary: minimum) }
                }
            }
        }
    }
}
