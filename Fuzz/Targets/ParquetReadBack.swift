import TBKit
import TBKitParquet

// libFuzzer target: the Parquet writer, read back. The input chooses a schema (1 to 5 columns,
// each a string, INT64, DOUBLE or BOOLEAN column, REQUIRED or OPTIONAL), the row group size, the
// compression and the rows; ParquetWriter writes them to memory, and a reader written for this
// check (a Thrift compact decoder, the RLE / bit-packing hybrid, PLAIN and dictionary pages)
// reads the file back. Every value, null, row count and column-chunk statistic must come back
// as written, and the file must be what the format says: `PAR1` at both ends, the footer's
// offsets pointing at page headers of the right kind.
//
// Input layout (missing bytes read as zero):
//   byte 0: column count - 1 (mod 5); then one byte per column: bits 0-1 kind, bit 2 nullable
//   next byte: rows per row group - 1 (mod 16); next: bit 0 = gzip pages
//   next byte: row count; then per row and column: for OPTIONAL a byte (bit 0 = present), then
//   the value: string = a length byte (mod 6) and that many bytes (decoded as UTF-8 with
//   replacement, as run and tag names are); INT64 and DOUBLE = 8 bytes little-endian (DOUBLE as
//   its bit pattern, NaNs included); BOOLEAN = a byte (bit 0).
#if canImport(Glibc)
    import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParquetReadBack(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzBytes(UnsafeBufferPointer(start: data, count: size))
    let columnCount = 1 + Int(input.byte()) % 5
    var written: [WrittenColumn] = []
    for i in 0..<columnCount {
        let spec = input.byte()
        let kinds: [ParquetColumn.Kind] = [.dictionaryString, .int64, .double, .boolean]
        written.append(
            WrittenColumn(column: ParquetColumn(name: "c\(i)", kind: kinds[Int(spec & 3)], nullable: spec & 4 != 0)))
    }
    let rowGroupSize = 1 + Int(input.byte()) % 16
    let compression: ParquetCompression = input.byte() & 1 != 0 ? .gzip(level: 1) : .none
    let rowCount = Int(input.byte())

    var file: [UInt8] = []
    do {
        let writer = try ParquetWriter(
            columns: written.map(\.column), compression: compression, rowGroupSize: rowGroupSize
        ) { bytes in file.append(contentsOf: bytes) }
        for _ in 0..<rowCount {
            for w in written {
                var value: Cell?
                if !w.column.nullable || input.byte() & 1 != 0 {
                    switch w.column.kind {
                    case .dictionaryString:
                        let length = Int(input.byte()) % 6
                        let text = String(decoding: (0..<length).map { _ in input.byte() }, as: UTF8.self)
                        w.column.ids.append(w.column.intern(text))
                        value = .text(Array(text.utf8))
                    case .int64:
                        let v = Int64(bitPattern: input.word())
                        w.column.integers.append(v)
                        value = .integer(v)
                    case .double:
                        let bits = input.word()
                        w.column.doubles.append(Double(bitPattern: bits))
                        value = .double(bits)
                    case .boolean:
                        let b = input.byte() & 1 != 0
                        w.column.booleans.append(b)
                        value = .boolean(b)
                    }
                }
                if w.column.nullable { w.column.present.append(value != nil) }
                w.rows.append(value)
            }
            try writer.endRow()
        }
        try writer.finish()
    } catch {
        fail("the writer refused rows it should take: \(error)")
    }

    let read: ReadBack
    do {
        read = try ReadBack(file)
    } catch {
        fail("the written file does not read back: \(error.reason)")
    }
    check(read.rowCount == rowCount, "footer num_rows \(read.rowCount), wrote \(rowCount)")
    check(read.schema.count == columnCount, "schema has \(read.schema.count) leaves, wrote \(columnCount)")
    let expectedGroups = (rowCount + rowGroupSize - 1) / rowGroupSize
    check(read.groups.count == expectedGroups, "\(read.groups.count) row groups, expected \(expectedGroups)")
    for (c, w) in written.enumerated() {
        let leaf = read.schema[c]
        check(leaf.name == w.column.name, "column \(c) named \(leaf.name)")
        check(leaf.optional == w.column.nullable, "column \(c) repetition")
        var rows: [Cell?] = []
        for (g, group) in read.groups.enumerated() {
            let chunk = group[c]
            let start = g * rowGroupSize
            let expected = Array(w.rows[start..<min(start + rowGroupSize, rowCount)])
            check(chunk.rows.count == expected.count, "group \(g) column \(c): \(chunk.rows.count) rows")
            chunk.checkStatistics(against: expected, where: "group \(g) column \(c)")
            rows += chunk.rows
        }
        check(rows == w.rows, "column \(c) reads back different values")
    }
    return 0
}

