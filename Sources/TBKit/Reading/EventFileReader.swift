/// Something wrong in an event file that the reader stepped over. Reading never fails on bad
/// data: each problem is recorded here, and reading goes on where it safely can.
package enum EventFileProblem: Sendable, Equatable, CustomStringConvertible {
    /// A record failed its data CRC (its length was sound): that record was skipped.
    case damagedRecord(path: String, DamagedRecord)
    /// A record's payload passed its CRC but is not a valid Event: that record was skipped.
    case undecodableEvent(path: String, recordOffset: Int64, error: ProtoDecodingError)
    /// The rest of the file could not be read (bad length CRC, absurd length, I/O error).
    case unreadable(path: String, RecordReaderError)
    /// The file ends inside a record and a later file of the run has been started: the writer of
    /// this file stopped mid-record.
    case truncatedTail(path: String, offset: Int64, available: Int, needed: Int)

    /// A sentence for people: what went wrong, where, and what it means for the rest of the file.
    package var description: String {
        switch self {
        case .damagedRecord(let path, let d):
            return "\(path): \(d)"
        case .undecodableEvent(let path, let offset, let error):
            // The error's offset counts from the payload, which starts 12 bytes into the record.
            return
                "\(path): record at byte \(offset) is not a valid Event (payload byte \(error.offset), file byte \(offset + 12 + Int64(error.offset)): \(error)); skipped"
        case .unreadable(_, let error):
            return error.description
        case .truncatedTail(let path, let offset, let available, let needed):
            return "\(path): ends inside the record at byte \(offset) (\(available) of \(needed) bytes)"
        }
    }
}

/// Reads the events of one event file, or of every file of a run in lexicographic filename order.
///
/// Resumable: `next()` returns nil when no complete record is left; calling it again after the
/// last file has grown continues where it stopped. Bad records are skipped and listed in
/// `readProblems` (a bad data CRC or an undecodable payload costs one record; a bad length CRC the
/// rest of that file). Not thread-safe.
public final class EventFileReader {
    /// The files read, in order.
    public let files: [String]
    /// Problems met so far, in reading order.
    package private(set) var problems: [EventFileProblem] = []
    /// The file the last event came from.
    public var currentFile: String? { currentFileIndex.map { files[$0] } }
    /// The byte offset of the record that held the last event.
    package private(set) var lastRecordOffset: Int64 = 0
    /// Events returned so far.
    public private(set) var eventCount = 0
    /// Sound records met so far (their data CRC right), whether or not they decode: the
    /// ordinal of the last one. Both passes of `SupersededPoints` count records the same way.
    package private(set) var recordOrdinal = 0
    /// The last file's unfinished record, if the last `next()` stopped inside one.
    package private(set) var pendingTail: (offset: Int64, available: Int, needed: Int)?
    /// Where the last value from `nextValue()` or `nextValueOrRawScalar()` sits in the run: its
    /// record's ordinal (`recordOrdinal`) times 2^20 plus its index in the record's summary. Two
    /// readings of the same files give the same positions (see `SupersededPoints`).
    package private(set) var lastValuePosition: Int64 = 0
    /// SessionLog START events `nextValue()` and `nextValueOrRawScalar()` have passed over.
    package private(set) var sessionStarts = 0

    private var fileIndex = 0
    private var currentFileIndex: Int?
    private var reader: RecordReader?
    private var readerDead = false
    private var classifier = ValueClassifier()
    private var pendingValues: [SummaryValue] = []
    private var pendingIndex = 0
    private var pendingStep: Int64 = 0
    private var pendingWallTime = 0.0

    /// Reads the given files in the order given.
    public init(files: [String]) {
        self.files = files
    }

    /// Reads one event file.
    public convenience init(file: String) {
        self.init(files: [file])
    }

    /// Reads every event file directly inside `runDirectory`, in lexicographic order.
    public convenience init(runDirectory: String) throws(LogDirectoryError) {
        self.init(files: try RunDirectory.eventFiles(in: runDirectory))
    }

    /// Tag metadata seen so far in this run (first one per tag).
    public var metadataByTag: [String: SummaryMetadata] { classifier.metadataByTag }

    /// The next event, or nil when no complete record is left in any file (for now).
    public func next() -> Event? {
        nextRecord { payload throws(ProtoDecodingError) in try Event(decoding: payload) }
    }

