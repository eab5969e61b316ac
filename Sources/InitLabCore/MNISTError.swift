/// Why an MNIST IDX file could not be used; each case names the file and says what to do.
public enum MNISTError: Error, CustomStringConvertible, Equatable {
    /// Neither `name` nor `name.gz` exists in the directory.
    case fileMissing(directory: String, name: String)
    /// The file exists but could not be read.
    case unreadable(path: String, reason: String)
    /// The file ends in .gz but its gzip stream is damaged.
    case badGzip(path: String, reason: String)
    /// The file is shorter than its header says (`needed` vs `actual` bytes after decompression).
    case truncated(path: String, needed: Int, actual: Int)
    /// The big-endian magic number at byte 0 is not the expected IDX type.
    case badMagic(path: String, found: UInt32, expected: UInt32)
    /// The image rows or columns are not 28 x 28.
    case badImageSize(path: String, rows: Int, columns: Int)
    /// The images file and the labels file disagree on the number of items.
    case countMismatch(imagesPath: String, images: Int, labelsPath: String, labels: Int)
    /// A label byte outside 0...9 (at `offset` in the decompressed file).
    case badLabel(path: String, offset: Int, value: UInt8)
    /// The file holds no examples (a data set needs at least one).
    case empty(path: String)
    /// The embedded data set is missing from the built bundle.
    case embeddedDataMissing

    /// What went wrong, where, and what to do about it.
    public var description: String {
        switch self {
        case .fileMissing(let dir, let name):
            return
                "MNIST: neither \(name) nor \(name).gz is in \(dir); use a directory holding the standard MNIST files"
        case .unreadable(let path, let reason):
            return "MNIST: cannot read \(path): \(reason)"
        case .badGzip(let path, let reason):
            return "MNIST: \(path) is not a valid gzip file (\(reason)); download it again"
        case .truncated(let path, let needed, let actual):
            return
                "MNIST: \(path) is truncated: its header needs \(needed) bytes but it holds \(actual); download it again"
        case .badMagic(let path, let found, let expected):
            return
                "MNIST: \(path) has magic number 0x\(String(found, radix: 16)) at byte 0, expected 0x\(String(expected, radix: 16)) (\(expected == 0x803 ? "an IDX image file" : "an IDX label file")); is it the right file?"
        case .badImageSize(let path, let rows, let columns):
            return "MNIST: \(path) holds \(rows)x\(columns) images at byte 8, expected 28x28"
        case .countMismatch(let ip, let ni, let lp, let nl):
            return "MNIST: \(ip) has \(ni) images but \(lp) has \(nl) labels; the files do not belong together"
        case .badLabel(let path, let offset, let value):
            return "MNIST: \(path) has label \(value) at byte \(offset), expected 0...9; the file is damaged"
        case .empty(let path):
            return "MNIST: \(path) holds no examples (its header's count is 0); use a file with at least one"
        case .embeddedDataMissing:
            return
                "MNIST: the embedded subset (mnist-5k) is missing from the InitLab resource bundle; rebuild, or load MNIST from a directory"
        }
    }
}
