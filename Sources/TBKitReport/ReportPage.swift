import Foundation
import TBKit

/// Turns `ReportData` into one self-contained HTML page: inline CSS and script, the data as an
/// embedded JSON block, images as `data:` URIs, and a Content-Security-Policy that forbids every
/// fetch. The same data gives the same bytes.
public enum ReportPage {
    /// Why a page could not be made.
    public enum Error: Swift.Error, CustomStringConvertible {
        /// The data could not be encoded as JSON.
        case encoding(String)

        /// A sentence for people.
        public var description: String {
            switch self {
            case .encoding(let why): return "report: the data could not be encoded as JSON: \(why)"
            }
        }
    }

    /// The page's bytes (UTF-8).
    public static func render(_ data: ReportData) throws(Error) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let json: Data
        do {
            json = try encoder.encode(data)
        } catch {
            throw .encoding("\(error)")
        }
        var page: [UInt8] = []
        page.reserveCapacity(json.count + ReportTemplate.script.utf8.count + 16_384)
        page += Array(ReportTemplate.head.utf8)
        page += Array(escapeHTML("TBKit report: \(data.logdir)").utf8)
        page += Array(ReportTemplate.afterTitle.utf8)
        appendScriptSafe(json, to: &page)
        page += Array(ReportTemplate.afterData.utf8)
        page += Array(ReportTemplate.script.utf8)
        page += Array(ReportGroupsScript.script.utf8)
        page += Array(ReportTemplate.scriptEnd.utf8)
        page += Array(ReportTemplate.tail.utf8)
        return page
    }

    /// Text made safe inside HTML elements and attribute values.
    package static func escapeHTML(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Appends JSON so that nothing in it can end the `<script>` element or open a comment:
    /// `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026` (they only occur inside JSON strings,
    /// where the escapes mean the same characters), and U+2028/U+2029 are escaped as well.
    static func appendScriptSafe(_ json: Data, to page: inout [UInt8]) {
        let bytes = [UInt8](json)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "<"): page += Array("\\u003c".utf8)
            case UInt8(ascii: ">"): page += Array("\\u003e".utf8)
            case UInt8(ascii: "&"): page += Array("\\u0026".utf8)
            case 0xE2
            where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                page += Array((bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                i += 2
            default: page.append(b)
            }
            i += 1
        }
    }
}