/// One cell as written and as read: strings as their UTF-8 bytes, doubles as bit patterns.
enum Cell: Equatable {
    case text([UInt8])
    case integer(Int64)
    case double(UInt64)
    case boolean(Bool)
}

/// A column being written and the cells written to it (nil: null).
final class WrittenColumn {
    let column: ParquetColumn
    var rows: [Cell?] = []
    init(column: ParquetColumn) { self.column = column }
}

/// The fuzz input as a stream of bytes; zeros once it runs out.
struct FuzzBytes {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0
    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }
    mutating func byte() -> UInt8 {
        defer { at += 1 }
        return at < bytes.count ? bytes[at] : 0
    }
    mutating func word() -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(byte()) << (8 * UInt64(k)) }
        return v
    }
}

/// Why the read-back failed.
struct ReadBackError: Error { let reason: String }

/// A Thrift compact-protocol value, as far as Parquet's footer and page headers use them.
indirect enum Thrift {
    case integer(Int64)
    case binary([UInt8])
    case boolean(Bool)
    case double(UInt64)
    case structure([Int16: Thrift])
    case list([Thrift])

    subscript(_ field: Int16) -> Thrift? {
        if case .structure(let fields) = self { return fields[field] }
        return nil
    }
    var int: Int64? { if case .integer(let v) = self { return v } else { return nil } }
    var bytes: [UInt8]? { if case .binary(let v) = self { return v } else { return nil } }
    var elements: [Thrift]? { if case .list(let v) = self { return v } else { return nil } }
}

/// Reads the Thrift compact protocol (structs, lists, integers, binary, bools, doubles).
struct ThriftReader {
    let bytes: [UInt8]
    var at: Int

    mutating func byte() throws(ReadBackError) -> UInt8 {
        guard at < bytes.count else { throw ReadBackError(reason: "Thrift data ends at byte \(at)") }
        defer { at += 1 }
        return bytes[at]
    }

    mutating func varint() throws(ReadBackError) -> UInt64 {
        var v: UInt64 = 0
        for shift in stride(from: 0, to: 70, by: 7) {
            let b = try byte()
            v |= UInt64(b & 0x7F) << UInt64(shift)
            if b & 0x80 == 0 { return v }
        }
        throw ReadBackError(reason: "varint too long at byte \(at)")
    }

    mutating func zigzag() throws(ReadBackError) -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    mutating func value(type: UInt8) throws(ReadBackError) -> Thrift {
        switch type {
        case 1, 2: return .boolean(type == 1)  // in a struct the type carries the value
        case 3: return .integer(Int64(Int8(bitPattern: try byte())))
        case 4, 5, 6: return .integer(try zigzag())
        case 7:
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(try byte()) << (8 * UInt64(k)) }
            return .double(v)
        case 8:
            let n = Int(try varint())
            guard n <= bytes.count - at else { throw ReadBackError(reason: "binary of \(n) bytes at \(at) overruns") }
            defer { at += n }
            return .binary(Array(bytes[at..<at + n]))
        case 9:
            let header = try byte()
            var count = Int(header >> 4)
            if count == 15 { count = Int(try varint()) }
            let elementType = header & 0x0F
            guard count <= bytes.count else { throw ReadBackError(reason: "list of \(count) at \(at)") }
            var list: [Thrift] = []
            for _ in 0..<count {
                if elementType == 1 || elementType == 2 {
                    list.append(.boolean(try byte() == 1))
                } else {
                    list.append(try value(type: elementType))
                }
            }
            return .list(list)
        case 12: return try structure()
        default: throw ReadBackError(reason: "Thrift type \(type) at byte \(at)")
        }
    }

    mutating func structure() throws(ReadBackError) -> Thrift {
        var fields: [Int16: Thrift] = [:]
        var last: Int16 = 0
        while true {
            let header = try byte()
            if header == 0 { return .structure(fields) }
            let delta = Int16(header >> 4)
            let id: Int16
            if delta == 0 {
                id = Int16(truncatingIfNeeded: try zigzag())
            } else {
                id = last &+ delta
            }
            fields[id] = try value(type: header & 0x0F)
            last = id
        }
    }
}

