import Foundation
import InitLabCore
import SystemPackage
import TBKit

/// MNIST images and labels: images as a count x 784 matrix of pixels scaled to [0, 1],
/// labels as bytes 0...9. Read from IDX files (optionally gzip-compressed), big-endian headers.
public struct MNIST: Sendable {
    /// Pixels / 255, one image per row (784 columns).
    public var images: Matrix
    /// The digit of each row of `images`.
    public var labels: [UInt8]

    /// Number of examples.
    public var count: Int { labels.count }

    /// Pairs images with labels (same count).
    public init(images: Matrix, labels: [UInt8]) {
        precondition(images.rows == labels.count, "one label per image")
        self.images = images
        self.labels = labels
    }

    /// The train and test splits.
    public struct Splits: Sendable {
        /// The training images (4,000 in the embedded subset, 60,000 in full MNIST).
        public var train: MNIST
        /// The held-out images (1,000 embedded, 10,000 full).
        public var test: MNIST
    }

    /// The standard file names of the MNIST distribution.
    package static let trainImagesName = "train-images-idx3-ubyte"
    /// See `trainImagesName`.
    package static let trainLabelsName = "train-labels-idx1-ubyte"
    /// See `trainImagesName`.
    package static let testImagesName = "t10k-images-idx3-ubyte"
    /// See `trainImagesName`.
    package static let testLabelsName = "t10k-labels-idx1-ubyte"

    /// The embedded balanced 5,000-image subset (4,000 train, 1,000 test) shipped with InitLab.
    public static func embedded() throws -> Splits {
        guard let url = Bundle.module.url(forResource: "mnist-5k", withExtension: nil) else {
            throw MNISTError.embeddedDataMissing
        }
        return try load(directory: url.path)
    }

    /// Reads the four standard files (each plain or `.gz`) from `directory`.
    public static func load(directory: String) throws -> Splits {
        let train = try load(
            imagesPath: try locate(MNIST.trainImagesName, in: directory),
            labelsPath: try locate(MNIST.trainLabelsName, in: directory))
        let test = try load(
            imagesPath: try locate(MNIST.testImagesName, in: directory),
            labelsPath: try locate(MNIST.testLabelsName, in: directory))
        return Splits(train: train, test: test)
    }

    /// Reads one images file and its labels file, checking that they belong together.
    public static func load(imagesPath: String, labelsPath: String) throws -> MNIST {
        let images = try readImages(path: imagesPath)
        guard images.rows > 0 else { throw MNISTError.empty(path: imagesPath) }
        let labels = try readLabels(path: labelsPath)
        guard images.rows == labels.count else {
            throw MNISTError.countMismatch(
                imagesPath: imagesPath, images: images.rows, labelsPath: labelsPath, labels: labels.count)
        }
        return MNIST(images: images, labels: labels)
    }

    static func locate(_ name: String, in directory: String) throws -> String {
        let fm = FileManager.default
        for candidate in [name, name + ".gz"] {
            let path = FilePath(directory).appending(candidate).string
            if fm.fileExists(atPath: path) { return path }
        }
        throw MNISTError.fileMissing(directory: directory, name: name)
    }

    /// The file's bytes, gunzipped when the name ends in .gz or the bytes start with the gzip magic.
    static func readBytes(path: String) throws -> [UInt8] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw MNISTError.unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        let bytes = [UInt8](data)
        if path.hasSuffix(".gz") || (bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) {
            do {
                return try Zlib.decompress(bytes, format: .gzip)
            } catch {
                throw MNISTError.badGzip(path: path, reason: "\(error)")
            }
        }
        return bytes
    }

    static func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Parses an IDX3 image file (magic 0x00000803, count, 28, 28, then count·784 bytes).
    package static func readImages(path: String) throws -> Matrix {
        let bytes = try readBytes(path: path)
        guard bytes.count >= 4 else { throw MNISTError.truncated(path: path, needed: 16, actual: bytes.count) }
        let magic = bigEndianUInt32(bytes, at: 0)
        guard magic == 0x803 else { throw MNISTError.badMagic(path: path, found: magic, expected: 0x803) }
        guard bytes.count >= 16 else { throw MNISTError.truncated(path: path, needed: 16, actual: bytes.count) }
        let count = Int(bigEndianUInt32(bytes, at: 4))
        let rows = Int(bigEndianUInt32(bytes, at: 8))
        let columns = Int(bigEndianUInt32(bytes, at: 12))
        guard rows == 28, columns == 28 else { throw MNISTError.badImageSize(path: path, rows: rows, columns: columns) }
        let needed = 16 + count * 784
        guard bytes.count >= needed else { throw MNISTError.truncated(path: path, needed: needed, actual: bytes.count) }
        var images = Matrix(rows: count, columns: 784)
        images.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { src in
                for i in 0..<(count * 784) { out[i] = Float(src[16 + i]) / 255 }
            }
        }
        return images
    }

    /// Parses an IDX1 label file (magic 0x00000801, count, then count bytes in 0...9).
    package static func readLabels(path: String) throws -> [UInt8] {
        let bytes = try readBytes(path: path)
        guard bytes.count >= 4 else { throw MNISTError.truncated(path: path, needed: 8, actual: bytes.count) }
        let magic = bigEndianUInt32(bytes, at: 0)
        guard magic == 0x801 else { throw MNISTError.badMagic(path: path, found: magic, expected: 0x801) }
        guard bytes.count >= 8 else { throw MNISTError.truncated(path: path, needed: 8, actual: bytes.count) }
        let count = Int(bigEndianUInt32(bytes, at: 4))
        guard bytes.count >= 8 + count else {
            throw MNISTError.truncated(path: path, needed: 8 + count, actual: bytes.count)
        }
        let labels = [UInt8](bytes[8..<(8 + count)])
        if let bad = labels.firstIndex(where: { $0 > 9 }) {
            throw MNISTError.badLabel(path: path, offset: 8 + bad, value: labels[bad])
        }
        return labels
    }

    /// The examples at `indices`, copied into `images` / `labels` (reused buffers: no allocation
    /// once they have the right shape).
    package func gather(_ indices: ArraySlice<Int>, images batch: inout Matrix, labels batchLabels: inout [UInt8]) {
        let width = images.columns
        if batch.rows != indices.count || batch.columns != width { batch = Matrix(rows: indices.count, columns: width) }
        if batchLabels.count != indices.count { batchLabels = [UInt8](repeating: 0, count: indices.count) }
        images.withUnsafeBufferPointer { src in
            batch.withUnsafeMutableBufferPointer { dst in
                for (row, index) in indices.enumerated() {
                    let from = src.baseAddress! + index * width
                    (dst.baseAddress! + row * width).update(from: from, count: width)
                }
            }
        }
        for (row, index) in indices.enumerated() { batchLabels[row] = labels[index] }
    }
}
