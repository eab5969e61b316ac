/// Something wrong in an event file that the reader stepped over. Reading never fails on bad
/// data: each problem is recorded here, and reading goes on where it safely can.
public enum EventFileProblem: Sendable, Equatable, CustomStringConvertible {
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
    public var description: String {
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
/// `problems` (a bad data CRC or an undecodable payload costs one record; a bad length CRC the
/// rest of that file). Not thread-safe.
public final class EventFileReader {
    /// The files read, in order.
    public let files: [String]
    /// Problems met so far, in reading order.
    public private(set) var problems: [EventFileProblem] = []
    /// The file the last event came from.
    public private(set) var currentFile: String?
    /// The byte offset of the record that held the last event.
    public private(set) var lastRecordOffset: Int64 = 0
    /// Events returned so far.
    public private(set) var eventCount = 0
    /// The last file's unfinished record, if the last `next()` stopped inside one.
    public private(set) var pendingTail: (offset: Int64, available: Int, needed: Int)?

    private var fileIndex = 0
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
                        do {
                            let event = try Event(decoding: payload)
                            currentFile = path
                            lastRecordOffset = offset
                            eventCount += 1
                            return event
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
            if pendingIndex < pendingValues.count {
                let value = pendingValues[pendingIndex]
                pendingIndex += 1
                if case .none = value.kind { continue }  // TensorBoard drops a Value with no oneof set
                return classifier.classify(value, step: pendingStep, wallTime: pendingWallTime)
            }
            guard let event = next() else { return nil }
            switch event.what {
            case .summary(let summary):
                pendingValues = summary.values
                pendingIndex = 0
                pendingStep = event.step
                pendingWallTime = event.wallTime
            case .graphDef(let bytes):
                return .other(
                    OtherValue(
                        tag: "__run_graph__", step: event.step, wallTime: event.wallTime,
                        pluginName: "graphs", pluginContent: [], kind: .other(field: 4, bytes: bytes)))
            default:
                continue
            }
        }
    }
}
