import Foundation
import Synchronization

/// Decoded rows of one run, handed from the exporter's reading thread to its formatting thread.
///
/// Scalar rows are columns of plain numbers: the tag is a slot of the run's tag table (`TagSlots`),
/// with `TidyBatch.float32` set when the value prints as a float32. A slot's field is sent in
/// `slotFields` of the batch where the slot starts to mean it, and no row before that in the same
/// batch uses the slot; so applying a batch's `slotFields` first, then its rows, is always right.
package struct TidyBatch: Sendable {
    /// The run's index in the export's run list.
    package var run: Int
    /// Tag slot of each scalar row, with `float32` or-ed in when the value is a float32.
    package var tags: [UInt32] = []
    package var steps: [Int64] = []
    package var walls: [Double] = []
    package var values: [Double] = []
    /// Slots that start to mean a tag in this batch, with that tag's quoted field (nil: a tag the
    /// exporter's filter leaves out, never used by a row).
    package var slotFields: [(slot: Int, field: [UInt8])] = []
    /// Histograms, in file order (histogram exports carry no scalar rows).
    package var histograms: [HistogramPoint] = []
    /// On the run's last batch: the problems its reader met.
    package var problems: [ReadProblem]?
    /// On the run's last batch: the values left out because a later record superseded them.
    package var superseded = 0

    package static let float32: UInt32 = 1 << 31
    static let capacity = 8192

    init(run: Int) {
        self.run = run
        tags.reserveCapacity(TidyBatch.capacity)
        steps.reserveCapacity(TidyBatch.capacity)
        walls.reserveCapacity(TidyBatch.capacity)
        values.reserveCapacity(TidyBatch.capacity)
    }

    var isFull: Bool { tags.count >= TidyBatch.capacity || histograms.count >= 256 }
}

/// The reading side's table from a tag's stored bytes to a slot, and whether the exporter's tag
/// filter keeps it: direct-mapped on a hash of the bytes, so the per-record path makes no String.
/// A slot taken by another tag is given to the new one; the reader then starts a new batch, so
/// the formatting side never sees one slot mean two tags within a batch.
package struct TagSlots {
    package static let count = 1024
    /// The stored bytes of the tag each slot means: `keyLength[slot]` bytes (-1 when the slot is
    /// free) from `keyStart[slot]` in `arena`, which is rebuilt when slots taken over again and
    /// again have left it mostly dead.
    private var arena: [UInt8] = []
    private var keyStart = [Int](repeating: 0, count: TagSlots.count)
    private var keyLength = [Int](repeating: -1, count: TagSlots.count)
    private var kept = [Bool](repeating: false, count: TagSlots.count)
    /// Bytes of `arena` that slots still use.
    private var liveBytes = 0

    mutating func removeAll() {
        arena.removeAll(keepingCapacity: true)
        liveBytes = 0
        for i in 0..<TagSlots.count {
            keyLength[i] = -1
            kept[i] = false
        }
    }

    enum Lookup {
        /// The slot already means this tag.
        case known(slot: Int, kept: Bool)
        /// The slot was free or meant another tag (`replaced`); it means this tag from now on.
        case new(slot: Int, field: [UInt8]?, replaced: Bool)
    }

    /// The slot of the tag whose stored bytes are `tag`.
    @inline(__always)
    mutating func lookup(_ tag: UnsafeRawBufferPointer, exporter: TidyExporter) -> Lookup {
        var hash: UInt32 = 2_166_136_261
        for b in tag { hash = (hash ^ UInt32(b)) &* 16_777_619 }
        let slot = Int(hash & UInt32(TagSlots.count - 1))
        let length = keyLength[slot]
        if length == tag.count {
            let start = keyStart[slot]
            let same = arena.withUnsafeBytes { a in
                length == 0 || memcmp(a.baseAddress! + start, tag.baseAddress!, length) == 0
            }
            if same { return .known(slot: slot, kept: kept[slot]) }
        }
        return take(slot, tag, exporter)
    }

    /// Gives `slot` to `tag`.
    private mutating func take(_ slot: Int, _ tag: UnsafeRawBufferPointer, _ exporter: TidyExporter) -> Lookup {
        let replaced = keyLength[slot] >= 0
        if replaced { liveBytes -= keyLength[slot] }
        keyLength[slot] = -1
        if arena.count > 2 * liveBytes + 4096 { compact() }
        liveBytes += tag.count
        keyStart[slot] = arena.count
        keyLength[slot] = tag.count
        arena.append(contentsOf: tag)
        // Decoded the way `ProtoReader.readString` decodes a tag, then quoted like every field.
        let text = String(decoding: tag, as: UTF8.self)
        let keep = exporter.tags.isEmpty || exporter.tags.contains(text)
        kept[slot] = keep
        return .new(slot: slot, field: keep ? Array(exporter.field(text).utf8) : nil, replaced: replaced)
    }

    /// Keeps only the keys of the slots in use.
    private mutating func compact() {
        var fresh: [UInt8] = []
        for slot in 0..<TagSlots.count where keyLength[slot] >= 0 {
            let start = keyStart[slot]
            keyStart[slot] = fresh.count
            fresh.append(contentsOf: arena[start..<start + keyLength[slot]])
        }
        arena = fresh
    }
}

