import TBKit

/// pax extended header records (POSIX.1-2001): `"<length> <key>=<value>\n"`, where `<length>` is
/// the decimal byte count of the whole record, itself included.
///
/// TBKit writes `path`, `linkpath`, `size` and `mtime` records, sorted by key so the bytes are
/// deterministic; it reads any records and uses those four.
package enum TarPaxRecords {
    /// Encodes `records` (sorted by key) into the data of an 'x' member.
    package static func encode(_ records: [(key: String, value: String)]) -> [UInt8] {
        var out = [UInt8]()
        for (key, value) in records.sortedShared(by: { $0.key < $1.key }) {
            let body = Array(" \(key)=\(value)\n".utf8)
            // The length counts its own digits: grow until stable.
            var length = body.count + 1
            while String(length).utf8.count + body.count != length { length += 1 }
            out += Array(String(length).utf8) + body
        }
        return out
    }

    /// Decodes the data of an 'x' or 'g' member; nil when a record is malformed.
    package static func decode(_ data: [UInt8]) -> [String: String]? {
        var result = [String: String]()
        var i = 0
        while i < data.count {
            // Trailing NUL padding is tolerated.
            if data[i] == 0 { break }
            var length = 0
            var j = i
            while j < data.count, data[j] >= UInt8(ascii: "0"), data[j] <= UInt8(ascii: "9") {
                length = length * 10 + Int(data[j] - UInt8(ascii: "0"))
                guard length <= data.count else { return nil }
                j += 1
            }
            guard j > i, j < data.count, data[j] == UInt8(ascii: " "),
                length > j - i + 1, i + length <= data.count, data[i + length - 1] == UInt8(ascii: "\n")
            else { return nil }
            let record = data[(j + 1)..<(i + length - 1)]
            guard let eq = record.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            let key = String(decoding: record[record.startIndex..<eq], as: UTF8.self)
            let value = String(decoding: record[(eq + 1)...], as: UTF8.self)
            result[key] = value
            i += length
        }
        return result
    }
}
