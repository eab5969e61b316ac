/// Why a tar stream could not be read or written. Each case names the member and where it sits
/// in the uncompressed tar stream, so a damaged archive points at its first bad member.
package enum TarError: Error, CustomStringConvertible, Equatable {
    /// A header block whose checksum does not match its bytes.
    case badHeaderChecksum(offset: UInt64, nameField: String, previousMember: String?)
    /// A header field that is not a number where one must be.
    case badNumericField(field: String, offset: UInt64, member: String)
    /// A pax extended header that does not follow `"<length> <key>=<value>\n"`.
    case badPaxRecord(offset: UInt64, member: String)
    /// The stream ended inside a header or inside a member's data.
    case truncated(offset: UInt64, member: String?)
    /// A value that cannot be represented even with pax headers.
    case unrepresentable(member: String, reason: String)

    package var description: String {
        switch self {
        case .badHeaderChecksum(let offset, let nameField, let previous):
            let after = previous.map { " (the member after '\($0)')" } ?? " (the first member)"
            return
                "tar header checksum mismatch for member '\(nameField)' at tar offset \(offset)\(after): the archive is damaged"
        case .badNumericField(let field, let offset, let member):
            return
                "tar header of member '\(member)' at tar offset \(offset) has a malformed \(field) field: the archive is damaged"
        case .badPaxRecord(let offset, let member):
            return
                "pax extended header for member '\(member)' at tar offset \(offset) is malformed: the archive is damaged"
        case .truncated(let offset, let member):
            if let member { return "archive is truncated inside member '\(member)' (tar offset \(offset))" }
            return "archive is truncated at tar offset \(offset) (before the end-of-archive blocks)"
        case .unrepresentable(let member, let reason):
            return "cannot write member '\(member)' to tar: \(reason)"
        }
    }
}
