import Foundation
import InitLab
import TBKit
import TBKitTestSupport
import Testing

/// The IDX reader on the embedded subset and on broken files.
struct MNISTTests {
    /// Holds every directory a test makes; removed when the test ends.
    let scratch = TemporaryDirectory()

    @Test("The embedded subset has 4,000 + 1,000 images, 400/100 of each digit, pixel mean 0.1309 and variance 0.0949")
    func embeddedSubset() throws {
        let data = try MNIST.embedded()
        #expect(data.train.count == 4000 && data.test.count == 1000)
        #expect(data.train.images.columns == 784)
        for digit in UInt8(0)...9 {
            #expect(data.train.labels.filter { $0 == digit }.count == 400)
            #expect(data.test.labels.filter { $0 == digit }.count == 100)
        }
        // The data set's README states these figures for the training pixels scaled to [0, 1].
        let mean = Statistics.mean(data.train.images)
        let variance = Statistics.variance(data.train.images)
        #expect(abs(mean - 0.1309) < 5e-5, "mean \(mean)")
        #expect(abs(variance - 0.0949) < 5e-5, "variance \(variance)")
        #expect(data.train.images.storage.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    /// A new directory under `scratch` holding the given files.
    func directory(_ files: [String: [UInt8]]) throws -> String {
        let dir = scratch.path + "/mnist-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, bytes) in files {
            try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        return dir
    }

    func header(_ words: [UInt32]) -> [UInt8] {
        words.flatMap { w in [UInt8(w >> 24), UInt8(w >> 16 & 0xff), UInt8(w >> 8 & 0xff), UInt8(w & 0xff)] }
    }

    /// Two 28x28 images (all 0, all 255) and labels [3, 7], as plain IDX files.
    func tinySet() -> [String: [UInt8]] {
        let images =
            header([0x803, 2, 28, 28]) + [UInt8](repeating: 0, count: 784) + [UInt8](repeating: 255, count: 784)
        let labels = header([0x801, 2]) + [3, 7]
        return [
            MNIST.trainImagesName: images, MNIST.trainLabelsName: labels,
            MNIST.testImagesName: images, MNIST.testLabelsName: labels,
        ]
    }

    @Test("Plain and gzip IDX files from --data-dir read the same; pixels are scaled to [0, 1]")
    func readsPlainAndGzip() throws {
        var files = tinySet()
        let plain = try MNIST.load(directory: try directory(files))
        files[MNIST.trainImagesName + ".gz"] = try gzip(files.removeValue(forKey: MNIST.trainImagesName)!)
        let zipped = try MNIST.load(directory: try directory(files))
        #expect(plain.train.labels == [3, 7])
        #expect(plain.train.images[0, 0] == 0 && plain.train.images[1, 783] == 1)
        #expect(zipped.train.images == plain.train.images)
    }

    func error(_ files: [String: [UInt8]]) throws -> MNISTError? {
        do {
            _ = try MNIST.load(directory: try directory(files))
            return nil
        } catch let e as MNISTError {
            return e
        }
    }

    @Test("A label file in the images' place is refused with a bad-magic error naming the file")
    func badMagic() throws {
        var files = tinySet()
        files[MNIST.trainImagesName] = files[MNIST.trainLabelsName]
        let e = try error(files)
        guard case .badMagic(let path, let found, let expected)? = e else {
            Issue.record("got \(String(describing: e))")
            return
        }
        #expect(path.hasSuffix(MNIST.trainImagesName) && found == 0x801 && expected == 0x803)
        #expect(e?.description.contains(MNIST.trainImagesName) == true)
    }

    @Test("A file shorter than its header says is refused as truncated")
    func truncated() throws {
        var files = tinySet()
        files[MNIST.testImagesName]!.removeLast(100)
        guard case .truncated(_, let needed, let actual)? = try error(files) else {
            Issue.record("not truncated")
            return
        }
        #expect(needed == 16 + 2 * 784 && actual == needed - 100)
    }

    @Test("A damaged gzip file is refused with its name")
    func damagedGzip() throws {
        var files = tinySet()
        var gz = try gzip(files.removeValue(forKey: MNIST.trainLabelsName)!)
        gz[gz.count / 2] ^= 0xff
        gz.removeLast(6)
        files[MNIST.trainLabelsName + ".gz"] = gz
        guard case .badGzip(let path, _)? = try error(files) else {
            Issue.record("not badGzip")
            return
        }
        #expect(path.hasSuffix(MNIST.trainLabelsName + ".gz"))
    }

    @Test(
        "Images and labels that disagree on the count, a label above 9, a missing file, an empty file and a wrong image size are refused"
    )
    func otherRefusals() throws {
        var files = tinySet()
        files[MNIST.trainLabelsName] = header([0x801, 1]) + [3]
        guard case .countMismatch(_, 2, _, 1)? = try error(files) else {
            Issue.record("not countMismatch")
            return
        }

        files = tinySet()
        files[MNIST.testLabelsName] = header([0x801, 2]) + [3, 12]
        guard case .badLabel(_, 9, 12)? = try error(files) else {
            Issue.record("not badLabel")
            return
        }

        files = tinySet()
        files.removeValue(forKey: MNIST.testLabelsName)
        guard case .fileMissing(_, MNIST.testLabelsName)? = try error(files) else {
            Issue.record("not fileMissing")
            return
        }

        files = tinySet()
        files[MNIST.trainImagesName] = header([0x803, 0, 28, 28])
        guard case .empty? = try error(files) else {
            Issue.record("not empty")
            return
        }

        files = tinySet()
        files[MNIST.trainImagesName] = header([0x803, 1, 32, 32]) + [UInt8](repeating: 0, count: 1024)
        guard case .badImageSize(_, 32, 32)? = try error(files) else {
            Issue.record("not badImageSize")
            return
        }
    }
}

/// `bytes` as one gzip member, through TBKit's zlib wrapper (as MNIST's `.gz` files are read).
private func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    try bytes.withUnsafeBytes { try Zlib.compress($0, level: 6, format: .gzip) }
}
