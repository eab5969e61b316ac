import Foundation
import SystemPackage

/// Embeddings for TensorBoard's projector, which reads files rather than events: in a run
/// directory, `projector_config.pbtxt` (a text-format `ProjectorConfig` listing `embeddings {
/// tensor_name, tensor_path, metadata_path, tensor_shape }`), a tensor file and a metadata file.
///
/// The tensor is written as TSV (one row a line, values tab-separated): TensorBoard first tries
/// to read a tensor file as UTF-8 TSV and only on a decode error as raw float32, so a binary file
/// whose bytes happen to be valid UTF-8 breaks the route. Metadata is one label a line, exactly
/// one per row, with no header. Paths are relative to the run directory, as TensorBoard requires
/// (assets must resolve inside it). The projector only looks in directories TensorBoard lists as
/// runs (those holding an event file) and in the logdir root.
///
/// ```swift
/// try Projector.writeEmbedding(runDirectory: "logs/run1", name: "hidden",
///                              vectors: activations, rows: 500, dims: 64, labels: digitNames)
/// ```
public enum Projector {
    /// The config file TensorBoard looks for in each run directory.
    package static let configFileName = "projector_config.pbtxt"

    /// One `EmbeddingInfo` of the config.
    public struct Embedding: Sendable, Equatable {
        /// The name shown in the projector's tensor menu.
        public var tensorName: String
        /// The tensor file, relative to the run directory.
        public var tensorPath: String
        /// The label file, relative to the run directory ("" for none).
        public var metadataPath: String
        /// [rows, dims].
        public var tensorShape: [Int]

        /// Makes an entry.
        public init(tensorName: String, tensorPath: String, metadataPath: String, tensorShape: [Int]) {
            self.tensorName = tensorName
            self.tensorPath = tensorPath
            self.metadataPath = metadataPath
            self.tensorShape = tensorShape
        }
    }

    /// Why an embedding cannot be written.
    public enum Error: Swift.Error, CustomStringConvertible {
        /// `vectors` does not hold rows × dims values, or a size is < 1.
        case shapeMismatch(rows: Int, dims: Int, count: Int)
        /// There must be exactly one label per row.
        case labelCountMismatch(rows: Int, labels: Int)
        /// NaN or ±Inf at (row, column): the projector's PCA and t-SNE cannot use it.
        case nonFiniteValue(row: Int, column: Int)
        /// The name is empty.
        case emptyName
        /// An existing config file is not in the form TBKit writes; it is left untouched.
        case unreadableConfig(path: String, line: Int, text: String)
        /// A file could not be written.
        case writeFailed(path: String, reason: String)

        /// What went wrong and what to do.
        public var description: String {
            switch self {
            case .shapeMismatch(let rows, let dims, let count):
                return
                    "projector: \(rows) rows × \(dims) dims need \(rows * dims) values (row-major) but got \(count); sizes must be ≥ 1"
            case .labelCountMismatch(let rows, let labels):
                return "projector: \(labels) labels for \(rows) rows; pass exactly one label per row"
            case .nonFiniteValue(let row, let column):
                return
                    "projector: the value at row \(row), column \(column) is NaN or infinite; the projector cannot place such a point"
            case .emptyName:
                return "projector: the embedding name is empty"
            case .unreadableConfig(let path, let line, let text):
                return
                    "projector: \(path) line \(line) (\(text.debugDescription)) is not in the form TBKit writes; move the file away or write into another run directory"
            case .writeFailed(let path, let reason):
                return "projector: cannot write \(path): \(reason)"
            }
        }
    }

    /// Writes `<name>.tensor.tsv`, `<name>.metadata.tsv` (when `labels` is given) and adds (or
    /// replaces) the embedding named `name` in the run's `projector_config.pbtxt`, keeping the
    /// other embeddings listed there. `vectors` holds `rows` × `dims` values, row-major. Tabs and
    /// line breaks in labels become spaces, and an empty label becomes "(empty)" so every row
    /// keeps its line.
    @discardableResult
    public static func writeEmbedding(
        runDirectory: String, name: String, vectors: [Float], rows: Int,
        dims: Int, labels: [String]? = nil
    ) throws -> Embedding {
        guard !name.isEmpty else { throw Error.emptyName }
        guard rows >= 1, dims >= 1, rows.multipliedReportingOverflow(by: dims) == (vectors.count, false) else {
            throw Error.shapeMismatch(rows: rows, dims: dims, count: vectors.count)
        }
        if let labels, labels.count != rows { throw Error.labelCountMismatch(rows: rows, labels: labels.count) }
        let tensorText = try tensorTSV(vectors, rows: rows, dims: dims)

        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        } catch {
            throw Error.writeFailed(path: runDirectory, reason: "\(error.localizedDescription)")
        }
        let base = fileStem(name)
        let entry = Embedding(
            tensorName: name, tensorPath: base + ".tensor.tsv",
            metadataPath: labels == nil ? "" : base + ".metadata.tsv",
            tensorShape: [rows, dims])
        let run = FilePath(runDirectory)
        try write(tensorText, to: run.appending(entry.tensorPath).string)
        if let labels { try write(metadataTSV(labels), to: run.appending(entry.metadataPath).string) }