/// A leaf of the file's schema.
struct Leaf {
    let name: String
    let type: Int64
    let optional: Bool
}

/// One column chunk read back: its rows and the statistics the footer gives for it.
struct ChunkRead {
    var rows: [Cell?] = []
    var nullCount: Int64?
    var minimum: [UInt8]?
    var maximum: [UInt8]?
    var type: Int64 = 0

    /// The footer's statistics against the rows written: null count always; min and max as the
    /// writer promises them (lexicographic bytes for strings, NaN-free with signed zeros for
    /// doubles), absent exactly when there is no value to bound.
    func checkStatistics(against rows: [Cell?], where place: String) {
        let nulls = rows.filter { $0 == nil }.count
        check(nullCount == Int64(nulls), "\(place): null_count \(String(describing: nullCount)), wrote \(nulls)")
        let values = rows.compactMap { $0 }
        var lo: [UInt8]?
        var hi: [UInt8]?
        switch type {
        case 6:
            let texts = values.compactMap { if case .text(let t) = $0 { return t } else { return nil } }
            lo = texts.min { $0.lexicographicallyPrecedes($1) }
            hi = texts.max { $0.lexicographicallyPrecedes($1) }
        case 2:
            let ints = values.compactMap { if case .integer(let v) = $0 { return v } else { return nil } }
            lo = ints.min().map(Self.littleEndian)
            hi = ints.max().map(Self.littleEndian)
        case 5:
            let doubles = values.compactMap {
                if case .double(let b) = $0 { return Double(bitPattern: b) } else { return nil }
            }
            .filter { !$0.isNaN }
            if var l = doubles.min(), var h = doubles.max() {
                if l == 0 { l = -0.0 }
                if h == 0 { h = 0.0 }
                lo = Self.littleEndian(l.bitPattern)
                hi = Self.littleEndian(h.bitPattern)
            }
        default:
            let flags = values.compactMap { if case .boolean(let b) = $0 { return b } else { return nil } }
            if !flags.isEmpty {
                lo = [flags.allSatisfy { $0 } ? 1 : 0]
                hi = [flags.contains(true) ? 1 : 0]
            }
        }
        check(minimum == lo, "\(place): min_value \(String(describing: minimum)), expected \(String(describing: lo))")
        check(maximum == hi, "\(place): max_value \(String(describing: maximum)), expected \(String(describing: hi))")
    }

    static func littleEndian<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
        withUnsafeBytes(of: v.littleEndian) { Array($0) }
    }
}

/// A whole Parquet file read back: schema, row count, and every column chunk's rows.
struct ReadBack {
    var schema: [Leaf] = []
    var rowCount = 0
    var groups: [[ChunkRead]] = []

    init(_ file: [UInt8]) throws(ReadBackError) {
        let magic = Array("PAR1".utf8)
        guard file.count >= 12, Array(file.prefix(4)) == magic, Array(file.suffix(4)) == magic else {
            throw ReadBackError(reason: "no PAR1 at both ends of \(file.count) bytes")
        }
        let lengthAt = file.count - 8
        let footerLength = (0..<4).reduce(0) { $0 | Int(file[lengthAt + $1]) << (8 * $1) }
        guard footerLength <= lengthAt - 4 else { throw ReadBackError(reason: "footer length \(footerLength)") }
        var reader = ThriftReader(bytes: file, at: lengthAt - footerLength)
        let meta = try reader.structure()
        guard reader.at == lengthAt else { throw ReadBackError(reason: "footer ends at \(reader.at), not \(lengthAt)") }
        guard let nodes = meta[2]?.elements, let root = nodes.first else { throw ReadBackError(reason: "no schema") }
        guard let children = root[5]?.int, children == Int64(nodes.count - 1) else {
            throw ReadBackError(reason: "root num_children does not match the leaves")
        }
        for node in nodes.dropFirst() {
            guard let type = node[1]?.int, let repetition = node[3]?.int, let name = node[4]?.bytes else {
                throw ReadBackError(reason: "a schema leaf lacks type, repetition or name")
            }
            schema.append(Leaf(name: String(decoding: name, as: UTF8.self), type: type, optional: repetition == 1))
        }
        guard let rows = meta[3]?.int else { throw ReadBackError(reason: "no num_rows") }
        rowCount = Int(rows)
        var groupRows = 0
        for group in meta[4]?.elements ?? [] {
            guard let chunks = group[1]?.elements, chunks.count == schema.count, let n = group[3]?.int else {
                throw ReadBackError(reason: "a row group without one chunk per column")
            }
            var read: [ChunkRead] = []
            for (c, chunk) in chunks.enumerated() {
                let one = try ReadBack.chunk(chunk, leaf: schema[c], file: file)
                guard one.rows.count == Int(n) else {
                    throw ReadBackError(reason: "chunk \(c) has \(one.rows.count) rows, its group \(n)")
                }
                read.append(one)
            }
            groups.append(read)
            groupRows += Int(n)
        }
        guard groupRows == rowCount else {
            throw ReadBackError(reason: "row groups hold \(groupRows), footer \(rowCount)")
        }
    }

