import TBKitTestSupport
import Testing

@testable import TBKit

/// The exporter's raw-scalar path (records of one plain v1 scalar formatted from their bytes)
/// writes exactly the rows the full decode writes, for every record shape around it.
@Suite struct TidyExportRawScalarTests {
    static func varint(_ v: UInt64) -> [UInt8] {
        var v = v
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        return out + [UInt8(v)]
    }
    static func key(_ field: Int, _ type: UInt8) -> [UInt8] { varint(UInt64(field) << 3 | UInt64(type)) }
    static func bytesField(_ field: Int, _ bytes: [UInt8]) -> [UInt8] {
        key(field, 2) + varint(UInt64(bytes.count)) + bytes
    }
    static func doubleField(_ field: Int, _ x: Double) -> [UInt8] {
        key(field, 1) + withUnsafeBytes(of: x.bitPattern.littleEndian) { Array($0) }
    }
    static func floatField(_ field: Int, _ x: Float) -> [UInt8] {
        key(field, 5) + withUnsafeBytes(of: x.bitPattern.littleEndian) { Array($0) }
    }
    static func stepField(_ step: Int64) -> [UInt8] { key(2, 0) + varint(UInt64(bitPattern: step)) }
    /// An Event payload: wall time and step fields, then a summary holding `values` (each the
    /// bytes of one Summary.Value).
    static func event(_ head: [UInt8], _ values: [[UInt8]]) -> [UInt8] {
        head + bytesField(5, values.flatMap { bytesField(1, $0) })
    }
    static func value(tag: [UInt8], _ x: Float) -> [UInt8] { bytesField(1, tag) + floatField(2, x) }

    /// Every shape of record, plain scalars among them.
    static var payloads: [[UInt8]] {
        let plain = { (tag: String, x: Float, step: Int64) in
            event(doubleField(1, 1_700_000_000.25 + Double(step)) + stepField(step), [value(tag: Array(tag.utf8), x)])
        }
        var p: [[UInt8]] = [
            event(doubleField(1, 1) + stepField(0), []),  // a summary with no value
            plain("loss", 0.1, 1),
            plain("loss", -0.0, 2),
            plain("a,b", 1e-30, 3),
            plain("say \"hi\"\nthere", 3.4e38, 4),
            plain("ünï/côdé", .nan, 5),
            plain("", .infinity, 6),
            plain("loss", -.infinity, -7),
            // No wall time and no step (zeros are not written).
            event([], [value(tag: Array("loss".utf8), 2.5)]),
            // Last-one-wins repeats: two wall times, two steps, two values in one Summary.Value.
            event(
                doubleField(1, 5) + doubleField(1, 6) + stepField(9) + stepField(10),
                [value(tag: Array("dup".utf8), 1) + floatField(2, 2)]),
            // Invalid UTF-8 in the tag.
            event(doubleField(1, 3) + stepField(11), [value(tag: [0x6C, 0xFF, 0xC3], 4)]),
            // Two values in one event.
            event(doubleField(1, 4) + stepField(12), [value(tag: Array("x".utf8), 1), value(tag: Array("y".utf8), 2)]),
            // A value with metadata (plugin "scalars"), and one with an unknown field.
            event(
                doubleField(1, 5) + stepField(13),
                [value(tag: Array("meta".utf8), 7) + bytesField(9, bytesField(1, bytesField(1, Array("scalars".utf8))))]
            ),
            event(doubleField(1, 5) + stepField(14), [value(tag: Array("odd".utf8), 8) + key(15, 0) + [1]]),
            // An unknown Event field, and a file_version event.
            event(doubleField(1, 6) + stepField(15) + key(20, 0) + [3], [value(tag: Array("loss".utf8), 9)]),
            doubleField(1, 7) + bytesField(3, Array("brain.Event:2".utf8)),
            // Not a valid Event at all (a truncated varint): a problem, not a row.
            [0x10, 0xFF],
            // A plain scalar of a tag whose metadata came earlier in the run.
            plain("meta", 11, 16),
        ]
        for i in 0..<300 { p.append(plain("t\(i % 7)", Float(i) * 0.37, Int64(17 + i))) }
        return p
    }

