/// Text from files and users made safe to show on a terminal.
///
/// Run names, tags and paths come from log directories and archives that travel between people, so
/// they may hold bytes a terminal acts on: an `ESC ] 0 ; … BEL` retitles the window, `ESC [ 2 J`
/// clears it, U+009B is a one-character CSI on some terminals, and U+202E turns the rest of a line
/// around. `escaped(_:)` shows each such character as visible text instead, and cuts long names to
/// a readable length; everything tbkit prints for a person goes through it. Exported data (CSV,
/// JSONL) and the HTML report keep the original text.
///
/// What is escaped, and how:
/// - C0 controls (U+0000–U+001F) and DEL (U+007F) as `\xNN`, with `\t`, `\n` and `\r` for tab,
///   newline and carriage return; `layout` keeps newline and tab where a message is laid out with
///   them;
/// - C1 controls (U+0080–U+009F), the bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E,
///   U+2066–U+2069) and the line and paragraph separators (U+2028, U+2029) as `\u{NNNN}`;
/// - bytes that are not UTF-8 (from `escaped(bytes:)`) as `\xNN`, one per byte.
///
/// An escape sequence therefore becomes plain text (`\x1b[2J`) and can do nothing. A backslash
/// is left as it is, so escaping twice changes nothing.
package enum TerminalText {
    /// Characters of a name shown before it is cut (a tag or run name longer than this is rare
    /// and unreadable anyway).
    package static let nameLimit = 200

    /// Characters of one line of a message (an error or a warning that embeds names) shown before
    /// it is cut.
    package static let lineLimit = 2000

    /// `text` with every control, bidi and separator character shown escaped, cut after `limit`
    /// characters of output with a marker saying how many bytes were left out
    /// (`…[+1048376 bytes]`). `nil` means no limit.
    package static func escaped(_ text: String, limit: Int? = nameLimit, layout: Bool = false) -> String {
        escaped(bytes: text.utf8, limit: limit, layout: layout)
    }

    /// The bytes as UTF-8 text, escaped as `escaped(_:)` does; a byte that is not part of valid
    /// UTF-8 is shown as `\xNN`.
    package static func escaped<Bytes: Collection<UInt8>>(
        bytes: Bytes, limit: Int? = nameLimit, layout: Bool = false
    ) -> String {
        var out = ""
        var shown = 0  // characters (Unicode scalars) appended to `out`
        var position = bytes.startIndex
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        while true {
            let piece: String
            let length: Int
            switch parser.parseScalar(from: &iterator) {
            case .emptyInput:
                return out
            case .valid(let encoded):
                length = encoded.count
                piece = show(Unicode.UTF8.decode(encoded), layout: layout)
            case .error(let errorLength):
                length = errorLength
                piece = bytes[position...].prefix(errorLength).map(hexByte).joined()
            }
            if let limit, shown + piece.unicodeScalars.count > limit {
                let left = bytes.distance(from: position, to: bytes.endIndex)
                return out + "…[+\(left) bytes]"
            }
            out += piece
            shown += piece.unicodeScalars.count
            position = bytes.index(position, offsetBy: length)
        }
    }

    /// A message for a person, line by line: each line escaped (tabs kept) and cut after
    /// `lineLimit` characters, the newlines between lines kept.
    package static func escapedLines(_ text: String, lineLimit: Int = lineLimit) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { escaped(String($0), limit: lineLimit, layout: true) }
            .joined(separator: "\n")
    }

    /// Whether a scalar is shown escaped.
    package static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func show(_ scalar: Unicode.Scalar, layout: Bool) -> String {
        guard needsEscaping(scalar) else { return String(Character(scalar)) }
        switch scalar {
        case "\n": return layout ? "\n" : "\\n"
        case "\t": return layout ? "\t" : "\\t"
        case "\r": return "\\r"
        default:
            return scalar.value < 0x80
                ? hexByte(UInt8(scalar.value)) : "\\u{" + hex(scalar.value, digits: 4, uppercase: true) + "}"
        }
    }

    private static func hexByte(_ byte: UInt8) -> String { "\\x" + hex(UInt32(byte), digits: 2, uppercase: false) }

    private static func hex(_ value: UInt32, digits: Int, uppercase: Bool) -> String {
        let text = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