    /// One column chunk: its dictionary page (strings) and its data page, from the offsets the
    /// footer gives.
    static func chunk(_ chunk: Thrift, leaf: Leaf, file: [UInt8]) throws(ReadBackError) -> ChunkRead {
        guard let meta = chunk[3], meta[1]?.int == leaf.type, let codec = meta[4]?.int,
            let valueCount = meta[5]?.int, let dataOffset = meta[9]?.int
        else { throw ReadBackError(reason: "column metadata incomplete for \(leaf.name)") }
        var read = ChunkRead(type: leaf.type)
        let stats = meta[12]
        read.nullCount = stats?[3]?.int
        read.minimum = stats?[6]?.bytes
        read.maximum = stats?[5]?.bytes
        guard stats?[1]?.bytes == read.maximum, stats?[2]?.bytes == read.minimum else {
            throw ReadBackError(reason: "deprecated min/max differ from min_value/max_value in \(leaf.name)")
        }
        var dictionary: [[UInt8]] = []
        if leaf.type == 6 {
            guard let at = meta[11]?.int else { throw ReadBackError(reason: "string column without a dictionary page") }
            let (header, body) = try page(at: Int(at), codec: codec, file: file)
            guard header[1]?.int == 2, let n = header[7]?[1]?.int else {
                throw ReadBackError(reason: "page at \(at) is not a dictionary page")
            }
            var p = 0
            for _ in 0..<n {
                guard p + 4 <= body.count else { throw ReadBackError(reason: "dictionary entry past the page") }
                let length = (0..<4).reduce(0) { $0 | Int(body[p + $1]) << (8 * $1) }
                p += 4
                guard length <= body.count - p else { throw ReadBackError(reason: "dictionary string past the page") }
                dictionary.append(Array(body[p..<p + length]))
                p += length
            }
            guard p == body.count else { throw ReadBackError(reason: "dictionary page has trailing bytes") }
        }
        let (header, body) = try page(at: Int(dataOffset), codec: codec, file: file)
        guard header[1]?.int == 0, let count = header[5]?[1]?.int, count == valueCount,
            let encoding = header[5]?[2]?.int
        else { throw ReadBackError(reason: "page at \(dataOffset) is not a data page of \(valueCount) values") }
        var p = 0
        var present = [Bool](repeating: true, count: Int(count))
        if leaf.optional {
            guard body.count >= 4 else { throw ReadBackError(reason: "no definition levels") }
            let length = (0..<4).reduce(0) { $0 | Int(body[$1]) << (8 * $1) }
            guard length <= body.count - 4 else { throw ReadBackError(reason: "definition levels past the page") }
            let levels = try hybrid(Array(body[4..<4 + length]), bitWidth: 1, count: Int(count))
            present = levels.map { $0 == 1 }
            p = 4 + length
        }
        let values = present.filter { $0 }.count
        var cells: [Cell] = []
        switch leaf.type {
        case 6:
            guard encoding == 8, p < body.count else { throw ReadBackError(reason: "strings not RLE_DICTIONARY") }
            let width = Int(body[p])
            let indices = try hybrid(Array(body[(p + 1)...]), bitWidth: width, count: values)
            for i in indices {
                guard Int(i) < dictionary.count else { throw ReadBackError(reason: "index \(i) past the dictionary") }
                cells.append(.text(dictionary[Int(i)]))
            }
        case 2, 5:
            guard encoding == 0, body.count - p == values * 8 else {
                throw ReadBackError(reason: "PLAIN page of \(body.count - p) bytes for \(values) values")
            }
            for k in 0..<values {
                var v: UInt64 = 0
                for b in 0..<8 { v |= UInt64(body[p + 8 * k + b]) << (8 * UInt64(b)) }
                cells.append(leaf.type == 2 ? .integer(Int64(bitPattern: v)) : .double(v))
            }
        case 0:
            guard encoding == 0, body.count - p == (values + 7) / 8 else {
                throw ReadBackError(reason: "PLAIN booleans of \(body.count - p) bytes for \(values) values")
            }
            for k in 0..<values { cells.append(.boolean(body[p + k / 8] >> UInt8(k % 8) & 1 == 1)) }
        default:
            throw ReadBackError(reason: "physical type \(leaf.type)")
        }
        var next = cells.makeIterator()
        read.rows = present.map { $0 ? next.next() : nil }
        return read
    }

