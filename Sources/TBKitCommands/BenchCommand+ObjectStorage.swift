import Foundation
import TBKit
import TBKitS3

extension BenchCommand {
    /// Scalars/s into s3:// against a local logdir, both as the training thread sees them (the
    /// `scalar()` loop; uploads run on the store's thread), then the wait in `close()` for the
    /// last segments, and the throughput of a multipart upload of `uploadMib` MiB.
    func benchObjectStorage(url: String) throws {
        let base = try S3Location(url: url)
        let tmp = NSTemporaryDirectory() + "tbkit-bench-s3-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        func timed(_ body: () throws -> Void) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        var localRates = [Double]()
        var remoteRates = [Double]()
        var closeSeconds = [Double]()
        for r in 0..<repeats {
            let local = try SummaryWriter(logdir: "\(tmp)/local\(r)")
            let localLoop = try timed {
                for i in 0..<scalars { try local.scalar("loss", Float(i) * 0.001, step: i) }
            }
            try local.close()
            localRates.append(Double(scalars) / localLoop)

            let remote = try SummaryWriter(
                logdir: base.appending("bench-\(UUID().uuidString.prefix(8))/run").description)
            let remoteLoop = try timed {
                for i in 0..<scalars { try remote.scalar("loss", Float(i) * 0.001, step: i) }
            }
            closeSeconds.append(try timed { try remote.close() })
            remoteRates.append(Double(scalars) / remoteLoop)
        }
        let localRate = localRates.sorted()[repeats / 2]
        let remoteRate = remoteRates.sorted()[repeats / 2]
        print("object storage (\(url), median of \(repeats) runs)")
        print(String(format: "  scalars, local logdir: %12.0f events/s (training thread)", localRate))
        print(
            String(
                format:
                    "  scalars, s3://:        %12.0f events/s (training thread) = %.2fx of local; close() waited %.2f s",
                remoteRate, remoteRate / localRate, closeSeconds.sorted()[repeats / 2]))

        // Archive-sized upload through multipart parts of 8 MiB.
        let client = try S3Client.fromEnvironment()
        let file = tmp + "/upload.bin"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        var rng = SplitMix(seed: 7)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: file) else {
            throw S3Error.localFile(path: file, detail: "cannot create the upload test file")
        }
        for _ in 0..<max(uploadMib, 1) {
            for i in 0..<chunk.count { chunk[i] = UInt8(truncatingIfNeeded: Int(rng.normal() * 1000)) }
            try handle.write(contentsOf: chunk)
        }
        try handle.close()
        let key = base.appending("bench-upload-\(UUID().uuidString.prefix(8)).bin")
        let bytes = UInt64(max(uploadMib, 1)) << 20
        let seconds = try timed {
            let writer = try S3MultipartWriter(client: client, bucket: key.bucket, key: key.key)
            guard let reader = FileHandle(forReadingAtPath: file) else { return }
            defer { try? reader.close() }
            do {
                while let data = try reader.read(upToCount: writer.partSize), !data.isEmpty { try writer.write(data) }
                try writer.finish()
            } catch {
                writer.abort()
                throw error
            }
        }
        try? client.deleteObject(bucket: key.bucket, key: key.key)
        print(
            String(
                format: "  archive upload:        %12.1f MB/s (%d MiB in 8 MiB multipart parts, %.2f s)",
                Double(bytes) / seconds / 1e6, max(uploadMib, 1), seconds))
    }
}
