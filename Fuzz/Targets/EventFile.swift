import TBKit

// libFuzzer target: arbitrary bytes as an event file, read by every reader TBKit has.
//
// Input: byte 0 = flags, byte 1 = where to split, the rest = the file.
//   flags bit 0: rewrite each record's length CRC so the length is believed (reaches the length
//                checks and the payload path instead of stopping at the first header)
//   flags bit 1: rewrite each data CRC too (payloads reach the Event decoder)
//   flags bits 2-4: RecordReader chunk size, 64 << n bytes (small chunks exercise buffer moves
//                and growth)
//   flags bits 5-7: the TidyExporter export run (histograms, JSON lines, statistics)
// Checks: RecordReader gives the same records reading the whole file at once as reading a file
// that grows in two steps (split at byte 1's fraction); EventFileReader, FileVerification,
// LogdirInspection and TidyExporter read it without crashing, and agree on the sound records.
#if canImport(Glibc)
    import Glibc
#endif

/// A scratch directory holding one event file, rewritten for each input.
let scratch: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    let dir = "\(base)/tbkit-fuzz-\(getpid())"
    mkdir(dir, 0o700)
    mkdir(dir + "/run", 0o700)
    return dir
}()

func write(_ bytes: UnsafeRawBufferPointer, to path: String, append: Bool = false) {
    let fd = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC) | O_CLOEXEC, 0o600)
    check(fd >= 0, "cannot open \(path)")
    var done = 0
    while done < bytes.count {
        let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
        check(n > 0, "cannot write \(path)")
        done += n
    }
    close(fd)
}

/// Rewrites the CRCs of the records that fit, so mutated lengths and payloads are believed.
func repair(_ file: inout [UInt8], lengths: Bool, data: Bool) {
    file.withUnsafeMutableBytes { p in
        var o = 0
        while p.count - o >= 12 {
            let length = p.loadUnaligned(fromByteOffset: o, as: UInt64.self)
            if lengths {
                let crc = CRC32C.maskedChecksum(UnsafeRawBufferPointer(rebasing: p[o..<(o + 8)]))
                p.storeBytes(of: crc, toByteOffset: o + 8, as: UInt32.self)
            }
            guard p.count - o >= 16, length <= UInt64(p.count - o - 16) else { return }
            let n = Int(length)
            if data {
                let crc = CRC32C.maskedChecksum(UnsafeRawBufferPointer(rebasing: p[(o + 12)..<(o + 12 + n)]))
                p.storeBytes(of: crc, toByteOffset: o + 12 + n, as: UInt32.self)
            }
            o += 16 + n
        }
    }
}

/// One outcome of RecordReader.next(), comparable.
enum Step: Equatable {
    case record(Int64, [UInt8])
    case damaged(DamagedRecord)
    case incomplete(Int64, Int, Int)
    case end
    /// The error's text with the file's path taken out (the two readers read different paths).
    case failed(String)
}

func read(_ reader: RecordReader, into steps: inout [Step], keepIncomplete: Bool) -> Bool {
    var guardCount = 0
    while true {
        guardCount += 1
        check(guardCount < 1_000_000, "RecordReader does not advance")
        do {
            switch try reader.next() {
            case .record(let offset, let payload): steps.append(.record(offset, Array(payload)))
            case .damaged(let d): steps.append(.damaged(d))
            case .incomplete(let o, let a, let n):
                if keepIncomplete { steps.append(.incomplete(o, a, n)) }
                return true
            case .end:
                if keepIncomplete { steps.append(.end) }
                return true
            }
        } catch {
            steps.append(.failed(error.description.replacing(reader.path, with: "FILE")))
            return false
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let flags = data[0]
    var file = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    repair(&file, lengths: flags & 1 != 0, data: flags & 2 != 0)
    let chunk = 64 << Int((flags >> 2) & 7)
    let split = file.count * Int(data[1]) / 255
    let path = scratch + "/run/events.out.tfevents.1700000000.fuzz"
    let grown = scratch + "/grown"

    file.withUnsafeBytes { write($0, to: path) }
    var whole: [Step] = []
    do {
        let reader = try RecordReader(path: path, chunkSize: chunk)
        _ = read(reader, into: &whole, keepIncomplete: true)
    } catch {
        fail("cannot open \(path): \(error)")
    }

    // The same file arriving in two parts.
    var twoParts: [Step] = []
    file.withUnsafeBytes { write(UnsafeRawBufferPointer(rebasing: $0[0..<split]), to: grown) }
    if let reader = try? RecordReader(path: grown, chunkSize: chunk) {
        if read(reader, into: &twoParts, keepIncomplete: false) {
            file.withUnsafeBytes { write(UnsafeRawBufferPointer(rebasing: $0[split...]), to: grown, append: true) }
            _ = read(reader, into: &twoParts, keepIncomplete: true)
        }
    }
    check(twoParts == whole, "a file read as it grows gives other records than read whole: \(twoParts) vs \(whole)")

    // Every reader over the file.
    let events = EventFileReader(file: path)
    var values = 0
    while events.nextValue() != nil { values += 1 }
    for p in events.problems { _ = p.description }
    let verification = FileVerification.verify(path: path)
    for issue in verification.issues { _ = issue.description }
    let decodable = whole.reduce(0) { n, step in
        if case .record(_, let payload) = step, (try? Event(decoding: payload)) != nil { return n + 1 }
        return n
    }
    check(
        verification.soundRecords == decodable,
        "verify counts \(verification.soundRecords) sound records, the reader \(decodable)")
    if let inspection = try? LogdirInspection.inspect(logdir: scratch) {
        for run in inspection.runs { _ = run.problems }
    }
    // One export per input, chosen by flags bits 5-7.
    let kind: TidyExporter.Kind = flags & 0x20 != 0 ? .histograms : .scalars
    let format: TidyExporter.Format = flags & 0x40 != 0 ? .jsonl : .csv
    _ = try? TidyExporter(format: format, kind: kind, statistics: flags & 0x80 != 0)
        .export(logdir: scratch, to: { _ in })
    return 0
}