/// The queue between the exporter's two threads: at most four batches wait at once; nil marks
/// the end.
package typealias TidyBatchQueue = BoundedQueue<TidyBatch?>

extension TidyExporter {
    /// Starts the reading side on its own thread; its batches come out of the returned queue.
    package func startReading(_ runs: [RunDirectory]) -> TidyBatchQueue {
        let queue = TidyBatchQueue(depth: 4)
        let thread = Thread { [self] in readBatches(runs, into: queue) }
        thread.name = "tbkit-export-read"
        thread.start()
        return queue
    }

    /// The reading side: decodes every run in order into batches and queues them, then the end
    /// mark. Runs on its own thread.
    func readBatches(_ runs: [RunDirectory], into queue: TidyBatchQueue) {
        var slots = TagSlots()
        if kind == .scalars {
            for (index, run) in runs.enumerated() { readScalarRun(run, index: index, &slots, queue) }
            queue.put(nil)
            return
        }
        // A first pass over each run finds what later records supersede (usually nothing); the
        // next run's is made on a thread of its own while this one's histograms are read.
        var ahead = runs.first.map { PlanAhead(files: $0.eventFiles) }
        for (index, run) in runs.enumerated() {
            var plan = ahead?.plan() ?? SupersededPoints.scan(EventFileReader(files: run.eventFiles))
            ahead = index + 1 < runs.count ? PlanAhead(files: runs[index + 1].eventFiles) : nil
            let reader = EventFileReader(files: run.eventFiles)
            var batch = TidyBatch(run: index)
            let superseded = readHistograms(reader, &plan, &batch, queue)
            batch.problems = reader.problems.map(ReadProblem.init)
            batch.superseded = superseded
            queue.put(batch)
        }
        queue.put(nil)
    }