    /// The page header at `at` and the page's body, decompressed.
    static func page(at: Int, codec: Int64, file: [UInt8]) throws(ReadBackError) -> (Thrift, [UInt8]) {
        guard at >= 4, at < file.count else { throw ReadBackError(reason: "page offset \(at) outside the file") }
        var reader = ThriftReader(bytes: file, at: at)
        let header = try reader.structure()
        guard let plainSize = header[2]?.int, let storedSize = header[3]?.int,
            storedSize >= 0, Int(storedSize) <= file.count - reader.at
        else { throw ReadBackError(reason: "page header at \(at) has bad sizes") }
        let stored = Array(file[reader.at..<reader.at + Int(storedSize)])
        let body: [UInt8]
        switch codec {
        case 0: body = stored
        case 2:
            do { body = try Zlib.decompress(stored, format: .gzip) } catch {
                throw ReadBackError(reason: "gzip page at \(at): \(error)")
            }
        default: throw ReadBackError(reason: "codec \(codec)")
        }
        guard body.count == Int(plainSize) else {
            throw ReadBackError(reason: "page at \(at) inflates to \(body.count), header says \(plainSize)")
        }
        return (header, body)
    }

    /// `count` values of the RLE / bit-packing hybrid at `bitWidth`; the bytes must hold exactly
    /// them (bit-packed groups padded to 8 values).
    static func hybrid(_ bytes: [UInt8], bitWidth: Int, count: Int) throws(ReadBackError) -> [UInt32] {
        guard bitWidth <= 32 else { throw ReadBackError(reason: "bit width \(bitWidth)") }
        var reader = ThriftReader(bytes: bytes, at: 0)
        var out: [UInt32] = []
        while out.count < count {
            let header = try reader.varint()
            if header & 1 == 1 {
                let groups = Int(header >> 1)
                guard groups > 0, groups * bitWidth <= bytes.count - reader.at else {
                    throw ReadBackError(reason: "bit-packed run of \(groups) groups overruns")
                }
                var bit = reader.at * 8
                for _ in 0..<(groups * 8) {
                    var v: UInt32 = 0
                    for b in 0..<bitWidth {
                        let set = bytes[(bit + b) / 8] >> UInt8((bit + b) % 8) & 1
                        v |= UInt32(set) << UInt32(b)
                    }
                    bit += bitWidth
                    out.append(v)
                }
                reader.at += groups * bitWidth
            } else {
                let run = Int(header >> 1)
                guard run > 0 else { throw ReadBackError(reason: "an empty RLE run") }
                var v: UInt32 = 0
                for k in 0..<((bitWidth + 7) / 8) { v |= UInt32(try reader.byte()) << (8 * UInt32(k)) }
                out += [UInt32](repeating: v, count: run)
            }
        }
        guard reader.at == bytes.count else { throw ReadBackError(reason: "hybrid data has trailing bytes") }
        guard out.count - count < 8 else { throw ReadBackError(reason: "hybrid data holds \(out.count) values") }
        return Array(out.prefix(count))
    }
}
