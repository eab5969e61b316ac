/// One column of a Parquet file being written: its name and type, the values of the row group
/// being gathered, and how they become pages (a dictionary page and a data page of indices for
/// strings, one PLAIN data page for numbers), with the chunk's statistics.
///
/// Strings are interned once per file (`intern`) and rows hold their ids, so the per-row path
/// stores an integer; each row group's dictionary holds only the strings its rows use.
package final class ParquetColumn {
    /// The column types TBKit writes.
    package enum Kind: Sendable {
        /// UTF-8 text, dictionary-encoded (BYTE_ARRAY, logical type STRING).
        case dictionaryString
        /// A signed 64-bit integer (INT64).
        case int64
        /// An IEEE double (DOUBLE).
        case double
        /// A boolean (BOOLEAN, bit-packed).
        case boolean
    }

    /// The column's name in the schema.
    package let name: String
    /// Its type.
    package let kind: Kind
    /// Whether rows may lack a value (OPTIONAL); then `present` says which rows have one and the
    /// value arrays hold only those.
    package let nullable: Bool
    /// Nullable columns: whether each row of the current row group has a value.
    package var present: [Bool] = []
    /// Row values of the current row group (`boolean`).
    package var booleans: [Bool] = []
    /// Row values of the current row group: string ids (`dictionaryString`).
    package var ids: [UInt32] = []
    /// Row values of the current row group (`int64`).
    package var integers: [Int64] = []
    /// Row values of the current row group (`double`).
    package var doubles: [Double] = []
    /// Every string interned so far, by id.
    private var strings: [[UInt8]] = []
    private var stringIDs: [String: UInt32] = [:]

    /// A column named `name` of type `kind`, REQUIRED unless `nullable`.
    package init(name: String, kind: Kind, nullable: Bool = false) {
        self.name = name
        self.kind = kind
        self.nullable = nullable
    }

    /// The id of `text` for `ids` (the same id for the same text throughout the file).
    package func intern(_ text: String) -> UInt32 {
        if let id = stringIDs[text] { return id }
        let id = UInt32(strings.count)
        strings.append(Array(text.utf8))
        stringIDs[text] = id
        return id
    }

    /// Rows gathered in the current row group.
    package var count: Int {
        if nullable { return present.count }
        return valueCount
    }

    /// Values gathered in the current row group (rows without nulls).
    private var valueCount: Int {
        switch kind {
        case .dictionaryString: return ids.count
        case .int64: return integers.count
        case .double: return doubles.count
        case .boolean: return booleans.count
        }
    }

    /// Parquet's physical type code.
    var physicalType: Int32 {
        switch kind {
        case .dictionaryString: return 6  // BYTE_ARRAY
        case .int64: return 2  // INT64
        case .double: return 5  // DOUBLE
        case .boolean: return 0  // BOOLEAN
        }
    }

    /// Encodes the current row group's values as pages compressed with `compression`, and
    /// empties the column for the next row group.
    func encodeChunk(compression: ParquetCompression) throws(ParquetError) -> ParquetColumnChunk {
        var chunk = ParquetColumnChunk(column: self)
        let rows = valueCount
        // Nullable: the page's values are preceded by its definition levels (1 = present).
        var levels: [UInt8] = []
        if nullable {
            let bits = present.map { UInt32($0 ? 1 : 0) }
            var encoded: [UInt8] = []
            bits.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: 1, into: &encoded) }
            withUnsafeBytes(of: UInt32(encoded.count).littleEndian) { levels.append(contentsOf: $0) }
            levels += encoded
            chunk.nullCount = present.count - rows
            present.removeAll(keepingCapacity: true)
        }
        let pageValues = rows + chunk.nullCount
        switch kind {
        case .dictionaryString:
            // Local dictionary: the strings this row group uses, in order of first use.
            var local = [UInt32](repeating: UInt32.max, count: strings.count)
            var dictionary: [UInt32] = []
            var indices = [UInt32](repeating: 0, count: rows)
            for (row, id) in ids.enumerated() {
                var index = local[Int(id)]
                if index == UInt32.max {
                    index = UInt32(dictionary.count)
                    local[Int(id)] = index
                    dictionary.append(id)
                }
                indices[row] = index
            }
            var plain: [UInt8] = []
            var minimum: [UInt8]?
            var maximum: [UInt8]?
            for id in dictionary {
                let s = strings[Int(id)]
                var length = UInt32(s.count).littleEndian
                withUnsafeBytes(of: &length) { plain.append(contentsOf: $0) }
                plain.append(contentsOf: s)
                if minimum.map({ s.lexicographicallyPrecedes($0) }) ?? true { minimum = s }
                if maximum.map({ $0.lexicographicallyPrecedes(s) }) ?? true { maximum = s }
            }
            try chunk.appendDictionaryPage(plain, count: dictionary.count, compression: compression)
            let width = RLEHybridEncoder.bitWidth(forCount: dictionary.count)
            var body = levels + [UInt8(width)]
            body.reserveCapacity(levels.count + rows * width / 8 + 64)
            indices.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: width, into: &body) }
            try chunk.appendDataPage(body, count: pageValues, encoding: 8, compression: compression)  // RLE_DICTIONARY
            chunk.minimum = minimum
            chunk.maximum = maximum
            ids.removeAll(keepingCapacity: true)
        case .int64:
            if let lo = integers.min(), let hi = integers.max() {
                chunk.minimum = Self.littleEndianBytes(lo)
                chunk.maximum = Self.littleEndianBytes(hi)
            }
            let body = levels + integers.withUnsafeBytes { Array($0) }
            try chunk.appendDataPage(body, count: pageValues, encoding: 0, compression: compression)  // PLAIN
            integers.removeAll(keepingCapacity: true)
        case .double:
            if let (lo, hi) = Self.doubleRange(doubles) {
                chunk.minimum = Self.littleEndianBytes(lo.bitPattern)
                chunk.maximum = Self.littleEndianBytes(hi.bitPattern)
            }
            let body = levels + doubles.withUnsafeBytes { Array($0) }
            try chunk.appendDataPage(body, count: pageValues, encoding: 0, compression: compression)
            doubles.removeAll(keepingCapacity: true)
        case .boolean:
            if !booleans.isEmpty {
                chunk.minimum = [booleans.allSatisfy { $0 } ? 1 : 0]
                chunk.maximum = [booleans.contains(true) ? 1 : 0]
            }
            // PLAIN booleans: one bit each, least significant bit first.
            var body = levels
            var byte: UInt8 = 0
            for (i, b) in booleans.enumerated() {
                if b { byte |= 1 << UInt8(i % 8) }
                if i % 8 == 7 {
                    body.append(byte)
                    byte = 0
                }
            }
            if booleans.count % 8 != 0 { body.append(byte) }
            try chunk.appendDataPage(body, count: pageValues, encoding: 0, compression: compression)
            booleans.removeAll(keepingCapacity: true)
        }
        return chunk
    }

    /// The smallest and largest non-NaN values, with Parquet's rule for zeros (a zero minimum is
    /// written as -0.0, a zero maximum as +0.0); nil when every value is NaN or there are none.
    static func doubleRange(_ values: [Double]) -> (Double, Double)? {
        var lo = Double.infinity
        var hi = -Double.infinity
        var any = false
        for x in values where !x.isNaN {
            any = true
            if x < lo { lo = x }
            if x > hi { hi = x }
        }
        guard any else { return nil }
        if lo == 0 { lo = -0.0 }
        if hi == 0 { hi = 0.0 }
        return (lo, hi)
    }

    private static func littleEndianBytes<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
        withUnsafeBytes(of: v.littleEndian) { Array($0) }
    }
}
