/// Reads the values of a run as TensorBoard shows them: values superseded by a later record
/// (a step logged again, a resume's SessionLog START) are left out. See `SupersededPoints` for
/// the rules; `EventFileReader` stays the raw view, every record as stored.
///
/// ```swift
/// let reader = StandingValueReader(files: run.eventFiles)
/// while let value = reader.nextValue() { print(value.tag, value.step) }
/// print(reader.supersededCount, "values superseded")
/// ```
/// The files are read twice: once to find what later records supersede, once to hand out the
/// values. Values appended after the first reading are not handed out. Not thread-safe.
public final class StandingValueReader {
    /// The raw reader of the second pass (its problems, files and counts).
    package let reader: EventFileReader
    /// Values left out so far because a later record supersedes them.
    public private(set) var supersededCount = 0
    private var plan: SupersededPoints

    /// Reads the given files in the order given.
    public init(files: [String]) {
        plan = SupersededPoints.scan(EventFileReader(files: files))
        reader = EventFileReader(files: files)
    }

    /// Problems met while reading, in reading order.
    package var problems: [EventFileProblem] { reader.problems }
    /// The problems of the files read so far, as typed values with file and byte offset, then
    /// the last file's unfinished record if reading stopped inside one.
    public var readProblems: [ReadProblem] { reader.readProblems }

    /// The next value that stands, or nil at the end.
    public func nextValue() -> TaggedValue? {
        while let value = reader.nextValue() {
            guard plan.covers(record: reader.recordOrdinal) else { return nil }
            if plan.keeps(tag: value.tag, step: value.step, position: reader.lastValuePosition) { return value }
            supersededCount += 1
        }
        return nil
    }
}
