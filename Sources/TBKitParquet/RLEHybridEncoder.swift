/// Parquet's RLE / bit-packing hybrid, as dictionary indices use it in a data page: a run of at
/// least eight equal values becomes one RLE run (`count << 1` as a varint, then the value in
/// `ceil(bitWidth / 8)` little-endian bytes); everything else goes in bit-packed groups of eight
/// (`groups << 1 | 1`, then the values packed least significant bit first). Only the last group
/// of a page is padded, with zeros, which readers skip by the page's value count.
enum RLEHybridEncoder {
    /// The bits an index below `count` needs (at least 1: a width of 0 trips some readers).
    static func bitWidth(forCount count: Int) -> Int {
        var width = 1
        while (1 << width) < count { width += 1 }
        return width
    }

    /// Appends `values`, each below `1 << bitWidth`, to `out`.
    static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout [UInt8]) {
        let n = values.count
        var i = 0
        while i < n {
            let runEnd = sameRunEnd(values, from: i)
            if runEnd - i >= 8 {
                appendRun(value: values[i], count: runEnd - i, bitWidth: bitWidth, into: &out)
                i = runEnd
                continue
            }
            // Bit-packed groups of eight until a long run starts at a group boundary.
            var end = i
            repeat {
                end = min(end + 8, n)
            } while end < n && sameRunEnd(values, from: end) - end < 8
            appendPacked(values, from: i, to: end, bitWidth: bitWidth, into: &out)
            i = end
        }
    }

    /// The end of the run of values equal to `values[start]`.
    private static func sameRunEnd(_ values: UnsafeBufferPointer<UInt32>, from start: Int) -> Int {
        let v = values[start]
        var j = start + 1
        while j < values.count && values[j] == v { j += 1 }
        return j
    }

    private static func appendRun(value: UInt32, count: Int, bitWidth: Int, into out: inout [UInt8]) {
        appendVarint(UInt64(count) << 1, into: &out)
        for b in 0..<((bitWidth + 7) / 8) { out.append(UInt8(truncatingIfNeeded: value >> (8 * b))) }
    }

    private static func appendPacked(
        _ values: UnsafeBufferPointer<UInt32>, from start: Int, to end: Int, bitWidth: Int, into out: inout [UInt8]
    ) {
        let groups = (end - start + 7) / 8
        appendVarint(UInt64(groups) << 1 | 1, into: &out)
        var accumulator: UInt64 = 0
        var bits = 0
        for k in start..<(start + groups * 8) {
            let v = k < end ? UInt64(values[k]) : 0
            accumulator |= v << bits
            bits += bitWidth
            while bits >= 8 {
                out.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                bits -= 8
            }
        }
        // Eight values of any width fill whole bytes, so nothing is left over here.
    }

    static func appendVarint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}
