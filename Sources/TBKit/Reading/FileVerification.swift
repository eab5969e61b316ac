/// The result of checking every record of one event file: both CRCs, that each payload decodes
/// as an Event, and that the first record is the `file_version` record.
public struct FileVerification: Sendable, Equatable, Encodable {
    /// One thing wrong, at a byte offset.
    public struct Issue: Sendable, Equatable, Encodable, CustomStringConvertible {
        /// The byte offset of the record concerned.
        public var offset: Int64
        /// What kind of problem it is; its raw value is the short name `verify` prints and JSON holds.
        public enum Kind: String, Sendable, Equatable, Encodable, CaseIterable {
            /// A record whose payload fails its data CRC (that record is lost).
            case badDataCRC = "bad-data-crc"
            /// A length that fails its CRC: the framing is lost, nothing after it can be read.
            case badLengthCRC = "bad-length-crc"
            /// A length of 2 GiB or more with a sound CRC: refused, the rest cannot be read.
            case lengthTooLarge = "length-too-large"
            /// A record that passes its CRCs but does not decode as an Event.
            case undecodableEvent = "undecodable-event"
            /// The first record is not the `file_version` event (or the file is empty).
            case missingFileVersion = "missing-file-version"
            /// The file ends inside a record (a writer stopped, or is still writing).
            case truncatedTail = "truncated-tail"
            /// The file could not be opened or read.
            case io = "io"
        }

        /// What kind of problem it is.
        public var kind: Kind
        /// A sentence for people.
        public var reason: String

        /// A sentence for people.
        public var description: String { "byte \(offset): \(reason)" }
    }

    /// The file checked.
    public var path: String
    /// Its size in bytes when checked.
    public var bytes: Int64
    /// Records that passed both CRCs and decoded as an Event.
    public var soundRecords: Int
    /// Records skipped for a bad data CRC or an undecodable payload.
    public var damagedRecords: Int
    /// Everything wrong, in file order. A bad length CRC is the last entry: nothing after it can be framed.
    public var issues: [Issue]
    /// True when the file ends inside a record (a writer stopped, or is still writing).
    public var truncatedTail: Bool
    /// Sound records before the truncated tail (equal to `soundRecords` when `truncatedTail`).
    public var completeRecordsBeforeTail: Int

    /// True when nothing is wrong.
    public var isSound: Bool { issues.isEmpty }

    /// The first problem, if any.
    public var firstIssue: Issue? { issues.first }

    /// Checks every record of the file at `path`. Never throws: an unreadable file is an issue.
    public static func verify(path: String) -> FileVerification {
        var result = FileVerification(
            path: path, bytes: 0, soundRecords: 0, damagedRecords: 0, issues: [],
            truncatedTail: false, completeRecordsBeforeTail: 0)
        let status = try? Platform.status(path)
        if let status { result.bytes = status.size }
        let reader: RecordReader
        do {
            reader = try RecordReader(path: path)
        } catch {
            result.issues.append(Issue(offset: 0, kind: .io, reason: error.description))
            return result
        }
        if let size = reader.remoteSize { result.bytes = size }
        var first = true
        loop: while true {
            let next: RecordReader.Next
            do {
                next = try reader.next()
            } catch {
                let kind: Issue.Kind
                switch error {
                case .badLengthCRC: kind = .badLengthCRC
                case .lengthTooLarge: kind = .lengthTooLarge
                case .io, .remote: kind = .io
                }
                result.issues.append(Issue(offset: error.offset, kind: kind, reason: error.description))
                break loop
            }
            switch next {
            case .record(let offset, let payload):
                do {
                    let event = try Event(decoding: payload)
                    result.soundRecords += 1
                    if first {
                        if case .fileVersion(let v) = event.what, v.hasPrefix("brain.Event:") {
                        } else {
                            result.issues.append(
                                Issue(
                                    offset: offset, kind: .missingFileVersion,
                                    reason: "the first record is not a file_version event (\"brain.Event:2\")"))
                        }
                    }
                } catch {
                    result.damagedRecords += 1
                    result.issues.append(
                        Issue(
                            offset: offset, kind: .undecodableEvent,
                            reason:
                                "record passes its CRCs but is not a valid Event (file byte \(offset + 12 + Int64(error.offset))): \(error)"
                        ))
                }
            case .damaged(let d):
                result.damagedRecords += 1
                result.issues.append(Issue(offset: d.offset, kind: .badDataCRC, reason: d.description))
            case .incomplete(let offset, let available, let needed):
                if status == nil { result.bytes = offset + Int64(available) }  // a member of a source
                result.truncatedTail = true
                result.completeRecordsBeforeTail = result.soundRecords + result.damagedRecords
                result.issues.append(
                    Issue(
                        offset: offset, kind: .truncatedTail,
                        reason:
                            "truncated tail: the file ends inside a record (\(available) of \(needed) bytes present) after \(result.completeRecordsBeforeTail) complete records"
                    ))
                break loop
            case .end:
                if status == nil { result.bytes = reader.offset }  // a member of a source, read through
                if first {
                    result.issues.append(
                        Issue(
                            offset: 0, kind: .missingFileVersion,
                            reason: "the file is empty: no file_version record"))
                }
                break loop
            }
            first = false
        }
        return result
    }
}
