/// Something wrong met while reading a run, as a value: which file, the byte offset of the record
/// concerned, what kind of problem, and a sentence for people. Reading always goes on past it.
public struct ReadProblem: Sendable, Equatable, Encodable, CustomStringConvertible {
    /// The kinds of problem, the same as `FileVerification` reports.
    public typealias Kind = FileVerification.Issue.Kind

    /// The event file.
    public var file: String
    /// The byte offset of the record concerned (0 when the file could not be opened or read).
    public var offset: Int64
    /// What kind of problem it is.
    public var kind: Kind
    /// A sentence for people: what went wrong, where, and what it means for the rest of the file.
    public var description: String

    /// A problem with all its parts given.
    package init(file: String, offset: Int64, kind: Kind, description: String) {
        self.file = file
        self.offset = offset
        self.kind = kind
        self.description = description
    }

    /// The problem an `EventFileReader` recorded.
    package init(_ problem: EventFileProblem) {
        switch problem {
        case .damagedRecord(let path, let d):
            self.init(file: path, offset: d.offset, kind: .badDataCRC, description: problem.description)
        case .undecodableEvent(let path, let offset, _):
            self.init(file: path, offset: offset, kind: .undecodableEvent, description: problem.description)
        case .unreadable(let path, let error):
            let kind: Kind
            switch error {
            case .io, .remote: kind = .io
            case .badLengthCRC: kind = .badLengthCRC
            case .lengthTooLarge: kind = .lengthTooLarge
            }
            self.init(file: path, offset: error.offset, kind: kind, description: problem.description)
        case .truncatedTail(let path, let offset, _, _):
            self.init(file: path, offset: offset, kind: .truncatedTail, description: problem.description)
        }
    }

    /// The unfinished record at the end of a run's last file: `available` of its `needed` bytes
    /// are there, and a writer may still be writing the rest.
    package static func pendingTail(file: String, offset: Int64, available: Int, needed: Int) -> ReadProblem {
        ReadProblem(
            file: file, offset: offset, kind: .truncatedTail,
            description:
                "\(file): ends inside the record at byte \(offset) (\(available) of \(needed) bytes; a writer may still be writing)"
        )
    }
}

extension EventFileReader {
    /// The problems of the files read so far, as typed values with file and byte offset, then
    /// the last file's unfinished record if reading stopped inside one.
    public var readProblems: [ReadProblem] {
        var result = problems.map(ReadProblem.init)
        if let tail = pendingTail, let last = files.last {
            result.append(
                .pendingTail(file: last, offset: tail.offset, available: tail.available, needed: tail.needed))
        }
        return result
    }
}