    @Test func rawScalarRowsEqualTheFullDecodeInEveryFormatAndFilter() throws {
        let dir = TemporaryDirectory()
        var a: [UInt8] = []
        for payload in Self.payloads { RecordWriter.append(payload: payload, to: &a) }
        dir.write("r1/events.out.tfevents.1.h", a)
        var b: [UInt8] = []
        for payload in Self.payloads.reversed() { RecordWriter.append(payload: payload, to: &b) }
        dir.write("r2/events.out.tfevents.1.h", b)
        let filters: [Set<String>] = [[], ["loss"], ["a,b", "meta", "l\u{FFFD}\u{FFFD}", "t3"]]
        for format in TidyExporter.Format.allCases {
            for tags in filters {
                var fast = TidyExporter(format: format, kind: .scalars, tags: tags)
                var full = fast
                full.formatsRawScalars = false
                fast.formatsRawScalars = true
                var fastBytes: [UInt8] = []
                var fullBytes: [UInt8] = []
                let fastCounts = try fast.export(logdir: dir.path, bytes: { fastBytes += $0 })
                let fullCounts = try full.export(logdir: dir.path, bytes: { fullBytes += $0 })
                #expect(fastBytes == fullBytes, "\(format) \(tags)")
                #expect(fastCounts == fullCounts)
                #expect(fastCounts.rows > 0)
            }
        }
        #expect(try TidyExporter().export(logdir: dir.path, bytes: { _ in }).problems.count == 2)
    }

    @Test func onlyRecordsOfExactlyOnePlainScalarAreRaw() {
        let payloads = Self.payloads
        let raw = payloads.map { p in p.withUnsafeBytes { RawScalarEvent($0) != nil } }
        // Plain scalars (with or without wall time/step, repeats, odd tags) are raw; a summary of
        // two values, metadata, unknown fields, file_version and garbage are not.
        #expect(Array(raw[0..<11]) == [false, true, true, true, true, true, true, true, true, true, true])
        #expect(Array(raw[11..<17]) == [false, false, false, false, false, false])
        let dup = payloads[9].withUnsafeBytes { RawScalarEvent($0) }
        #expect(dup?.wallTime == 6 && dup?.step == 10 && dup?.value == 2)
    }

    /// Rows as a plain reference writes them: every scalar `nextValue()` gives, in file order.
    static func referenceCSV(_ dir: String, runs: [String], tags: Set<String>) throws -> String {
        var text = "run,tag,step,wall_time,value\n"
        for run in runs {
            let reader = try EventFileReader(runDirectory: dir + "/" + run)
            while let value = reader.nextValue() {
                guard case .scalar(let p) = value, tags.isEmpty || tags.contains(p.tag) else { continue }
                text += "\(run),\(TidyExporter.csvField(p.tag)),\(p.step),\(p.wallTime),\(Float(p.value))\n"
            }
        }
        return text
    }

    @Test func thousandsOfTagsSharingTagSlotsAcrossBatchesKeepEveryRowsOwnTag() throws {
        let dir = TemporaryDirectory()
        // 5,000 tags (more than the reader's tag slots, so slots are taken over again and again)
        // over 30,000 rows (several batches), in an order that revisits old tags.
        for run in ["a", "b"] {
            var file: [UInt8] = []
            for i in 0..<30_000 {
                let tag = "layer\((i * 7919) % 5000)/w,\(run)"
                let payload = Self.event(
                    Self.doubleField(1, 1_700_000_000.5 + Double(i) / 8) + Self.stepField(Int64(i)),
                    [Self.value(tag: Array(tag.utf8), Float(i) / 3)])
                RecordWriter.append(payload: payload, to: &file)
            }
            dir.write("\(run)/events.out.tfevents.1.h", file)
        }
        for tags: Set<String> in [[], ["layer7/w,a", "layer4999/w,b", "layer0/w,a"]] {
            var csv: [UInt8] = []
            let counts = try TidyExporter(tags: tags).export(logdir: dir.path, bytes: { csv += $0 })
            let reference = try Self.referenceCSV(dir.path, runs: ["a", "b"], tags: tags)
            #expect(String(decoding: csv, as: UTF8.self) == reference)
            #expect(counts.rows == reference.utf8.filter { $0 == 0x0A }.count - 1)
            #expect(counts.rows == (tags.isEmpty ? 60_000 : 18))
        }
    }
}
