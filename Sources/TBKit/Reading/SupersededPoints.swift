import Foundation

/// Which values of a run TensorBoard no longer shows because a later record replaced them: the
/// one place where TBKit's readers apply TensorBoard's restart and purge semantics.
///
/// The rules, in reading order (files in name order, records in file order):
/// - A value at step `s` supersedes the values of its own tag read before it at steps `>= s`
///   (the Rust loader's preemption: a step logged twice keeps its last write, steps that go
///   backwards drop the points they overlap).
/// - A SessionLog START at step `s`, other than the first START of the run, supersedes every
///   tag's values read before it at steps `>= s` (the Python loader's purge; the first START of a
///   run marks its start, not a restart).
///
/// Built by a first pass over the run (`scan(_:)`) that keeps only the records that supersede
/// something, so its memory is in proportion to the overlaps, not to the run. A second reading
/// of the same files then asks `keeps(...)` for each value in order. Values in records past
/// those of the first pass (the file grew meanwhile) are outside the plan: `covers(record:)`.
package struct SupersededPoints: Sendable {
    /// A record that supersedes values read before it (`position` smaller) at steps `>= step`.
    struct Cut: Sendable {
        var position: Int64
        var step: Int64
    }

    /// The superseding records of one tag, START purges merged in, in position order, with the
    /// smallest step of each suffix, and the second pass's place in them.
    struct TagCuts: Sendable {
        var cuts: [Cut] = []
        var suffixMinimum: [Int64] = []
        var cursor = 0
    }

    /// Records read by the first pass (the last record's `recordOrdinal`).
    package private(set) var recordCount = 0
    /// Values the first pass read.
    package private(set) var valueCount = 0
    /// Cuts by tag id; a tag with no cut of its own shares `starts`.
    private var tagCuts: [Int32: TagCuts] = [:]
    private var starts = TagCuts()
    private var tags = TagIndex()

    /// A plan that keeps every value of every record: for a reading that has shown, or will
    /// show, that nothing is superseded (see `SupersedeWatch`).
    package static var keepingEverything: SupersededPoints {
        var plan = SupersededPoints()
        plan.recordCount = .max
        return plan
    }

    /// True when nothing in the run is superseded: every value is kept.
    package var isTrivial: Bool { tagCuts.isEmpty && starts.cuts.isEmpty }

    /// A value's position in its run: its record's ordinal and its index in the record's summary.
    @inline(__always)
    package static func position(record: Int, index: Int) -> Int64 {
        Int64(record) << 20 | Int64(Swift.min(index, 0xF_FFFF))
    }

    /// Reads `reader` to its end (a fresh reader over the run's files) and works out the cuts.
    package static func scan(_ reader: EventFileReader) -> SupersededPoints {
        var plan = SupersededPoints()
        // Per tag id, an upper bound of its largest step still standing (nil: none read yet).
        var upper: [Int64?] = []
        var ownCuts: [Int32: [Cut]] = [:]
        var startCuts: [Cut] = []
        var seenStart = false
        func value(_ id: Int32, _ step: Int64, _ position: Int64) {
            let i = Int(id)
            if i >= upper.count { upper.append(contentsOf: repeatElement(nil, count: i + 1 - upper.count)) }
            if let u = upper[i], step <= u { ownCuts[id, default: []].append(Cut(position: position, step: step)) }
            upper[i] = step
        }
        while let record = reader.nextOutline() {
            let ordinal = reader.recordOrdinal
            plan.recordCount = ordinal
            switch record {
            case .plainScalar(let s):
                plan.valueCount += 1
                value(plan.tags.id(bytes: s.tag), s.step, position(record: ordinal, index: 0))
            case .outline(let event):
                switch event.what {
                case .summary(let values):
                    for (index, v) in values.enumerated() where v.hasKind {
                        plan.valueCount += 1
                        value(plan.tags.id(v.tag), event.step, position(record: ordinal, index: index))
                    }
                case .graph:
                    plan.valueCount += 1
                    value(plan.tags.id("__run_graph__"), event.step, position(record: ordinal, index: 0))
                case .start:
                    guard seenStart else {
                        seenStart = true
                        continue
                    }
                    var cutsSomething = false
                    for i in upper.indices {
                        if let u = upper[i], u >= event.step {
                            upper[i] = event.step == .min ? nil : event.step - 1
                            cutsSomething = true
                        }
                    }
                    if cutsSomething {
                        startCuts.append(Cut(position: position(record: ordinal, index: 0), step: event.step))
                    }
                default:
                    break
                }
            }
        }
        plan.starts = TagCuts(startCuts)
        for (id, cuts) in ownCuts {
            var merged = cuts + startCuts
            merged.sort { $0.position < $1.position }
            plan.tagCuts[id] = TagCuts(merged)
        }
        return plan
    }

    /// True when the first pass read the record with this ordinal.
    @inline(__always)
    package func covers(record: Int) -> Bool { record <= recordCount }

    /// Whether the value of `tag` at `step` and `position` stands. Ask in position order.
    package mutating func keeps(tag: String, step: Int64, position: Int64) -> Bool {
        if isTrivial { return true }
        return keeps(id: tags.existingID(tag), step: step, position: position)
    }

    /// Whether the value whose stored tag bytes are `tag` stands. Ask in position order.
    package mutating func keeps(bytes tag: UnsafeRawBufferPointer, step: Int64, position: Int64) -> Bool {
        if isTrivial { return true }
        return keeps(id: tags.id(bytes: tag), step: step, position: position)
    }

    private mutating func keeps(id: Int32?, step: Int64, position: Int64) -> Bool {
        if let id, tagCuts[id] != nil {
            return tagCuts[id]!.keeps(step: step, position: position)
        }
        return starts.keeps(step: step, position: position)
    }
}

