import Foundation
import TBKit

/// The per-run part of an archive manifest: each run's tags with their step range and count,
/// read with `EventFileReader` (damaged records are skipped, as TensorBoard skips them).
public enum ArchiveRunScanner {
    /// Scans the event files directly inside `runDirectory`, in lexicographic order; tags come
    /// back sorted by their UTF-8 bytes so the manifest is deterministic.
    ///
    /// Plain v1 scalars are counted from their raw records, keyed by the tag's bytes (a String is
    /// made once per tag, at the end); the rows are the same as counting `nextValue()`'s values.
    public static let eventFiles: LogArchiver.RunScanner = { runDirectory in
        let reader: EventFileReader
        do {
            reader = try EventFileReader(runDirectory: runDirectory)
        } catch {
            throw LogArchiveError.runScan(run: runDirectory, reason: "\(error)")
        }
        let raw = RawTagTable()
        var decoded = [String: Tally]()
        var seen = 0  // orders tags by first sight, across both tables
        while let next = reader.nextTaggedStep() {
            switch next {
            case .raw(let tag, let step):
                raw.count(tag, step: step, order: &seen)
            case .decoded(let tag, let step):
                if decoded[tag] != nil {
                    decoded[tag]!.add(step)
                } else {
                    decoded[tag] = Tally(first: step, order: seen)
                    seen += 1
                }
            }
        }
        // Merge by String, in order of first sight: two spellings that are equal as Strings fall
        // into one row named as the first one seen, exactly as a String-keyed count would do.
        var all = decoded.map { (tag: $0.key, tally: $0.value) }
        all += raw.tallies
        all.sortShared { $0.tally.order < $1.tally.order }
        var rows: [String: ArchiveManifest.Run.Tag] = [:]
        for (tag, tally) in all {
            if var row = rows[tag] {
                row.firstStep = min(row.firstStep, tally.firstStep)
                row.lastStep = max(row.lastStep, tally.lastStep)
                row.count += tally.count
                rows[tag] = row
            } else {
                rows[tag] = .init(tag: tag, firstStep: tally.firstStep, lastStep: tally.lastStep, count: tally.count)
            }
        }
        return rows.values.sortedShared { $0.tag.utf8.lexicographicallyPrecedes($1.tag.utf8) }
    }

    /// One tag's step range and count so far, and when the tag was first seen.
    struct Tally {
        var firstStep: Int64
        var lastStep: Int64
        var count = 1
        var order: Int

        init(first step: Int64, order: Int) {
            firstStep = step
            lastStep = step
            self.order = order
        }

        mutating func add(_ step: Int64) {
            firstStep = min(firstStep, step)
            lastStep = max(lastStep, step)
            count += 1
        }
    }
}

/// Tallies keyed by a tag's bytes: lookups borrow the record's bytes, and only a new tag's bytes
/// are copied (into memory this table owns and frees).
private final class RawTagTable {
    /// Bytes compared and hashed by content; the table's keys point into its own copies.
    struct Key: Hashable {
        var bytes: UnsafeRawBufferPointer

        static func == (a: Key, b: Key) -> Bool {
            guard a.bytes.count == b.bytes.count else { return false }
            guard let x = a.bytes.baseAddress, let y = b.bytes.baseAddress else { return true }
            return memcmp(x, y, a.bytes.count) == 0
        }

        func hash(into hasher: inout Hasher) { hasher.combine(bytes: bytes) }
    }

    private var index = [Key: Int]()
    private var owned = [UnsafeMutableRawBufferPointer]()
    private var keys = [Key]()
    private var rows = [ArchiveRunScanner.Tally]()
    private var last: (key: Key, row: Int)?

    deinit {
        for copy in owned { copy.deallocate() }
    }

    /// Counts one value of `tag` at `step`; a new tag takes the next `order`.
    func count(_ tag: UnsafeRawBufferPointer, step: Int64, order: inout Int) {
        let key = Key(bytes: tag)
        // Runs often log one tag many times in a row: compare with the last one before hashing.
        if let last, last.key == key {
            rows[last.row].add(step)
            return
        }
        if let row = index[key] {
            rows[row].add(step)
            last = (keys[row], row)
            return
        }
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(tag.count, 1), alignment: 1)
        if tag.count > 0 { copy.copyMemory(from: tag) }
        owned.append(copy)
        let stored = Key(bytes: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(copy)[0..<tag.count]))
        keys.append(stored)
        rows.append(ArchiveRunScanner.Tally(first: step, order: order))
        order += 1
        index[stored] = rows.count - 1
        last = (stored, rows.count - 1)
    }

    /// Every tag, decoded as `nextValue()` decodes tags, with its tally.
    var tallies: [(tag: String, tally: ArchiveRunScanner.Tally)] {
        zip(keys, rows).map { (String(decoding: $0.bytes, as: UTF8.self), $1) }
    }
}