    /// The scalar rows of one run, queued. Read in one pass while a `SupersedeWatch` shows that
    /// nothing is superseded, its batches held (up to `heldValues` values) and queued at the end;
    /// when something is, the run is read again with the plan of a first pass, as TensorBoard
    /// shows it. A run longer than the hold gets that first pass there, and goes on in the same
    /// reading when the plan is trivial.
    private func readScalarRun(_ run: RunDirectory, index: Int, _ slots: inout TagSlots, _ queue: TidyBatchQueue) {
        let reader = EventFileReader(files: run.eventFiles)
        slots.removeAll()
        let held = TidyBatchSink(queue: nil)
        let queued = TidyBatchSink(queue: queue)
        var batch = TidyBatch(run: index)
        var watch: SupersedeWatch? = SupersedeWatch()
        var everything = SupersededPoints.keepingEverything
        let outcome = readScalars(reader, &everything, &slots, &batch, watch: &watch, limit: heldValues, into: held)
        if outcome.stop == .end && watch?.isClean(reader) == true {
            for full in held.held { queue.put(full) }
            batch.problems = reader.problems.map(ReadProblem.init)
            queue.put(batch)
            return
        }
        var scanned: SupersededPoints?
        if outcome.stop == .limit {
            var plan = SupersededPoints.scan(EventFileReader(files: run.eventFiles))
            scanned = plan
            if plan.isTrivial && plan.covers(record: reader.recordOrdinal) {
                for full in held.held { queue.put(full) }
                var unwatched: SupersedeWatch?
                _ = readScalars(reader, &plan, &slots, &batch, watch: &unwatched, limit: .max, into: queued)
                batch.problems = reader.problems.map(ReadProblem.init)
                queue.put(batch)
                return
            }
        }
        // Something is superseded: the two-pass reading.
        var plan = scanned ?? SupersededPoints.scan(EventFileReader(files: run.eventFiles))
        let again = EventFileReader(files: run.eventFiles)
        slots.removeAll()
        var fresh = TidyBatch(run: index)
        var unwatched: SupersedeWatch?
        let result = readScalars(again, &plan, &slots, &fresh, watch: &unwatched, limit: .max, into: queued)
        fresh.problems = again.problems.map(ReadProblem.init)
        fresh.superseded = result.superseded
        queue.put(fresh)
    }

    /// Why `readScalars` returned.
    enum ScalarStop {
        /// The run's records (those the plan covers) are read.
        case end
        /// The watch saw a value that something supersedes: the reading stopped there.
        case superseded
        /// `limit` values were read while watching.
        case limit
    }

    /// Scalar rows of one run, raw records formatted from their bytes when `formatsRawScalars`,
    /// superseded points left out; full batches go to `sink`. With a `watch`, every value read is
    /// shown to it and the reading stops once it is not clean, or after `limit` values. Returns
    /// the number of values left out and why it stopped.
    @inline(never)
    private func readScalars(
        _ reader: EventFileReader, _ plan: inout SupersededPoints, _ slots: inout TagSlots, _ batch: inout TidyBatch,
        watch: inout SupersedeWatch?, limit: Int, into sink: TidyBatchSink
    ) -> (superseded: Int, stop: ScalarStop) {
        let run = batch.run
        let checks = !plan.isTrivial
        let watching = watch != nil
        var seen = 0
        var superseded = 0
        @inline(__always)
        func row(_ tag: UnsafeRawBufferPointer, _ float32: Bool, _ step: Int64, _ wall: Double, _ x: Double) {
            let slot: Int
            switch slots.lookup(tag, exporter: self) {
            case .known(let s, let kept):
                guard kept else { return }
                slot = s
            case .new(let s, let field, let replaced):
                if replaced {
                    sink.put(batch)
                    batch = TidyBatch(run: run)
                }
                guard let field else { return }
                batch.slotFields.append((s, field))
                slot = s
            }
            batch.tags.append(UInt32(slot) | (float32 ? TidyBatch.float32 : 0))
            batch.steps.append(step)
            batch.walls.append(wall)
            batch.values.append(x)
            if batch.isFull {
                sink.put(batch)
                batch = TidyBatch(run: run)
            }
        }
        if formatsRawScalars {
            while true {
                if watching && seen >= limit { return (superseded, .limit) }
                guard let step = reader.nextValueOrRawScalar() else { break }
                guard plan.covers(record: reader.recordOrdinal) else { break }
                switch step {
                case .scalar(let raw):
                    if watching {
                        watch?.see(bytes: raw.tag, step: raw.step)
                        seen += 1
                        if watch?.isClean(reader) == false { return (superseded, .superseded) }
                    }
                    if checks && !plan.keeps(bytes: raw.tag, step: raw.step, position: reader.lastValuePosition) {
                        superseded += 1
                        continue
                    }
                    row(raw.tag, true, raw.step, raw.wallTime, Double(raw.value))
                case .value(let value):
                    if watching {
                        watch?.see(value.tag, step: value.step)
                        seen += 1
                        if watch?.isClean(reader) == false { return (superseded, .superseded) }
                    }
                    guard case .scalar(var p) = value else { continue }
                    if checks && !plan.keeps(tag: p.tag, step: p.step, position: reader.lastValuePosition) {
                        superseded += 1
                        continue
                    }
                    p.tag.withUTF8 { row(UnsafeRawBufferPointer($0), p.dtype == .float, p.step, p.wallTime, p.value) }
                }
            }
        } else {
            while true {
                if watching && seen >= limit { return (superseded, .limit) }
                guard let value = reader.nextValue() else { break }
                guard plan.covers(record: reader.recordOrdinal) else { break }
                if watching {
                    watch?.see(value.tag, step: value.step)
                    seen += 1
                    if watch?.isClean(reader) == false { return (superseded, .superseded) }
                }
                guard case .scalar(var p) = value else { continue }
                if checks && !plan.keeps(tag: p.tag, step: p.step, position: reader.lastValuePosition) {
                    superseded += 1
                    continue
                }
                p.tag.withUTF8 { row(UnsafeRawBufferPointer($0), p.dtype == .float, p.step, p.wallTime, p.value) }
            }
        }
        return (superseded, .end)
    }

