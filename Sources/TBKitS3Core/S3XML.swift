import Foundation

/// The little XML S3 answers with, read by hand: S3's answers are flat documents of simple
/// elements (`<Error><Code>…</Code>…</Error>`, `<ListBucketResult>` with `<Contents>` blocks),
/// so a scan for named elements and entity decoding is all that is needed.
package enum S3XML {
    /// The text of every `<name>…</name>` element in `text`, in order (entities decoded).
    package static func values(_ name: String, in text: Substring) -> [String] {
        elements(name, in: text).map { decode($0) }
    }

    /// The text of the first `<name>…</name>` element, if any.
    package static func value(_ name: String, in text: Substring) -> String? {
        elements(name, in: text).first.map { decode($0) }
    }

    /// The raw insides of every `<name>…</name>` element (also `<name attr="…">`), in order.
    package static func elements(_ name: String, in text: Substring) -> [Substring] {
        var result = [Substring]()
        var rest = text
        let close = "</\(name)>"
        while let open = rest.range(of: "<\(name)") {
            let after = rest[open.upperBound...]
            guard let first = after.first else { break }
            if first == "/" {  // <name/>: empty element
                if after.hasPrefix("/>") { result.append(after[after.startIndex..<after.startIndex]) }
                rest = after
                continue
            }
            guard first == ">" || first == " " else {  // a longer name that starts the same
                rest = after
                continue
            }
            guard let gt = after.firstIndex(of: ">") else { break }
            if gt > after.startIndex, after[after.index(before: gt)] == "/" {  // <name attr="x"/>
                result.append(after[gt..<gt])
                rest = after[after.index(after: gt)...]
                continue
            }
            let body = after[after.index(after: gt)...]
            guard let end = body.range(of: close) else { break }
            result.append(body[..<end.lowerBound])
            rest = body[end.upperBound...]
        }
        return result
    }

    /// Decodes the five predefined entities and numeric character references.
    package static func decode(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var out = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let tail = rest[amp...]
            guard let semi = tail.firstIndex(of: ";"), tail.distance(from: amp, to: semi) <= 10 else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let entity = tail[tail.index(after: amp)..<semi]
            var replacement: String?
            switch entity {
            case "amp": replacement = "&"
            case "lt": replacement = "<"
            case "gt": replacement = ">"
            case "quot": replacement = "\""
            case "apos": replacement = "'"
            default:
                if entity.hasPrefix("#x"), let v = UInt32(entity.dropFirst(2), radix: 16), let u = Unicode.Scalar(v) {
                    replacement = String(Character(u))
                } else if entity.hasPrefix("#"), let v = UInt32(entity.dropFirst()), let u = Unicode.Scalar(v) {
                    replacement = String(Character(u))
                }
            }
            if let replacement {
                out += replacement
                rest = tail[tail.index(after: semi)...]
            } else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
            }
        }
        out += rest
        return out
    }

    /// Escapes text for an element's content.
    package static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }
}