    /// The next record that `decode` accepts, decoded; a record it throws on is listed in
    /// `problems` as an undecodable event and skipped. Nil when no complete record is left.
    private func nextRecord<R>(_ decode: (UnsafeRawBufferPointer) throws(ProtoDecodingError) -> R) -> R? {
        while fileIndex < files.count {
            let path = files[fileIndex]
            if reader == nil && !readerDead {
                do {
                    reader = try RecordReader(path: path)
                } catch {
                    problems.append(.unreadable(path: path, error))
                    readerDead = true
                }
            }
            let isLast = fileIndex == files.count - 1
            if let r = reader, !readerDead {
                pendingTail = nil
                readLoop: while true {
                    let step: RecordReader.Next
                    do {
                        step = try r.next()
                    } catch {
                        problems.append(.unreadable(path: path, error))
                        readerDead = true
                        break readLoop
                    }
                    switch step {
                    case .record(let offset, let payload):
                        recordOrdinal += 1
                        do {
                            let decoded = try decode(payload)
                            currentFileIndex = fileIndex
                            lastRecordOffset = offset
                            eventCount += 1
                            return decoded
                        } catch {
                            problems.append(.undecodableEvent(path: path, recordOffset: offset, error: error))
                        }
                    case .damaged(let d):
                        problems.append(.damagedRecord(path: path, d))
                    case .incomplete(let offset, let available, let needed):
                        if isLast {
                            pendingTail = (offset, available, needed)
                            return nil
                        }
                        problems.append(
                            .truncatedTail(path: path, offset: offset, available: available, needed: needed))
                        break readLoop
                    case .end:
                        if isLast { return nil }
                        break readLoop
                    }
                }
            }
            if isLast { return nil }
            reader = nil
            readerDead = false
            fileIndex += 1
        }
        return nil
    }

    /// The next summary value as a scalar, a histogram or a raw value, or nil when no complete
    /// record is left. An Event's `graph_def` comes out as `.other` with tag `__run_graph__` and
    /// plugin "graphs"; file_version and session_log events are passed over.
    public func nextValue() -> TaggedValue? {
        while true {
            if let value = nextPendingValue() { return value }
            guard let event = next() else { return nil }
            if let value = absorb(event) { return value }
        }
    }

    /// What `nextValueOrRawScalar()` returns.
    enum RawStep {
        /// A record that is one plain v1 scalar; its tag bytes are valid until the next read.
        case scalar(RawScalarEvent)
        /// Any other value, exactly as `nextValue()` returns it.
        case value(TaggedValue)
    }

    /// The same values as `nextValue()`, in the same order, except that a record holding exactly
    /// one v1 scalar (see `RawScalarEvent`) comes out raw, without building an Event, a String or
    /// a `TaggedValue`: the exporter's hot path. Such a value has no metadata, so skipping the
    /// classifier for it changes nothing the classifier remembers.
    func nextValueOrRawScalar() -> RawStep? {
        while true {
            if pendingIndex < pendingValues.count, let value = nextPendingValue() { return .value(value) }
            switch nextEventOrPlainScalar() {
            case nil: return nil
            case .plainScalar(let scalar)?:
                lastValuePosition = SupersededPoints.position(record: recordOrdinal, index: 0)
                return .scalar(scalar)
            case .event(let event)?: if let value = absorb(event) { return .value(value) }
            }
        }
    }

    /// What `nextEventOrPlainScalar()` returns.
    package enum EventRecord {
        /// A record that is one plain v1 scalar (see `RawScalarEvent`); its tag bytes are valid
        /// until the next read.
        case plainScalar(RawScalarEvent)
        /// Any other record, decoded.
        case event(Event)
    }

    /// The same records as `next()`, in the same order, except that a record holding exactly one
    /// plain v1 scalar comes out as its fields, without building an Event or a String. Do not mix
    /// with `nextValue()` on one reader.
    package func nextEventOrPlainScalar() -> EventRecord? {
        nextRecord { payload throws(ProtoDecodingError) -> EventRecord in
            if let scalar = RawScalarEvent(payload) { return .plainScalar(scalar) }
            return .event(try Event(decoding: payload))
        }
    }

    /// What `nextOutline()` returns.
    package enum OutlineRecord {
        /// A record that is one plain v1 scalar; its tag bytes are valid until the next read.
        case plainScalar(RawScalarEvent)
        /// Any other record, outlined.
        case outline(EventOutline)
    }

    /// The same records as `nextEventOrPlainScalar()`, each other record only outlined (step,
    /// value tags, graph, START) without decoding its values: the first pass of
    /// `SupersededPoints`. Do not mix with the other reading methods on one reader.
    package func nextOutline() -> OutlineRecord? {
        nextRecord { payload throws(ProtoDecodingError) -> OutlineRecord in
            if let scalar = RawScalarEvent(payload) { return .plainScalar(scalar) }
            return .outline(try EventOutline(decoding: payload))
        }
    }

    /// The next value left from the last summary event, classified.
    private func nextPendingValue() -> TaggedValue? {
        while pendingIndex < pendingValues.count {
            let value = pendingValues[pendingIndex]
            pendingIndex += 1
            if case .none = value.kind { continue }  // TensorBoard drops a Value with no oneof set
            lastValuePosition = SupersededPoints.position(record: recordOrdinal, index: pendingIndex - 1)
            return classifier.classify(value, step: pendingStep, wallTime: pendingWallTime)
        }
        return nil
    }

    /// Takes in one event: a summary's values become pending, a graph is returned as a value.
    private func absorb(_ event: Event) -> TaggedValue? {
        switch event.what {
        case .summary(let summary):
            pendingValues = summary.values
            pendingIndex = 0
            pendingStep = event.step
            pendingWallTime = event.wallTime
            return nil
        case .graphDef(let bytes):
            lastValuePosition = SupersededPoints.position(record: recordOrdinal, index: 0)
            return .other(
                OtherValue(
                    tag: "__run_graph__", step: event.step, wallTime: event.wallTime,
                    pluginName: .graphs, pluginContent: [], kind: .other(field: 4, bytes: bytes)))
        case .sessionLog(let status, _, _) where status == .start:
            sessionStarts += 1
            return nil
        default:
            return nil
        }
    }
}