    /// Histograms of one run that pass the tag filter, superseded ones left out. Returns the
    /// number left out.
    @inline(never)
    private func readHistograms(
        _ reader: EventFileReader, _ plan: inout SupersededPoints, _ batch: inout TidyBatch, _ queue: TidyBatchQueue
    ) -> Int {
        var superseded = 0
        while let value = reader.nextValue() {
            guard plan.covers(record: reader.recordOrdinal) else { break }
            guard case .histogram(let h) = value, tags.isEmpty || tags.contains(h.tag) else { continue }
            if !plan.keeps(tag: h.tag, step: h.step, position: reader.lastValuePosition) {
                superseded += 1
                continue
            }
            batch.histograms.append(h)
            if batch.isFull {
                queue.put(batch)
                batch = TidyBatch(run: batch.run)
            }
        }
        return superseded
    }
}

/// Where `readScalars` puts each full batch: queued for the writing side, or held back while a
/// run is read on watch. An object rather than a closure, so the optimizer keeps one copy of
/// `readScalars` rather than one per caller (the batches are few; the rows within are many).
final class TidyBatchSink {
    private let queue: TidyBatchQueue?
    /// The batches put, when there is no queue.
    private(set) var held: [TidyBatch] = []

    /// A sink that queues on `queue`, or holds the batches when it is nil.
    init(queue: TidyBatchQueue?) {
        self.queue = queue
    }

    /// Queues or holds `batch`.
    func put(_ batch: TidyBatch) {
        if let queue { queue.put(batch) } else { held.append(batch) }
    }
}

/// `SupersededPoints.scan` of a run's files on a thread of its own, so the export's reading
/// thread finds the next run's plan ready. The semaphore signals once the result is stored.
final class PlanAhead: Sendable {
    private let result = Mutex<SupersededPoints?>(nil)
    private let done = DispatchSemaphore(value: 0)
    private let files: [String]

    init(files: [String]) {
        self.files = files
        let thread = Thread { [self] in
            let plan = SupersededPoints.scan(EventFileReader(files: files))
            result.withLock { $0 = plan }
            done.signal()
        }
        thread.name = "tbkit-export-scan"
        thread.start()
    }

    /// The plan, once the scan has finished.
    func plan() -> SupersededPoints {
        done.wait()
        return result.withLock { $0 } ?? SupersededPoints.scan(EventFileReader(files: files))
    }
}