extension SupersededPoints.TagCuts {
    init(_ cuts: [SupersededPoints.Cut]) {
        self.cuts = cuts
        suffixMinimum = Array(repeating: .max, count: cuts.count)
        var m = Int64.max
        for i in cuts.indices.reversed() {
            m = Swift.min(m, cuts[i].step)
            suffixMinimum[i] = m
        }
    }

    /// Kept unless a cut after `position` has a step `<= step`.
    @inline(__always)
    mutating func keeps(step: Int64, position: Int64) -> Bool {
        while cursor < cuts.count && cuts[cursor].position <= position { cursor += 1 }
        return cursor == cuts.count || suffixMinimum[cursor] > step
    }
}

/// Small ids for a run's tags, looked up by the tag's stored bytes without making a String when
/// the tag was met recently (a direct-mapped cache of 256 entries), or by its text. Bytes decode
/// as `String(decoding:as:)` decodes them, so both lookups agree with the readers' tags.
struct TagIndex: Sendable {
    private var byName: [String: Int32] = [:]
    private var cacheKeys = [[UInt8]](repeating: [], count: 256)
    private var cacheIDs = [Int32](repeating: -1, count: 256)

    /// The id of `tag`, made when new.
    mutating func id(_ tag: String) -> Int32 {
        if let known = byName[tag] { return known }
        let made = Int32(byName.count)
        byName[tag] = made
        return made
    }

    /// The id of `tag` when it was met before.
    func existingID(_ tag: String) -> Int32? { byName[tag] }

    /// The id of the tag stored as `tag`, made when new.
    @inline(__always)
    mutating func id(bytes tag: UnsafeRawBufferPointer) -> Int32 {
        var hash: UInt32 = 2_166_136_261
        for b in tag { hash = (hash ^ UInt32(b)) &* 16_777_619 }
        let slot = Int(hash & 255)
        if cacheIDs[slot] >= 0 && cacheKeys[slot].count == tag.count {
            let same = cacheKeys[slot].withUnsafeBytes { key in
                guard let k = key.baseAddress, let t = tag.baseAddress else { return tag.count == 0 }
                return memcmp(k, t, tag.count) == 0
            }
            if same { return cacheIDs[slot] }
        }
        let found = id(String(decoding: tag, as: UTF8.self))
        cacheKeys[slot] = Array(tag)
        cacheIDs[slot] = found
        return found
    }
}