/// An event record that holds exactly one v1 scalar and nothing else: `wall_time` (1) and `step`
/// (2), each optional and last-one-wins as protobuf reads them, and one `summary` (5) of one
/// `value` (1) with only a `tag` (1) and a `simple_value` (2). That is how TBKit, tensorboardX and
/// TensorFlow write scalars. Anything else (metadata, other fields, a second value) is not one,
/// and the record is decoded in full.
package struct RawScalarEvent {
    /// Seconds since the epoch.
    package var wallTime: Double
    /// The step.
    package var step: Int64
    /// The tag's bytes as stored (UTF-8 when well formed), borrowed from the record.
    /// `String(decoding: tag, as: UTF8.self)` is the tag a full decode gives.
    package var tag: UnsafeRawBufferPointer
    /// The value.
    package var value: Float

    /// The scalar of `payload`, or nil when the record is anything more or less than one.
    init?(_ payload: UnsafeRawBufferPointer) {
        if let scalar = RawScalarEvent(usualLayout: payload) {
            self = scalar
        } else if let scalar = RawScalarEvent(fieldByField: payload) {
            self = scalar
        } else {
            return nil
        }
    }

    /// The scalar of `payload` read field by field as protobuf reads it (any order, repeats).
    init?(fieldByField payload: UnsafeRawBufferPointer) {
        do {
            var event = ProtoReader(payload)
            var wallTime = 0.0
            var step: Int64 = 0
            var summary: UnsafeRawBufferPointer?
            while !event.isAtEnd {
                let (field, type) = try event.readKey()
                switch (field, type) {
                case (1, .fixed64): wallTime = try event.readDouble()
                case (2, .varint): step = try event.readInt64()
                case (5, .lengthDelimited) where summary == nil: summary = try event.readLengthDelimited()
                default: return nil
                }
            }
            guard let summary else { return nil }
            var values = ProtoReader(summary)
            guard !values.isAtEnd else { return nil }
            let (first, firstType) = try values.readKey()
            guard first == 1, firstType == .lengthDelimited else { return nil }
            var value = ProtoReader(try values.readLengthDelimited())
            guard values.isAtEnd else { return nil }
            var tag = UnsafeRawBufferPointer(start: nil, count: 0)
            var x: Float?
            while !value.isAtEnd {
                let (field, type) = try value.readKey()
                switch (field, type) {
                case (1, .lengthDelimited): tag = try value.readLengthDelimited()
                case (2, .fixed32): x = try value.readFloat()
                default: return nil
                }
            }
            guard let x else { return nil }
            self.wallTime = wallTime
            self.step = step
            self.tag = tag
            self.value = x
        } catch {
            return nil
        }
    }

    /// The scalar of a payload laid out the way writers lay one out, each field once and in
    /// field order: `wall_time`, `step` (absent when 0), then a summary of one value of a tag
    /// and a `simple_value`, each length one byte. Nil for anything else (the field-by-field
    /// reading above then decides); where this matches, that reading gives the same fields.
    @inline(__always)
    init?(usualLayout payload: UnsafeRawBufferPointer) {
        let n = payload.count
        guard n >= 18, let base = payload.baseAddress else { return nil }
        let b = base.assumingMemoryBound(to: UInt8.self)
        guard b[0] == 0x09 else { return nil }
        var i = 9
        var step: UInt64 = 0
        if b[i] == 0x10 {
            i += 1
            var shift: UInt64 = 0
            while true {
                // At most ten bytes, and the tenth may only carry bit 63.
                guard i < n, shift < 63 || b[i] <= 1 else { return nil }
                let byte = b[i]
                step |= UInt64(byte & 0x7F) << shift
                i += 1
                if byte < 0x80 { break }
                shift += 7
            }
        }
        // summary (5), value (1), tag (1), simple_value (2): lengths of one byte, nested exactly.
        guard i + 6 <= n, b[i] == 0x2A, b[i + 2] == 0x0A, b[i + 4] == 0x0A else { return nil }
        let summaryLength = Int(b[i + 1])
        let valueLength = Int(b[i + 3])
        let tagLength = Int(b[i + 5])
        guard summaryLength < 0x80, i + 2 + summaryLength == n, valueLength == summaryLength - 2,
            tagLength < 0x80, valueLength == tagLength + 7
        else { return nil }
        let tagStart = i + 6
        let valueKey = tagStart + tagLength
        guard b[valueKey] == 0x15 else { return nil }
        wallTime = Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 1, as: UInt64.self)))
        self.step = Int64(bitPattern: step)
        tag = UnsafeRawBufferPointer(start: base + tagStart, count: tagLength)
        value = Float(
            bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: valueKey + 1, as: UInt32.self)))
    }
}