        let configPath = run.appending(configFileName).string
        var embeddings = fm.fileExists(atPath: configPath) ? try readConfig(at: configPath) : []
        if let i = embeddings.firstIndex(where: { $0.tensorName == name }) {
            embeddings[i] = entry
        } else {
            embeddings.append(entry)
        }
        try write(configText(embeddings), to: configPath)
        return entry
    }

    /// The tensor as TSV: one line per row, values tab-separated, shortest round-trip decimals.
    static func tensorTSV(_ vectors: [Float], rows: Int, dims: Int) throws -> String {
        var out = ""
        out.reserveCapacity(rows * dims * 10)
        for r in 0..<rows {
            for c in 0..<dims {
                let x = vectors[r * dims + c]
                guard x.isFinite else { throw Error.nonFiniteValue(row: r, column: c) }
                if c > 0 { out += "\t" }
                out += x.description
            }
            out += "\n"
        }
        return out
    }

    /// One label a line; tabs and line breaks become spaces, "" becomes "(empty)".
    static func metadataTSV(_ labels: [String]) -> String {
        var out = ""
        for label in labels {
            var clean = String(label.map { $0 == "\t" || $0.isNewline ? " " : $0 })
            if clean.isEmpty { clean = "(empty)" }
            out += clean + "\n"
        }
        return out
    }

    /// A file-name stem from an embedding name: letters, digits, `.`, `-` and `_` kept, the rest `_`.
    static func fileStem(_ name: String) -> String {
        let stem = String(
            name.unicodeScalars.map { s -> Character in
                let ok =
                    (s.isASCII && (("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)))
                    || s == "." || s == "-" || s == "_"
                return ok ? Character(s) : "_"
            })
        return stem.hasPrefix(".") ? "_" + stem.dropFirst() : stem
    }

    /// The text-format `ProjectorConfig` listing `embeddings`.
    package static func configText(_ embeddings: [Embedding]) -> String {
        var out = ""
        for e in embeddings {
            out += "embeddings {\n"
            out += "  tensor_name: \"\(escape(e.tensorName))\"\n"
            if !e.metadataPath.isEmpty { out += "  metadata_path: \"\(escape(e.metadataPath))\"\n" }
            for d in e.tensorShape { out += "  tensor_shape: \(d)\n" }
            out += "  tensor_path: \"\(escape(e.tensorPath))\"\n"
            out += "}\n"
        }
        return out
    }

    /// Reads a config written by `configText`; anything else is an error (never overwritten).
    static func readConfig(at path: String) throws -> [Embedding] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Error.unreadableConfig(path: path, line: 0, text: "not UTF-8 text")
        }
        var result = [Embedding]()
        var current: Embedding?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let bad = Error.unreadableConfig(path: path, line: index + 1, text: String(raw))
            if line.isEmpty { continue }
            if line == "embeddings {" {
                guard current == nil else { throw bad }
                current = Embedding(tensorName: "", tensorPath: "", metadataPath: "", tensorShape: [])
                continue
            }
            if line == "}" {
                guard let done = current else { throw bad }
                result.append(done)
                current = nil
                continue
            }
            guard current != nil, let colon = line.firstIndex(of: ":") else { throw bad }
            let key = line[..<colon]
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "tensor_shape":
                guard let d = IntegerText.int(value) else { throw bad }
                current?.tensorShape.append(d)
            case "tensor_name", "tensor_path", "metadata_path":
                guard let s = unescape(value) else { throw bad }
                if key == "tensor_name" { current?.tensorName = s }
                if key == "tensor_path" { current?.tensorPath = s }
                if key == "metadata_path" { current?.metadataPath = s }
            default:
                throw bad
            }
        }
        guard current == nil else {
            throw Error.unreadableConfig(path: path, line: 0, text: "unterminated embeddings block")
        }
        return result
    }

    /// Text-format string escaping: backslash, quote and control characters.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 { out += String(format: "\\%03o", c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// The inverse of `escape` for a quoted value; nil if malformed.
    static func unescape(_ quoted: String) -> String? {
        guard quoted.count >= 2, quoted.hasPrefix("\""), quoted.hasSuffix("\"") else { return nil }
        var out = ""
        var scalars = Array(quoted.unicodeScalars.dropFirst().dropLast())[...]
        while let c = scalars.popFirst() {
            guard c == "\\" else {
                if c == "\"" { return nil }
                out.unicodeScalars.append(c)
                continue
            }
            guard let e = scalars.popFirst() else { return nil }
            switch e {
            case "\\": out += "\\"
            case "\"": out += "\""
            case "n": out += "\n"
            case "r": out += "\r"
            case "t": out += "\t"
            case "0"..."7":
                var value = e.value - 48
                for _ in 0..<2 {
                    guard let d = scalars.first, ("0"..."7").contains(d) else { break }
                    scalars.removeFirst()
                    value = value * 8 + d.value - 48
                }
                guard let s = Unicode.Scalar(value) else { return nil }
                out.unicodeScalars.append(s)
            default: return nil
            }
        }
        return out
    }

    /// Writes the whole file through `AtomicFile` (synced, renamed into place, directory synced).
    private static func write(_ text: String, to path: String) throws {
        do {
            try AtomicFile.write(text.utf8, to: path)
        } catch {
            throw Error.writeFailed(path: path, reason: "\(error.errno) (cannot \(error.operation))")
        }
    }
}
